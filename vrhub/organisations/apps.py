from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "vrhub.organisations"
    label = "organisations"
