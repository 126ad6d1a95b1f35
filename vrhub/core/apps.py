from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vrhub.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from vrhub.core import checks  # noqa: F401  (registers the deploy checks)
