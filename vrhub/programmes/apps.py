from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "vrhub.programmes"
    label = "programmes"
    verbose_name = "Funded programmes"
