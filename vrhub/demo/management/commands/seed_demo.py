from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vrhub.demo.seed import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load London's organisations, the 2021 and 2022 templates, demo users, synthetic plans and synthetic "
        "Serious Violence Duty records, the Partnership Reference Group's 2019 records (seed 003) and synthetic "
        "borough boards, and funded programmes: the London VRU's 2020/21 budget, priority investments and logic model "
        "(seed 002) with synthetic programmes and monitoring returns; beside London, the West Midlands Violence "
        "Reduction Partnership with its own synthetic template, users, plans (the 2024 ones published), boards, Duty "
        "records and programmes (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow loading demo users when DEBUG is off.")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates users with a published password; run it with DEBUG on, or --force.")
        result = demo_load()
        self.stdout.write(
            f"Demo data ready: {result['plans_created']} synthetic plans created, {result['users']} demo users "
            f"(password '{DEMO_PASSWORD}', for local use only); {result['duty_partnerships_created']} Serious Violence "
            "Duty partnership records created (synthetic demo data); "
            f"{result['governance_groups_created']} governance groups created (the Partnership Reference Group from "
            "its 2019 papers, the borough boards synthetic demo data); "
            f"{result['programmes_created']} funded programmes created (the seven priority investments of the VRU's "
            "2020/21 annual report, the others synthetic demo data). West Midlands VRP (synthetic demo data): "
            f"{result['wm_plans_created']} plans, {result['wm_users']} demo users, "
            f"{result['wm_governance_groups_created']} governance groups, {result['wm_duty_partnerships_created']} "
            f"Duty partnerships and {result['wm_programmes_created']} programmes created."
        )
