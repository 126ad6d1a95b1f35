from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "vrhub.governance"
    label = "governance"
    verbose_name = "Partnership governance"
