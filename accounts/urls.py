from django.urls import path

from accounts import views

urlpatterns = [
    path("language/", views.language_switch, name="language_switch"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.people_create, name="people_create"),
    path("people/<id:pk>/edit/", views.people_edit, name="people_edit"),
    path("people/<id:pk>/invite/", views.people_invite, name="people_invite"),
    path("people/import/", views.people_import, name="people_import"),
    path(
        "people/import/template.csv",
        views.people_import_template,
        name="people_import_template",
    ),
    path("people/import/<id:pk>/", views.people_import_preview, name="people_import_preview"),
    path(
        "people/import/<id:pk>/confirm/",
        views.people_import_confirm,
        name="people_import_confirm",
    ),
]
