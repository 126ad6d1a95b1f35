"""Demo data for local use: London's organisations, templates, users and synthetic plans.

Everything here is idempotent: existing objects are left as they are, so running it again after
people have edited the demo plans keeps their edits.
"""

import random
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from vrhub.accounts.models import User
from vrhub.core.audit import audit_changes
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarters_create
from vrhub.demo.duty import duty_load
from vrhub.demo.governance import governance_load
from vrhub.demo.programmes import programmes_load
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load
from vrhub.plans import services as plan_services
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, Status, TemplateAction
from vrhub.plans.templates import london_template

DEMO_PASSWORD = "vrhub-demo-only"  # noqa: S105 - published on purpose: local demo users only

# username -> (first, last, organisation code, role, office)
DEMO_USERS = {
    "vru.admin": ("Avery", "Admin", "VRU-LDN", User.Role.VRU_ADMIN, ""),
    "vru.reviewer": ("Robin", "Reviewer", "VRU-LDN", User.Role.VRU_REVIEWER, ""),
    "havering.editor": ("Eden", "Editor", "E09000016", User.Role.BOROUGH_EDITOR, ""),
    "havering.viewer": ("Vic", "Viewer", "E09000016", User.Role.BOROUGH_VIEWER, ""),
    "havering.chiefexec": ("Casey", "Chief", "E09000016", User.Role.SIGNATORY, User.Office.CHIEF_EXECUTIVE),
    "havering.leader": ("Lee", "Leader", "E09000016", User.Role.SIGNATORY, User.Office.LEADER),
    "ea.commander": ("Cam", "Commander", "MPS-EA", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    "lambeth.editor": ("Lou", "Lambeth", "E09000022", User.Role.BOROUGH_EDITOR, ""),
    "mopac.officer": ("Morgan", "Officer", "MOPAC", User.Role.POLICING_BODY, ""),
}

SYNTHETIC_LEADS = [
    "Sam Patel",
    "Jo Okafor",
    "Alex Morgan",
    "Chris Nowak",
    "Priya Shah",
    "Dan Mensah",
    "Kim Walsh",
    "Nadia Hussain",
    "Tom Reid",
    "Grace Adeyemi",
    "Ollie Byrne",
    "Leah Cohen",
]

STATUS_WEIGHTS = [
    (Status.GREEN, 30),
    (Status.AMBER, 22),
    (Status.RED, 8),
    (Status.NOT_STARTED, 12),
    (Status.COMPLETE, 12),
    (Status.NOT_UNDERTAKEN, 4),
]


def templates_load() -> tuple[PlanTemplate, PlanTemplate]:
    content = london_template()
    vru = Organisation.objects.get(code="VRU-LDN")
    t2021 = PlanTemplate.objects.filter(vru=vru, year=2021).first()
    if t2021 is None:
        t2021 = plan_services.template_create_from_content(
            vru=vru,
            year=2021,
            title="2021 Violence and Vulnerability Reduction Action Plan",
            themes=content.themes_2021,
            published=True,
            submission_deadline=date(2021, 12, 10),
        )
    t2022 = PlanTemplate.objects.filter(vru=vru, year=2022).first()
    if t2022 is None:
        t2022 = plan_services.template_create_for_year(
            source=t2021,
            year=2022,
            title="2022 Violence and Vulnerability Reduction Action Plan",
            retire=content.retired_in_2022,
        )
        for theme_code, actions in content.new_actions_2022.items():
            plan_services.template_actions_add(theme=t2022.themes.get(code=theme_code), actions=actions)
        plan_services.theme_add(template=t2022, data=content.vawg_theme)
        t2022.published = True
        t2022.submission_deadline = date(2022, 12, 9)
        t2022.save()
    return t2021, t2022


def users_load(*, users: dict[str, tuple] | None = None, operators: bool = True) -> list[User]:
    """The demo users (``DEMO_USERS``, London's, unless ``users`` are given), password ``DEMO_PASSWORD``.

    ``operators``: whether the VRU admins among them also run the service (Django's ``/admin/``, which shows
    every VRU's records). London's do, as the demo's operator; another VRU's admins never do."""
    loaded = []
    for username, (first, last, org_code, role, office) in (users or DEMO_USERS).items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "organisation": Organisation.objects.get(code=org_code),
                "role": role,
                "office": office,
                "is_staff": operators and role == User.Role.VRU_ADMIN,
                "is_superuser": operators and role == User.Role.VRU_ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        loaded.append(user)
    return loaded


@dataclass(frozen=True)
class DemoContent:
    """The words a VRU's synthetic plans are filled with: worked examples by action code, local actions
    (``{theme, title, description, ...}``), stock progress sentences, and the comment on an action not
    undertaken. London's come from its template file; another VRU's demo brings its own."""

    examples: dict[str, dict] = field(default_factory=dict)
    local_actions: list[dict] = field(default_factory=list)
    progress_updates: list[str] = field(default_factory=list)
    not_undertaken: str = ""


def _examples() -> dict[str, dict]:
    content = london_template()
    themes = content.themes_2021 + [content.vawg_theme]
    extra = [a for actions in content.new_actions_2022.values() for a in actions]
    return {a["code"]: a.get("example", {}) for t in themes for a in t["actions"]} | {
        a["code"]: a.get("example", {}) for a in extra
    }


def london_content() -> DemoContent:
    content = london_template()
    return DemoContent(
        examples=_examples(),
        local_actions=content.local_action_examples,
        progress_updates=content.progress_updates,
        not_undertaken="Not being undertaken this year: covered by a pan-London programme (synthetic demo text).",
    )


def _fill(
    action: PlanAction, example: dict, rng: random.Random, completeness: float, year: int, content: DemoContent
) -> None:
    status = rng.choices([s for s, _ in STATUS_WEIGHTS], weights=[w for _, w in STATUS_WEIGHTS])[0]
    full = rng.random() < completeness
    action.status = status if full or rng.random() < 0.6 else ""
    if status == Status.NOT_UNDERTAKEN and action.status:
        action.comments = content.not_undertaken
        return
    action.outcome = example.get("outcome", "")
    action.baseline = example.get("baseline", "") if full or rng.random() < 0.5 else ""
    action.lead_name = rng.choice(SYNTHETIC_LEADS) if full or rng.random() < 0.6 else ""
    action.lead_role = example.get("lead_role", "")
    action.lead_agency = example.get("lead_agency", "") if full or rng.random() < 0.7 else ""
    action.start_date = date(year, rng.choice([4, 5, 6, 7]), 1)
    action.start_estimated = rng.random() < 0.2
    action.end_date = date(year + 1, 3, 31) if full or rng.random() < 0.5 else None
    action.end_estimated = rng.random() < 0.3
    if action.status != Status.NOT_STARTED:
        action.progress = example.get("progress") or rng.choice(content.progress_updates)
        if not full and rng.random() < 0.4:
            action.progress = ""


def plans_load(*, template: PlanTemplate, content: DemoContent | None = None) -> int:
    """Give every area of the template's VRU a synthetic plan, unless it already has one (London's words
    unless ``content`` says otherwise)."""
    content = content or london_content()
    examples = dict(content.examples)
    areas = list(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=template.vru).order_by("code"))
    optional = list(TemplateAction.objects.filter(theme__template=template, kind=TemplateAction.Kind.OPTIONAL))
    created = 0
    for index, area in enumerate(areas):
        if Plan.objects.filter(area=area, template=template).exists():
            continue
        rng = random.Random(f"{area.code}-{template.year}")
        completeness = 0.2 + 0.8 * (index % 8) / 7
        plan = plan_services.plan_create(area=area, template=template, user=None).plan
        plan.synthetic = True
        plan.save(update_fields=["synthetic"])
        adopted = [ta for ta in optional if rng.random() < 0.55]
        by_theme: dict = {}
        for ta in adopted:
            by_theme.setdefault(ta.theme, []).append(ta)
        for theme, tas in by_theme.items():
            plan_services.plan_set_optional_actions(plan=plan, theme=theme, user=None, adopted=tas)
        themes = {t.code: t for t in template.themes.all()}
        for local in rng.sample(content.local_actions, k=rng.randint(0, 2)):
            if local["theme"] in themes:
                action = plan_services.plan_add_local_action(
                    plan=plan,
                    theme=themes[local["theme"]],
                    user=None,
                    title=local["title"],
                    description=local["description"],
                )
                examples[f"{area.code}:{action.code}"] = local
        actions = list(plan.actions.all())
        for action in actions:
            example = examples.get(f"{area.code}:{action.code}") or examples.get(action.code, {})
            _fill(action, example, rng, completeness, template.year, content)
            action.save(update_fields=list(PlanAction.EDITABLE_FIELDS))
        audit_changes(
            actor=None,
            obj=plan,
            changes={"content": ("", "synthetic demo content loaded by seed_demo")},
            plan_id=plan.pk,
        )
        created += 1
    return created


