from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "vrhub.evidence"
    label = "evidence"
    verbose_name = "Evidence workbench"

    def ready(self) -> None:
        from vrhub.evidence.pages import plan_page_profile
        from vrhub.plans.pages import plan_page_section_register

        plan_page_section_register(name="evidence", section=plan_page_profile)
