from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "vrhub.learning"
    label = "learning"
