"""The periodic tasks, in django-celery-beat's database scheduler: HR can see and
adjust them in the admin (Periodic tasks). Times are Paris time."""

from django.db import migrations

# (name, task, crontab minute, hour, day_of_week)
SCHEDULES = [
    ("Rappels de séance (veille)", "notifications.tasks.session_reminders_task", "5", "*", "*"),
    ("Rappels de points d’étape", "notifications.tasks.checkin_reminders_task", "0", "8", "*"),
    ("Binômes à relancer", "notifications.tasks.stalled_pairs_task", "30", "8", "*"),
    ("Relances de rencontre", "notifications.tasks.intro_nudges_task", "0", "9", "*"),
    ("Synthèse hebdomadaire RH", "notifications.tasks.hr_digest_task", "30", "7", "1"),
    (
        "Indicateurs d’engagement (nuit)",
        "evaluation.tasks.engagement_snapshots_task",
        "0",
        "2",
        "*",
    ),
]
RECOVER = ("Reprise de l’outbox", "notifications.tasks.outbox_recover_task", 5)


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, day_of_week in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Paris",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})
    name, task, minutes = RECOVER
    every, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": every})


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    names = [row[0] for row in SCHEDULES] + [RECOVER[0]]
    PeriodicTask.objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
