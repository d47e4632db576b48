from django.urls import path

from accounts import views

urlpatterns = [
    path("language/", views.language_switch, name="language_switch"),
]
