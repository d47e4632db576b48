from django.urls import path

from programmes import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<id:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<id:pk>/edit/", views.programme_edit, name="programme_edit"),
    path(
        "programmes/<id:pk>/status/",
        views.programme_transition_view,
        name="programme_transition",
    ),
    path("programmes/<id:pk>/cohorts/new/", views.cohort_create, name="cohort_create"),
    path(
        "programmes/<id:pk>/cohorts/<id:cohort_pk>/edit/",
        views.cohort_edit,
        name="cohort_edit",
    ),
    path("programmes/<id:pk>/enrol/", views.enrol, name="enrol"),
    path("programmes/<id:pk>/enrol/<str:role>/", views.enrol, name="enrol_role"),
    path("programmes/<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("programmes/<id:pk>/participants/", views.participant_list, name="participant_list"),
    path(
        "programmes/<id:pk>/participants/<id:participant_pk>/decide/",
        views.participant_decide,
        name="participant_decide",
    ),
    path("programmes/<id:pk>/training/", views.training, name="training"),
    path(
        "programmes/<id:pk>/training/new/",
        views.training_module_create,
        name="training_module_create",
    ),
    path(
        "programmes/<id:pk>/training/<id:module_pk>/edit/",
        views.training_module_edit,
        name="training_module_edit",
    ),
    path(
        "programmes/<id:pk>/training/<id:module_pk>/mark/",
        views.training_mark_view,
        name="training_mark",
    ),
    path("skill-areas/", views.skill_area_list, name="skill_area_list"),
    path("skill-areas/new/", views.skill_area_create, name="skill_area_create"),
    path("skill-areas/<id:pk>/edit/", views.skill_area_edit, name="skill_area_edit"),
]
