from django.urls import path

from pairs import views

urlpatterns = [
    path("pairings/<id:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<id:pk>/intro/", views.pairing_intro, name="pairing_intro"),
    path("pairings/<id:pk>/answer/", views.pairing_answer, name="pairing_answer"),
]
