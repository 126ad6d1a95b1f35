from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "vrhub.programmes"
    label = "programmes"
    verbose_name = "Funded programmes"

    def ready(self) -> None:
        from vrhub.plans.pages import plan_page_section_register
        from vrhub.programmes.selectors.programmes import plan_funded_programmes

        # A plan's page lists the funded programmes behind its actions that the viewer may see.
        plan_page_section_register(name="programmes", section=plan_funded_programmes)