# Synthetic local themes that rise in the second quarter, so the emerging-themes page has something to find among
# the stock progress sentences: (boroughs in Q1, boroughs in Q2, sentences with the borough's name).
DEMO_EMERGING = {
    "e-scooter": (
        1,
        6,
        [
            "Thefts of e-scooters near {borough} station have risen.",
            "Youth workers in {borough} met young e-scooter riders outside two schools.",
        ],
    ),
    "zombie knives": (
        0,
        5,
        [
            "A weapons sweep in {borough} found zombie knives hidden in a park.",
            "Trading standards in {borough} visited shops that sold zombie knives online.",
        ],
    ),
    "cost of living": (
        1,
        7,
        [
            "Families referred in {borough} cite the cost of living.",
            "Young people in {borough} say the cost of living pushes them towards quick money.",
        ],
    ),
}


def _emerging_text(update: QuarterlyUpdate, plan: Plan, chosen: dict[str, list[str]], number: int) -> None:
    """Add a DEMO_EMERGING sentence to an update of a borough chosen for that theme in that quarter."""
    rng = random.Random(f"emerging-{plan.area.code}-{update.action.code}-{number}")
    for theme, (q1, q2, sentences) in DEMO_EMERGING.items():
        if plan.area.code in chosen[theme][: (q1 if number == 1 else q2)] and rng.random() < 0.3:
            update.progress += " " + rng.choice(sentences).format(borough=plan.area.name)


