from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: backup and restore of everything it keeps."""

    name = "vrhub.operations"
    label = "operations"
    verbose_name = "Operations"
