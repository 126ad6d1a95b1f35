from django.urls import path

from vrhub.organisations import views

app_name = "organisations"

urlpatterns = [
    path("organisations/areas/", views.areas, name="areas"),
    path("organisations/areas/<str:code>/release/", views.area_release, name="area_release"),
]
