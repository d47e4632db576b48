from django.urls import path

from pairs import views

urlpatterns = [
    path("pairings/<id:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<id:pk>/intro/", views.pairing_intro, name="pairing_intro"),
    path("pairings/<id:pk>/answer/", views.pairing_answer, name="pairing_answer"),
    path("pairings/<id:pk>/close/", views.pairing_close, name="pairing_close"),
    path("pairings/<id:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("pairings/<id:pk>/sessions/", views.session_list, name="session_list"),
    path("pairings/<id:pk>/sessions/new/", views.session_create, name="session_create"),
    path("pairings/<id:pairing_pk>/sessions/log/", views.session_log, name="session_log_new"),
    path("pairings/<id:pk>/notes/", views.private_note_create, name="private_note_create"),
    path("goals/<id:pk>/", views.goal_detail, name="goal_detail"),
    path("goals/<id:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<id:pk>/progress/", views.goal_progress, name="goal_progress"),
    path("goal-updates/<id:pk>/file/", views.goal_evidence, name="goal_evidence"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<id:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<id:pk>/log/", views.session_log, name="session_log"),
    path("sessions/<id:pk>/learned/", views.session_learned, name="session_learned"),
    path("sessions/<id:pk>/calendar.ics", views.session_ics, name="session_ics"),
    path("notes/<id:pk>/delete/", views.private_note_delete, name="private_note_delete"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("programmes/<id:pk>/pairs/", views.programme_pairings, name="programme_pairings"),
]
