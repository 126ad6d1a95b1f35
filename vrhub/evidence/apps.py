from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "vrhub.evidence"
    label = "evidence"
    verbose_name = "Evidence workbench"
