from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "vrhub.transparency"
    label = "transparency"
