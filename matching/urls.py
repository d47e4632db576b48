from django.urls import path

from matching import views

urlpatterns = [
    path("cohorts/<int:pk>/matching/", views.cohort_matching, name="cohort_matching"),
    path("cohorts/<int:pk>/matching/run/", views.match_run_start_view, name="match_run_start"),
    path("cohorts/<int:pk>/pair-rules/", views.pair_rule_create, name="pair_rule_create"),
    path(
        "cohorts/<int:pk>/pair-rules/<int:rule_pk>/delete/",
        views.pair_rule_delete,
        name="pair_rule_delete",
    ),
    path("matching/runs/<int:pk>/status/", views.match_run_status, name="match_run_status"),
    path(
        "matching/runs/<int:pk>/candidates/<int:mentee_pk>/",
        views.candidates,
        name="match_candidates",
    ),
    path("matching/runs/<int:pk>/publish/", views.match_run_publish_view, name="match_run_publish"),
]
