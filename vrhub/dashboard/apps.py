from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "vrhub.dashboard"
    label = "dashboard"
