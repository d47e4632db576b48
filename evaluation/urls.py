from django.urls import path

from evaluation import views

urlpatterns = [
    path("pairings/<id:pk>/checkin/", views.checkin_respond, name="checkin_respond"),
    path("pairings/<id:pk>/closing/", views.closing_respond, name="closing_respond"),
    path(
        "pairings/<id:pk>/assessment/<slug:kind>/",
        views.assessment_respond,
        name="assessment_respond",
    ),
    path("programmes/<id:pk>/dashboard/", views.programme_dashboard, name="programme_dashboard"),
    path("programmes/<id:pk>/overview/", views.programme_overview, name="programme_overview"),
    path(
        "programmes/<id:pk>/cohorts/<id:cohort_pk>/verdict/",
        views.cohort_verdict,
        name="cohort_verdict",
    ),
    path(
        "programmes/<id:pk>/cohorts/<id:cohort_pk>/verdict.pdf",
        views.cohort_verdict_pdf,
        name="cohort_verdict_pdf",
    ),
    path(
        "programmes/<id:pk>/metrics.<slug:fmt>",
        views.metrics_export,
        name="metrics_export",
    ),
    path("programmes/<id:pk>/pairs.<slug:fmt>", views.pairs_export, name="pairs_export"),
    path("me/progress/", views.my_progress, name="my_progress"),
    path(
        "programmes/<id:pk>/snapshots/refresh/",
        views.snapshot_refresh,
        name="snapshot_refresh",
    ),
]
