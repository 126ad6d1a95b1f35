"""Reads for plans. Every plan, action and document is fetched through ``*_get_for_user``."""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet

from vrhub.core.exceptions import NotFound
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_editable_by, areas_visible_to
from vrhub.plans.completeness import plan_completeness
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, Status, SupportingDocument, TemplateAction, Theme
from vrhub.plans.templates import template_themes_validate


def plans_visible_to(*, user) -> QuerySet[Plan]:
    """Plans of the areas the user may see, plus, for borough staff, other boroughs' accepted plans in
    the same VRU (peer learning). Another borough's draft or plan under review is never visible."""
    own = Plan.objects.filter(area__in=areas_visible_to(user=user))
    org = getattr(user, "organisation", None)
    if getattr(user, "is_borough_user", False) and org is not None and org.vru_id:
        peers = Plan.objects.filter(area__vru_id=org.vru_id, state=Plan.State.ACCEPTED)
        return (own | peers).select_related("area", "template")
    return own.select_related("area", "template")


def actions_editable_by(*, user) -> QuerySet[PlanAction]:
    """The actions of every plan ``user`` may change now (current, in draft or returned, in a borough they
    edit), with their plan's area and template, by year and code. One query however many plans."""
    plans = plans_visible_to(user=user).filter(
        is_current=True, state__in=Plan.EDITABLE_STATES, area__in=areas_editable_by(user=user)
    )
    return (
        PlanAction.objects.filter(plan__in=plans.values("pk"))
        .select_related("plan__area", "plan__template")
        .order_by("plan__template__year", "code")
    )


def is_own_plan(*, user, plan: Plan) -> bool:
    """Whether the plan belongs to an area the user works on (or oversees), not a peer's shared plan."""
    return areas_visible_to(user=user).filter(pk=plan.area_id).exists()


def user_can_edit_area(*, user, plan: Plan) -> bool:
    """Whether the user edits this plan's borough, whatever state the plan is in."""
    return areas_editable_by(user=user).filter(pk=plan.area_id).exists()


def user_can_edit_plan(*, user, plan: Plan) -> bool:
    """Whether the user may change the plan's content now (its borough's editor, plan in draft or returned)."""
    return plan.is_editable and user_can_edit_area(user=user, plan=plan)


def plan_get_for_user(*, user, pk: int, edit: bool = False) -> Plan:
    """The plan if ``user`` may see it (``NotFound`` otherwise); with ``edit``, 403 unless they may change it."""
    try:
        plan = plans_visible_to(user=user).select_related("area__bcu", "template__vru").get(pk=pk)
    except Plan.DoesNotExist as exc:
        raise NotFound("No such plan") from exc
    if edit and not user_can_edit_area(user=user, plan=plan):
        raise PermissionDenied("You can view this plan but not change it.")
    return plan


def plan_action_get_for_user(*, user, plan_pk: int, pk: int, edit: bool = False) -> PlanAction:
    plan = plan_get_for_user(user=user, pk=plan_pk, edit=edit)
    try:
        return plan.actions.select_related("theme", "template_action", "plan__template").get(pk=pk)
    except PlanAction.DoesNotExist as exc:
        raise NotFound("No such action") from exc


def documents_visible_to(*, user, plan: Plan) -> QuerySet[SupportingDocument]:
    """Documents of the plan the user may see: all of them for the owning borough and its VRU; for a peer
    borough reading an accepted plan, only those not marked internal, whatever the plan's state."""
    docs = SupportingDocument.objects.filter(action__plan=plan)
    if is_own_plan(user=user, plan=plan):
        return docs
    return docs.filter(internal=False)


def document_get_for_user(*, user, plan_pk: int, action_pk: int, pk: int, edit: bool = False) -> SupportingDocument:
    action = plan_action_get_for_user(user=user, plan_pk=plan_pk, pk=action_pk, edit=edit)
    try:
        return documents_visible_to(user=user, plan=action.plan).get(action=action, pk=pk)
    except SupportingDocument.DoesNotExist as exc:
        raise NotFound("No such document") from exc


def theme_get_for_plan(*, plan: Plan, code: str) -> Theme:
    try:
        return plan.template.themes.get(code=code)
    except Theme.DoesNotExist as exc:
        raise NotFound("No such theme") from exc


