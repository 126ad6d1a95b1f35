from django.urls import path

from vrhub.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("london/", views.overview_latest, name="latest"),
    path("london/<int:year>/", views.overview, name="overview"),
    path("london/<int:year>/boroughs/<slug:area>/", views.borough, name="borough"),
]
