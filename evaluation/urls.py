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
    path(
        "programmes/<id:pk>/snapshots/refresh/",
        views.snapshot_refresh,
        name="snapshot_refresh",
    ),
]