def plan_actions_for_theme(*, plan: Plan, theme: Theme, user) -> list[PlanAction]:
    """The theme's actions with the documents ``user`` may see."""
    docs = documents_visible_to(user=user, plan=plan)
    return list(
        plan.actions.filter(theme=theme)
        .select_related("template_action")
        .prefetch_related(Prefetch("documents", queryset=docs.order_by("uploaded_at")), "citations")
        .order_by("source", "order", "code")
    )


def optional_menu_for_theme(*, plan: Plan, theme: Theme) -> list[tuple[TemplateAction, bool]]:
    """The theme's optional actions, each with whether the plan has adopted it."""
    adopted = set(
        plan.actions.filter(theme=theme, source=PlanAction.Source.OPTIONAL).values_list("template_action_id", flat=True)
    )
    menu = theme.template_actions.filter(kind=TemplateAction.Kind.OPTIONAL).order_by("order")
    # A retired action is offered no more; a plan that adopted it before it was retired keeps it.
    return [(ta, ta.pk in adopted) for ta in menu if not ta.retired or ta.pk in adopted]


def template_earlier_action_codes(*, template: PlanTemplate) -> set[str]:
    """The action codes of every template this one was built from, year by year back."""
    codes: set[str] = set()
    ancestor = template.based_on
    seen = {template.pk}
    while ancestor is not None and ancestor.pk not in seen:
        seen.add(ancestor.pk)
        codes |= set(TemplateAction.objects.filter(theme__template=ancestor).values_list("code", flat=True))
        ancestor = ancestor.based_on
    return codes


def template_rule_problems(*, template: PlanTemplate) -> list[str]:
    """Every way the template breaks the template rules, each naming its theme or action; [] when it follows them.

    Retired actions keep their numbers (a code is never reused), so numbering counts them; a theme needs at least
    one mandatory action that is not retired. A number left by an action retired in an earlier year counts too.
    """
    themes = list(template.themes.prefetch_related("template_actions").order_by("order"))
    earlier = template_earlier_action_codes(template=template)
    present = {ta.code for t in themes for ta in t.template_actions.all()}
    data = []
    for t in themes:
        actions = [{"code": ta.code, "kind": ta.kind, "title": ta.title} for ta in t.template_actions.all()]
        # Numbers of actions dropped in earlier years stand in for them, so that the numbering stays unbroken.
        for code in sorted(earlier - present):
            match = re.fullmatch(rf"{re.escape(t.code)}-([MO])([1-9][0-9]*)", code)
            if match:
                kind = "mandatory" if match.group(1) == "M" else "optional"
                actions.append({"code": code, "kind": kind, "title": "(retired)"})
        actions.sort(key=lambda a: (a["code"].split("-")[-1][0], int(a["code"].split("-")[-1][1:] or 0)))
        data.append({"code": t.code, "title": t.title, "actions": actions})
    problems: list[str] = []
    try:
        template_themes_validate(themes=data)
    except ValidationError as exc:
        problems += exc.messages
    if not themes:
        problems.append("The template has no themes.")
    for t in themes:
        mandatory = [ta for ta in t.template_actions.all() if ta.kind == TemplateAction.Kind.MANDATORY]
        if mandatory and all(ta.retired for ta in mandatory):
            problems.append(f"Theme {t.code}: it has no mandatory action that is not retired.")
    return list(dict.fromkeys(problems))


def templates_available_to(*, user) -> QuerySet[PlanTemplate]:
    org = getattr(user, "organisation", None)
    if org is None:
        return PlanTemplate.objects.none()
    return PlanTemplate.objects.filter(vru=org.owning_vru, published=True).order_by("-year")


def previous_plan(*, area, year: int) -> Plan | None:
    return Plan.objects.filter(area=area, template__year__lt=year).order_by("-template__year").first()


def current_plan_get(*, area: str, year: int) -> Plan:
    """The current plan of the area with ONS code ``area`` for ``year``; ``NotFound`` with a one-line reason."""
    org = Organisation.objects.filter(code=(area or "").strip().upper(), kind=Organisation.Kind.AREA).first()
    if org is None:
        raise NotFound(f"Unknown area {area!r}: give the ONS code of a CSP area, e.g. E09000016.")
    plan = (
        Plan.objects.filter(area=org, template__year=year, is_current=True).select_related("template", "area").first()
    )
    if plan is None:
        raise NotFound(f"{org.name} ({org.code}) has no plan for {year}.")
    return plan


