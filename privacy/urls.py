from django.urls import path

from privacy import views

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/archive/", views.my_data_archive, name="my_data_archive"),
    path("people/<id:pk>/anonymise/", views.person_anonymise, name="person_anonymise"),
]
