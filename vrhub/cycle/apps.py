from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "vrhub.cycle"
    label = "cycle"
    verbose_name = "Plan cycle"

    def ready(self) -> None:
        from vrhub.cycle.pages import (
            home_signoff,
            plan_page_cycle,
            signatures_live,
            theme_page_cycle,
            void_signatures_on_change,
        )
        from vrhub.plans.pages import (
            home_section_register,
            plan_page_section_register,
            signature_holders_register,
            theme_page_section_register,
        )
        from vrhub.plans.signals import plan_content_changed

        plan_page_section_register(name="cycle", section=plan_page_cycle)
        theme_page_section_register(name="cycle", section=theme_page_cycle)
        signature_holders_register(name="cycle", holders=signatures_live)
        home_section_register(name="cycle", section=home_signoff)
        plan_content_changed.connect(void_signatures_on_change, dispatch_uid="cycle.void_signatures_on_change")
