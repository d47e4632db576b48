from django.urls import path

from pairs import views

urlpatterns = [
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/intro/", views.pairing_intro, name="pairing_intro"),
    path("pairings/<int:pk>/answer/", views.pairing_answer, name="pairing_answer"),
]