def updates_load(*, template: PlanTemplate, quarters: int = 2, content: DemoContent | None = None) -> None:
    """Synthetic quarterly updates for the first ``quarters`` quarters of every plan that has none."""
    content = content or london_content()

    qs = quarters_create(template=template)[:quarters]
    drift = {
        Status.RED: [Status.RED, Status.AMBER],
        Status.AMBER: [Status.AMBER, Status.GREEN, Status.RED],
        Status.GREEN: [Status.GREEN, Status.COMPLETE, Status.AMBER],
        Status.NOT_STARTED: [Status.NOT_STARTED, Status.AMBER],
        Status.COMPLETE: [Status.COMPLETE],
    }
    areas = sorted(Plan.objects.filter(template=template, is_current=True).values_list("area__code", flat=True))
    pick = random.Random(f"emerging-{template.year}")
    chosen = {theme: pick.sample(areas, k=min(q2, len(areas))) for theme, (_q1, q2, _s) in DEMO_EMERGING.items()}
    for plan in Plan.objects.filter(template=template, is_current=True, synthetic=True):
        if QuarterlyUpdate.objects.filter(action__plan=plan).exists():
            continue
        rng = random.Random(f"updates-{plan.area.code}-{template.year}")
        new = []
        for action in plan.actions.exclude(status__in=["", Status.NOT_UNDERTAKEN]):
            status = action.status
            for quarter in qs:
                if rng.random() < 0.2:
                    continue
                status = rng.choice(drift.get(status, [status]))
                update = QuarterlyUpdate(
                    action=action, quarter=quarter, status=status, progress=rng.choice(content.progress_updates)
                )
                _emerging_text(update, plan, chosen, quarter.number)
                new.append(update)
        QuarterlyUpdate.objects.bulk_create(new)
        audit_changes(
            actor=None, obj=plan, changes={"quarterly updates": ("", "synthetic demo updates loaded")}, plan_id=plan.pk
        )


RETURNED_AREA = "E09000022"  # Lambeth: its demo editor (lambeth.editor) sees a plan the VRU returned


def returned_plan_load(*, template: PlanTemplate) -> Plan | None:
    """One plan submitted and returned by the VRU with review comments, so that the demo shows a return.
    The submission is recorded directly (the synthetic plan has no signatures); the review goes through
    the cycle's services. Does nothing if that plan has left draft or already has comments."""
    from vrhub.cycle import services as cycle_services
    from vrhub.cycle.models import ReviewComment

    plan = Plan.objects.filter(area__code=RETURNED_AREA, template=template, is_current=True).first()
    if plan is None or plan.state != Plan.State.DRAFT or ReviewComment.objects.filter(plan=plan).exists():
        return None
    reviewer = User.objects.get(username="vru.reviewer")
    editor = User.objects.get(username="lambeth.editor")
    submitted_at = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(
        state=Plan.State.SUBMITTED, submitted_at=submitted_at, last_submitted_at=submitted_at
    )
    audit_changes(actor=None, obj=plan, changes={"state": (Plan.State.DRAFT, Plan.State.SUBMITTED)}, plan_id=plan.pk)
    plan.refresh_from_db()
    actions = list(plan.actions.select_related("theme").order_by("theme__order", "code"))
    first, other = actions[0], next((a for a in actions if a.theme_id != actions[0].theme_id), actions[-1])
    cycle_services.review_comment_add(
        plan=plan,
        user=reviewer,
        action=first,
        body="The baseline has no figure or period: add the count from the evidence workbench and its months.",
    )
    thread = cycle_services.review_comment_add(
        plan=plan,
        user=reviewer,
        action=other,
        body="Who leads this with the police? The named lead's agency is missing.",
    )
    cycle_services.review_comment_add(plan=plan, user=editor, parent=thread, body="Asking the BCU this week.")
    cycle_services.review_comment_add(
        plan=plan,
        user=reviewer,
        theme=other.theme,
        body="This theme has no local action for the night-time economy, which the strategic assessment names.",
    )
    return cycle_services.plan_return(
        plan=plan,
        user=reviewer,
        comment="Most of the plan is sound. Before we can accept it, please give each baseline a figure and a "
        "period, and name a lead agency for every action: see the comments on the actions below.",
    )


@transaction.atomic
def demo_load() -> dict:
    from vrhub.demo.west_midlands import west_midlands_load  # it builds on this module's loaders

    vru = london_load()
    t2021, t2022 = templates_load()
    quarters_create(template=t2022)
    users = users_load()
    plans = plans_load(template=t2021)
    updates_load(template=t2021)
    returned_plan_load(template=t2021)
    groups = governance_load(vru=vru)
    partnerships = duty_load(vru=vru)
    programmes = programmes_load(vru=vru)
    return {
        "users": len(users),
        "plans_created": plans,
        "governance_groups_created": groups,
        "duty_partnerships_created": partnerships,
        "programmes_created": programmes,
    } | west_midlands_load()
