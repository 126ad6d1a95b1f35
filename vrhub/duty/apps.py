from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "vrhub.duty"
    label = "duty"
    verbose_name = "Serious Violence Duty"
