from django.urls import path

from matching import views

urlpatterns = [
    path("cohorts/<id:pk>/matching/", views.cohort_matching, name="cohort_matching"),
    path("cohorts/<id:pk>/matching/run/", views.match_run_start_view, name="match_run_start"),
    path("cohorts/<id:pk>/pair-rules/", views.pair_rule_create, name="pair_rule_create"),
    path(
        "cohorts/<id:pk>/pair-rules/<id:rule_pk>/delete/",
        views.pair_rule_delete,
        name="pair_rule_delete",
    ),
    path("matching/runs/<id:pk>/status/", views.match_run_status, name="match_run_status"),
    path(
        "matching/runs/<id:pk>/candidates/<id:mentee_pk>/",
        views.candidates,
        name="match_candidates",
    ),
    path("matching/runs/<id:pk>/publish/", views.match_run_publish_view, name="match_run_publish"),
]
