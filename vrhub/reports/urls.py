from django.urls import path

from vrhub.reports import views

app_name = "reports"

urlpatterns = [
    path("plans/<int:pk>/report.<str:fmt>", views.scrutiny_report, name="scrutiny"),
    path("reports/london/<int:year>.<str:fmt>", views.london_summary, name="london"),
    path("reports/prepare/", views.prepare, name="prepare"),
]
