from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "vrhub.cycle"
    label = "cycle"
    verbose_name = "Plan cycle"
