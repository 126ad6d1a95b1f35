from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "vrhub.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from vrhub.jobs.registry import autodiscover

        autodiscover()
