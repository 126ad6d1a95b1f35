from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "vrhub.cycle"
    label = "cycle"
    verbose_name = "Plan cycle"

    def ready(self) -> None:
        from vrhub.cycle.pages import plan_page_cycle, theme_page_cycle, void_signatures_on_change
        from vrhub.plans.pages import plan_page_section_register, theme_page_section_register
        from vrhub.plans.signals import plan_content_changed

        plan_page_section_register(name="cycle", section=plan_page_cycle)
        theme_page_section_register(name="cycle", section=theme_page_cycle)
        plan_content_changed.connect(void_signatures_on_change, dispatch_uid="cycle.void_signatures_on_change")