def plan_overview(*, plan: Plan) -> dict[str, Any]:
    """What the plan page shows of a plan: its completeness check, each theme's check and status counts,
    the problems with their actions, and the plan's other versions."""
    actions = list(plan.actions.select_related("theme").order_by("theme__order", "order", "code"))
    check = plan_completeness(plan, actions)
    themes = list(plan.template.themes.all())
    status_counts = {t.code: {s.value: 0 for s in Status} for t in themes}
    for a in actions:
        if a.status:
            status_counts[a.theme.code][a.status] += 1
    actions_by_code = {a.code: a for a in actions}
    return {
        "check": check,
        "theme_rows": [{"theme": t, "check": check.themes[t.code], "status": status_counts[t.code]} for t in themes],
        "problems": [(p, actions_by_code.get(p.action)) for p in check.problems],
        "missing_mandatory": [p.action for p in check.problems if p.field == "action"],
        "versions": list(
            Plan.objects.filter(area=plan.area, template=plan.template).exclude(pk=plan.pk).order_by("version")
        ),
    }


def plan_permissions(*, user, plan: Plan) -> dict[str, bool]:
    """What ``user`` may do on the plan's page now (the services check again when they do it)."""
    is_editor = user_can_edit_area(user=user, plan=plan)
    is_reviewer = bool(user.is_vru_user)
    in_review = plan.state in (Plan.State.SUBMITTED, Plan.State.RESUBMITTED)
    return {
        "can_edit": user_can_edit_plan(user=user, plan=plan),
        "can_sign": bool(user.is_signatory) and plan.is_editable,
        "can_submit": is_editor and plan.is_editable,
        "can_review": is_reviewer and plan.is_current and in_review,
        "can_new_version": is_editor and plan.is_current and plan.state == Plan.State.ACCEPTED,
        "can_comment": is_reviewer,
        "can_reply": is_editor or is_reviewer,
    }


# Template management --------------------------------------------------------------------------------


def templates_managed_by(*, user) -> QuerySet[PlanTemplate]:
    """The templates of the VRU ``user`` administers, newest first; none for anyone else."""
    org = getattr(user, "organisation", None)
    if not getattr(user, "is_vru_admin", False) or org is None or org.kind != Organisation.Kind.VRU:
        return PlanTemplate.objects.none()
    return PlanTemplate.objects.filter(vru=org).select_related("vru", "based_on").order_by("-year")


def template_get_for_admin(*, user, pk: int) -> PlanTemplate:
    """A template the user administers; ``NotFound`` for any other (another VRU's admin cannot tell it exists)."""
    try:
        return templates_managed_by(user=user).get(pk=pk)
    except PlanTemplate.DoesNotExist as exc:
        raise NotFound("No such template") from exc


def template_theme_get_for_admin(*, user, template_pk: int, pk: int) -> Theme:
    template = template_get_for_admin(user=user, pk=template_pk)
    try:
        return template.themes.select_related("template").get(pk=pk)
    except Theme.DoesNotExist as exc:
        raise NotFound("No such theme") from exc


def template_action_get_for_admin(*, user, template_pk: int, pk: int) -> TemplateAction:
    template = template_get_for_admin(user=user, pk=template_pk)
    try:
        return TemplateAction.objects.select_related("theme__template").get(theme__template=template, pk=pk)
    except TemplateAction.DoesNotExist as exc:
        raise NotFound("No such action") from exc


def template_contents(*, template: PlanTemplate) -> list[dict[str, Any]]:
    """The template's themes, each with its mandatory and optional actions (retired ones listed apart)."""
    themes = []
    for theme in template.themes.prefetch_related("template_actions").order_by("order"):
        actions = sorted(theme.template_actions.all(), key=lambda ta: (ta.kind, ta.order, ta.code))
        themes.append(
            {
                "theme": theme,
                "mandatory": [ta for ta in actions if ta.kind == TemplateAction.Kind.MANDATORY and not ta.retired],
                "optional": [ta for ta in actions if ta.kind == TemplateAction.Kind.OPTIONAL and not ta.retired],
                "retired": [ta for ta in actions if ta.retired],
            }
        )
    return themes


def template_can_start_next_year(*, template: PlanTemplate) -> bool:
    """Whether the VRU has no template for the year after ``template``'s yet."""
    return not PlanTemplate.objects.filter(vru_id=template.vru_id, year=template.year + 1).exists()
