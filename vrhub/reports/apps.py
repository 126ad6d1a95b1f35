from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "vrhub.reports"
    label = "reports"
