from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "vrhub.plans"
    label = "plans"
