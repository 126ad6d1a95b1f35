from django.urls import path

from vrhub.jobs import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<uuid:pk>/", views.job_detail, name="detail"),
    path("jobs/<uuid:pk>/status.json", views.job_status, name="status"),
    path("jobs/<uuid:pk>/output", views.job_output, name="output"),
    path("jobs/<uuid:pk>/retry/", views.job_retry, name="retry"),
]
