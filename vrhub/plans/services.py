"""Every change to templates, plans, actions and documents goes through these functions,
each of which validates, writes inside a transaction and records the audit trail."""

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vrhub.core.audit import (
    audit_changes,
    audit_created,
    audit_deleted,
    audit_deleted_with_cascade,
    audit_text,
    diff_fields,
)
from vrhub.core.limits import text_length_errors
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import areas_editable_by
from vrhub.plans.documents import validate_upload
from vrhub.plans.models import (
    Plan,
    PlanAction,
    PlanTemplate,
    Status,
    SupportingDocument,
    TemplateAction,
    Theme,
)
from vrhub.plans.pages import require_void_confirmed as _require_void_confirmed
from vrhub.plans.selectors import template_earlier_action_codes, template_rule_problems
from vrhub.plans.signals import plan_content_changed
from vrhub.plans.templates import TITLE_MAX, template_themes_validate

COPIED_FIELDS = PlanAction.EDITABLE_FIELDS


class ConflictError(Exception):
    """Someone else saved the action since this user loaded it; ``changes`` are their audit entries."""

    def __init__(self, action: PlanAction, changes: list):
        self.action = action
        self.changes = changes
        super().__init__(f"{action.code} was changed by someone else")


def _require_editable(plan: Plan) -> None:
    """Refuse, with the reason, a change to a plan whose content is not open for changes."""
    if reason := plan.not_editable_reason:
        raise ValidationError(reason)


def plan_lock_editable(*, plan_id: int) -> Plan:
    """The one guard before any change to a plan's content: lock the plan's row until the caller's
    transaction ends and check, under the lock, that the plan may still change.

    Submission, review decisions and new versions lock the same row (``plan_submit`` and the others),
    so a change either commits before the plan leaves draft (and is in what was submitted) or waits
    and is then refused here. Raises ValidationError saying why the plan cannot change. Views may read
    ``Plan.is_editable`` to show or hide controls; only this decides.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("plan_lock_editable must run inside the transaction of the change it guards")
    plan = Plan.objects.select_for_update(of=("self",)).select_related("template", "area").get(pk=plan_id)
    _require_editable(plan)
    return plan


def _content_changed(*, plan: Plan, user, reason: str) -> None:
    """Every change to a plan's content ends here: touch the plan and say so (vrhub.cycle voids its signatures)."""
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    plan_content_changed.send(sender=Plan, plan=plan, user=user, reason=reason)


def _require_editor(*, user, area: Organisation) -> None:
    """Defence in depth behind the views' fetch-and-authorise helpers. ``user=None`` is the
    system itself (management commands run by an operator, demo seeding)."""
    if user is None:
        return
    if not areas_editable_by(user=user).filter(pk=area.pk).exists():
        raise PermissionDenied("You cannot change this borough's plan.")


# Templates -------------------------------------------------------------------------------------


@transaction.atomic
def template_create_from_content(
    *,
    vru: Organisation,
    year: int,
    title: str,
    themes: list[dict],
    user=None,
    based_on: PlanTemplate | None = None,
    published: bool = False,
    submission_deadline: date | None = None,
) -> PlanTemplate:
    """Create a template from plain data: ``[{code, title, description, actions: [{code, kind, title, guidance}]}]``."""
    template_themes_validate(themes=themes)
    if vru.kind != Organisation.Kind.VRU:
        raise ValidationError({"vru": "Templates belong to a Violence Reduction Unit."})
    if PlanTemplate.objects.filter(vru=vru, year=year).exists():
        raise ValidationError({"year": f"{vru} already has a template for {year}."})
    template = PlanTemplate.objects.create(
        vru=vru, year=year, title=title, based_on=based_on, published=published, submission_deadline=submission_deadline
    )
    audit_created(actor=user, obj=template, fields=["year", "title", "published"])
    for order, theme_data in enumerate(themes, start=1):
        theme_add(template=template, data=theme_data, order=order, user=user)
    return template


THEME_AUDITED = ["code", "title", "description", "order"]
TEMPLATE_ACTION_AUDITED = ["code", "kind", "title", "guidance"]


@transaction.atomic
def theme_add(*, template: PlanTemplate, data: dict, order: int | None = None, user=None) -> Theme:
    """Add a theme (and its actions) to a template. ``user=None`` is the system (demo data, commands)."""
    if order is None:
        order = (template.themes.aggregate(m=Max("order"))["m"] or 0) + 1
    theme = Theme.objects.create(
        template=template, code=data["code"], title=data["title"], description=data.get("description", ""), order=order
    )
    audit_created(actor=user, obj=theme, fields=THEME_AUDITED)
    template_actions_add(theme=theme, actions=data.get("actions", []), user=user)
    return theme


@transaction.atomic
def template_actions_add(*, theme: Theme, actions: list[dict], user=None) -> None:
    """Add actions to a template's theme; every code is checked before anything is written."""
    existing = set(TemplateAction.objects.filter(theme__template_id=theme.template_id).values_list("code", flat=True))
    start = (theme.template_actions.aggregate(m=Max("order"))["m"] or 0) + 1
    new = []
    for i, a in enumerate(actions, start=start):
        if a["code"] in existing:
            raise ValidationError({"code": f"Action code {a['code']} is already used in this template."})
        if a["kind"] not in TemplateAction.Kind.values:
            raise ValidationError({"kind": f"{a['code']}: kind must be mandatory or optional."})
        existing.add(a["code"])
        new.append(
            TemplateAction(
                theme=theme, code=a["code"], kind=a["kind"], title=a["title"], guidance=a.get("guidance", ""), order=i
            )
        )
    for ta in TemplateAction.objects.bulk_create(new):
        audit_created(actor=user, obj=ta, fields=TEMPLATE_ACTION_AUDITED)


@transaction.atomic
def template_create_for_year(
    *, source: PlanTemplate, year: int, title: str, user=None, retire: list[str] | None = None
) -> PlanTemplate:
    """Start a new year's template as a copy of ``source``, less the ``retire``d action codes."""
    if year <= source.year:
        raise ValidationError({"year": f"The new template's year must be after {source.year}."})
    if PlanTemplate.objects.filter(vru=source.vru, year=year).exists():
        raise ValidationError({"year": f"{source.vru} already has a template for {year}."})
    retired = set(retire or [])
    new = PlanTemplate.objects.create(vru=source.vru, year=year, title=title, based_on=source)
    audit_created(actor=user, obj=new, fields=["year", "title", "based_on"])
    for theme in source.themes.prefetch_related("template_actions"):
        new_theme = Theme.objects.create(
            template=new, code=theme.code, title=theme.title, description=theme.description, order=theme.order
        )
        audit_created(actor=user, obj=new_theme, fields=THEME_AUDITED)
        copies = TemplateAction.objects.bulk_create(
            TemplateAction(
                theme=new_theme, code=ta.code, kind=ta.kind, title=ta.title, guidance=ta.guidance, order=ta.order
            )
            for ta in theme.template_actions.all()
            if ta.code not in retired
        )
        for ta in copies:
            audit_created(actor=user, obj=ta, fields=TEMPLATE_ACTION_AUDITED)
    return new


# Template management by a VRU admin ----------------------------------------------------------------
#
# A VRU admin builds next year's template from last year's, changes it freely while it is a draft, and
# publishes it once it passes the template rules (``templates.template_themes_validate``). Once published,
# boroughs start plans from it, so only what does not change a plan's actions may change: the submission
# deadline, the guidance on actions and the descriptions of themes.

PUBLISHED_TEMPLATE_CHANGES = "the submission deadline, the guidance on each action and the description of each theme"
TEMPLATE_TITLE_MAX = 200


def _require_template_admin(*, user, vru: Organisation) -> None:
    if user is None or not user.is_vru_admin or user.organisation_id != vru.pk:
        raise PermissionDenied("Only the VRU's admins manage its templates.")


def _lock_template(*, template_id: int, user, draft_only: bool, what: str) -> PlanTemplate:
    """Lock the template's row for the change (inside its transaction) and check the user may make it."""
    template = PlanTemplate.objects.select_for_update().select_related("vru").get(pk=template_id)
    _require_template_admin(user=user, vru=template.vru)
    if draft_only and template.published:
        raise ValidationError(
            f"The {template.year} template is published, so {what} cannot change: boroughs are writing plans "
            f"from it. Only {PUBLISHED_TEMPLATE_CHANGES} may change."
        )
    return template


def _text_errors(model, values: dict[str, str]) -> dict[str, str]:
    return text_length_errors(model=model, data=values)


def _next_action_code(*, theme: Theme, kind: str) -> str:
    """The next free number for ``kind`` in the theme: never the number of an action retired here or
    dropped in an earlier year (a plan carried over from that year would match the old action's code)."""
    prefix = f"{theme.code}-{'M' if kind == TemplateAction.Kind.MANDATORY else 'O'}"
    codes = set(TemplateAction.objects.filter(theme=theme).values_list("code", flat=True))
    codes |= template_earlier_action_codes(template=theme.template)
    numbers = [int(code[len(prefix) :]) for code in codes if code.startswith(prefix) and code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


@transaction.atomic
def template_start_next_year(*, source: PlanTemplate, user) -> PlanTemplate:
    """Next year's draft template as a copy of ``source``'s themes and (not retired) actions."""
    _require_template_admin(user=user, vru=source.vru)
    PlanTemplate.objects.select_for_update().filter(pk=source.pk).first()
    year = source.year + 1
    title = source.title.replace(str(source.year), str(year)) if str(source.year) in source.title else source.title
    if title == source.title:
        title = f"{year} {source.title}"[:TEMPLATE_TITLE_MAX]
    retired = list(TemplateAction.objects.filter(theme__template=source, retired=True).values_list("code", flat=True))
    return template_create_for_year(source=source, year=year, title=title, user=user, retire=retired)


@transaction.atomic
def template_settings_update(*, template: PlanTemplate, user, title: str, submission_deadline: date | None) -> dict:
    """Change the template's title (drafts only) and submission deadline; returns the changes made."""
    locked = _lock_template(template_id=template.pk, user=user, draft_only=False, what="")
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter the template's title"
    elif len(title) > TEMPLATE_TITLE_MAX:
        errors["title"] = f"The title must be {TEMPLATE_TITLE_MAX} characters or fewer (it has {len(title)})"
    if submission_deadline is not None and not (
        date(locked.year, 1, 1) <= submission_deadline <= date(locked.year + 1, 3, 31)
    ):
        errors["submission_deadline"] = (
            f"The deadline must be in the plan year: between 1 January {locked.year} and 31 March {locked.year + 1}"
        )
    if locked.published and title != locked.title and "title" not in errors:
        errors["title"] = f"The template is published: only {PUBLISHED_TEMPLATE_CHANGES} may change"
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(locked, {"title": title, "submission_deadline": submission_deadline})
    for f, (_old, new) in changes.items():
        setattr(locked, f, new)
    if changes:
        locked.save(update_fields=list(changes))
        audit_changes(actor=user, obj=locked, changes=changes)
    return changes


@transaction.atomic
def template_theme_add(*, template: PlanTemplate, user, code: str, title: str, description: str = "") -> Theme:
    """Add a theme (with no actions yet) to a draft template."""
    locked = _lock_template(template_id=template.pk, user=user, draft_only=True, what="its themes")
    code = (code or "").strip().upper()
    title = (title or "").strip()
    description = (description or "").strip()
    errors = _text_errors(Theme, {"code": code, "title": title, "description": description})
    if not re.fullmatch(r"[A-Z]{2,6}", code):
        errors["code"] = "The code must be 2 to 6 capital letters, e.g. VAWG"
    elif locked.themes.filter(code=code).exists():
        errors["code"] = f"The template already has a theme {code}"
    if not title:
        errors["title"] = "Enter the theme's title"
    if errors:
        raise ValidationError(errors)
    return theme_add(template=locked, data={"code": code, "title": title, "description": description}, user=user)


@transaction.atomic
def template_theme_update(*, theme: Theme, user, title: str, description: str) -> dict:
    """Change a theme's title (drafts only) and description; returns the changes made."""
    locked = _lock_template(template_id=theme.template_id, user=user, draft_only=False, what="")
    current = Theme.objects.select_for_update().get(pk=theme.pk)
    title = (title or "").strip()
    description = (description or "").strip()
    errors = _text_errors(Theme, {"title": title, "description": description})
    if not title:
        errors["title"] = "Enter the theme's title"
    elif locked.published and title != current.title:
        errors["title"] = f"The template is published: only {PUBLISHED_TEMPLATE_CHANGES} may change"
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(current, {"title": title, "description": description})
    for f, (_old, new) in changes.items():
        setattr(current, f, new)
    if changes:
        current.save(update_fields=list(changes))
        audit_changes(actor=user, obj=current, changes=changes)
    return changes


@transaction.atomic
def template_action_add(*, theme: Theme, user, kind: str, title: str, guidance: str = "") -> TemplateAction:
    """Add an action to a draft template's theme, numbered after the theme's last action of its kind."""
    _lock_template(template_id=theme.template_id, user=user, draft_only=True, what="its actions")
    title = (title or "").strip()
    guidance = (guidance or "").strip()
    errors = _text_errors(TemplateAction, {"title": title, "guidance": guidance})
    if kind not in TemplateAction.Kind.values:
        errors["kind"] = "Choose whether the action is mandatory or optional"
    if not title:
        errors["title"] = "Enter the action's title"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"The title must be {TITLE_MAX} characters or fewer (it has {len(title)})"
    if errors:
        raise ValidationError(errors)
    code = _next_action_code(theme=theme, kind=kind)
    template_actions_add(
        theme=theme, actions=[{"code": code, "kind": kind, "title": title, "guidance": guidance}], user=user
    )
    return TemplateAction.objects.get(theme=theme, code=code)


@transaction.atomic
def template_action_update(*, action: TemplateAction, user, title: str, guidance: str) -> dict:
    """Change an action's title (drafts only) and guidance; returns the changes made."""
    locked = _lock_template(template_id=action.theme.template_id, user=user, draft_only=False, what="")
    current = TemplateAction.objects.select_for_update().get(pk=action.pk)
    title = (title or "").strip()
    guidance = (guidance or "").strip()
    errors = _text_errors(TemplateAction, {"title": title, "guidance": guidance})
    if not title:
        errors["title"] = "Enter the action's title"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"The title must be {TITLE_MAX} characters or fewer (it has {len(title)})"
    elif locked.published and title != current.title:
        errors["title"] = f"The template is published: only {PUBLISHED_TEMPLATE_CHANGES} may change"
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(current, {"title": title, "guidance": guidance})
    for f, (_old, new) in changes.items():
        setattr(current, f, new)
    if changes:
        current.save(update_fields=list(changes))
        audit_changes(actor=user, obj=current, changes=changes)
    return changes


@transaction.atomic
def template_action_retire(*, action: TemplateAction, user, retired: bool = True) -> bool:
    """Retire an action of a draft template (or bring it back). A retired action is not offered on new
    plans and is not copied into later templates; plans of earlier years keep theirs. Returns whether it changed."""
    _lock_template(template_id=action.theme.template_id, user=user, draft_only=True, what="its actions")
    current = TemplateAction.objects.select_for_update().get(pk=action.pk)
    if current.retired == retired:
        return False
    audit_changes(actor=user, obj=current, changes={"retired": (current.retired, retired)})
    current.retired = retired
    current.save(update_fields=["retired"])
    return True


@transaction.atomic
def template_publish(*, template: PlanTemplate, user) -> PlanTemplate:
    """Publish a draft template once it follows the template rules; boroughs may then start plans from it."""
    locked = _lock_template(template_id=template.pk, user=user, draft_only=False, what="")
    if locked.published:
        raise ValidationError(f"The {locked.year} template is already published.")
    problems = template_rule_problems(template=locked)
    if problems:
        raise ValidationError(problems)
    locked.published = template.published = True
    locked.save(update_fields=["published"])
    audit_changes(actor=user, obj=locked, changes={"published": (False, True)})
    return locked


# Plans -----------------------------------------------------------------------------------------


@dataclass
class PlanCreated:
    plan: Plan
    copied: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)


@transaction.atomic
def plan_create(*, area: Organisation, template: PlanTemplate, user, copy_from: Plan | None = None) -> PlanCreated:
    """Create a plan with every mandatory action; optionally carry over last year's plan.

    Carrying over copies each action's content to the action with the same code in the new
    template (adopting optional ones again) and keeps local actions whose theme still exists.
    Actions the new template retired are listed in ``not_carried``.
    """
    _require_editor(user=user, area=area)
    if area.kind != Organisation.Kind.AREA:
        raise ValidationError({"area": "Plans belong to Community Safety Partnership areas."})
    if template.vru_id != area.vru_id:
        raise ValidationError({"template": "This template belongs to another VRU."})
    if not template.published:
        raise ValidationError({"template": "This template has not been published yet."})
    if Plan.objects.filter(area=area, template=template, is_current=True).exists():
        raise ValidationError({"template": f"{area} already has a {template.year} plan."})
    if copy_from is not None and (copy_from.area_id != area.id or copy_from.template.year >= template.year):
        raise ValidationError({"copy_from": "You can only start from an earlier plan of the same borough."})

    plan = Plan.objects.create(area=area, template=template, created_from=copy_from)
    audit_created(actor=user, obj=plan, fields=["area", "template", "created_from"], plan_id=plan.pk)
    template_actions = {
        ta.code: ta
        for ta in TemplateAction.objects.filter(theme__template=template, retired=False).select_related("theme")
    }
    themes = {t.code: t for t in template.themes.all()}
    result = PlanCreated(plan=plan)
    new_actions: list[PlanAction] = []
    used: set[str] = set()

    if copy_from is not None:
        for old in copy_from.actions.select_related("theme").order_by("theme__order", "order", "code"):
            content = {f: getattr(old, f) for f in COPIED_FIELDS}
            ta = template_actions.get(old.code) if old.source != PlanAction.Source.LOCAL else None
            if ta is not None:
                new_actions.append(_action_from_template(plan, ta, **content))
                used.add(ta.code)
                result.copied.append(old.code)
            elif old.source == PlanAction.Source.LOCAL and old.theme.code in themes:
                new_actions.append(
                    PlanAction(
                        plan=plan,
                        theme=themes[old.theme.code],
                        source=PlanAction.Source.LOCAL,
                        code=old.code,
                        title=old.title,
                        description=old.description,
                        order=old.order,
                        **content,
                    )
                )
                result.copied.append(old.code)
            else:
                result.not_carried.append(old.code)
    for ta in template_actions.values():
        if ta.kind == TemplateAction.Kind.MANDATORY and ta.code not in used:
            new_actions.append(_action_from_template(plan, ta))
    PlanAction.objects.bulk_create(new_actions)
    for action in plan.actions.all():
        filled = [f for f in COPIED_FIELDS if getattr(action, f) not in ("", None, False)]
        audit_created(
            actor=user, obj=action, fields=["code", "title", "source", *filled], plan_id=plan.pk, action_id=action.pk
        )
    return result


@transaction.atomic
def plan_new_version(*, plan: Plan, user) -> Plan:
    """Reopen an accepted plan as a new draft version carrying all its content; the accepted
    version stays as it was, read-only, for the record."""
    _require_editor(user=user, area=plan.area)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_current or plan.state != Plan.State.ACCEPTED:
        raise ValidationError("Only the current, accepted version of a plan can be reopened as a new version.")
    plan.is_current = False
    plan.save(update_fields=["is_current", "updated_at"])
    audit_changes(actor=user, obj=plan, changes={"is_current": (True, False)}, plan_id=plan.pk)
    new = Plan.objects.create(
        area=plan.area, template=plan.template, created_from=plan, version=plan.version + 1, synthetic=plan.synthetic
    )
    audit_created(actor=user, obj=new, fields=["version", "created_from"], plan_id=new.pk)
    for old in plan.actions.prefetch_related("documents", "citations").order_by("pk"):
        docs = list(old.documents.all())
        citations = list(old.citations.all())
        old.pk = None
        old.plan = new
        old.version = 1
        old.updated_by = user
        old.save()
        filled = [f for f in COPIED_FIELDS if getattr(old, f) not in ("", None, False)]
        audit_created(
            actor=user, obj=old, fields=["code", "title", "source", *filled], plan_id=new.pk, action_id=old.pk
        )
        for doc in docs:
            doc.pk = None
            doc.action = old
            doc.save()
            audit_created(actor=user, obj=doc, fields=DOCUMENT_AUDITED, plan_id=new.pk, action_id=old.pk)
        for citation in citations:
            citation.pk = None
            citation.action = old
            citation.save()
            audit_created(actor=user, obj=citation, fields=CITATION_AUDITED, plan_id=new.pk, action_id=old.pk)
    return new


DOCUMENT_AUDITED = ["title", "url", "original_name", "internal"]
CITATION_AUDITED = ["measure", "area_code", "period", "value", "source"]


def _action_from_template(plan: Plan, ta: TemplateAction, **content) -> PlanAction:
    source = PlanAction.Source.MANDATORY if ta.kind == TemplateAction.Kind.MANDATORY else PlanAction.Source.OPTIONAL
    return PlanAction(
        plan=plan,
        theme=ta.theme,
        template_action=ta,
        source=source,
        code=ta.code,
        title=ta.title,
        order=ta.order,
        **content,
    )


@transaction.atomic
def plan_set_optional_actions(
    *, plan: Plan, theme: Theme, user, adopted: list[TemplateAction], confirmed_voids: Collection[str] | None = None
) -> tuple[list[str], list[str]]:
    """Make the plan's adopted optional actions of ``theme`` exactly ``adopted``.

    Returns the codes added and removed. An optional action with content cannot be dropped
    here; mark it "Not being undertaken" with a rationale instead.
    """
    _require_editor(user=user, area=plan.area)
    plan = plan_lock_editable(plan_id=plan.pk)
    if theme.template_id != plan.template_id:
        raise ValidationError({"theme": "That theme is not in this plan's template."})
    current = {a.template_action_id: a for a in plan.actions.filter(theme=theme, source=PlanAction.Source.OPTIONAL)}
    for ta in adopted:
        if ta.theme_id != theme.pk or ta.kind != TemplateAction.Kind.OPTIONAL:
            raise ValidationError({"adopted": f"{ta.code} is not an optional action of this theme."})
        if ta.retired and ta.pk not in current:
            raise ValidationError({"adopted": f"{ta.code} has been retired by the VRU and cannot be adopted."})
    wanted = {ta.pk for ta in adopted}
    to_remove = [a for ta_id, a in current.items() if ta_id not in wanted]
    with_content = [a.code for a in to_remove if action_has_content(action=a)]
    if with_content:
        raise ValidationError(
            {
                "adopted": f"{', '.join(with_content)} already has content. Mark it as not being undertaken "
                "and give the rationale in comments instead."
            }
        )
    if confirmed_voids is not None and (to_remove or any(ta.pk not in current for ta in adopted)):
        _require_void_confirmed(plan=plan, confirmed=confirmed_voids)
    added = []
    for ta in adopted:
        if ta.pk not in current:
            action = _action_from_template(plan, ta)
            action.updated_by = user
            action.save()
            audit_created(
                actor=user, obj=action, fields=["code", "title", "source"], plan_id=plan.pk, action_id=action.pk
            )
            added.append(ta.code)
    removed = []
    for action in to_remove:
        audit_deleted(actor=user, obj=action, plan_id=plan.pk, action_id=action.pk)
        removed.append(action.code)
        action.delete()
    if added or removed:
        _content_changed(plan=plan, user=user, reason=f"optional actions changed in {theme.title}")
    return added, removed


def action_has_content(*, action: PlanAction) -> bool:
    """Whether anyone has written anything in the action or attached a document to it."""
    return any(getattr(action, f) not in ("", None, False) for f in COPIED_FIELDS) or action.documents.exists()


@transaction.atomic
def plan_add_local_action(
    *,
    plan: Plan,
    theme: Theme,
    user,
    title: str,
    description: str = "",
    confirmed_voids: Collection[str] | None = None,
) -> PlanAction:
    _require_editor(user=user, area=plan.area)
    plan = plan_lock_editable(plan_id=plan.pk)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter a title for the local action"
    too_long = text_length_errors(model=PlanAction, data={"title": title, "description": description or ""})
    errors |= {k: v for k, v in too_long.items() if k not in errors}
    if theme.template_id != plan.template_id:
        errors["theme"] = "That theme is not in this plan's template."
    if errors:
        raise ValidationError(errors)
    if confirmed_voids is not None:
        _require_void_confirmed(plan=plan, confirmed=confirmed_voids)
    existing = plan.actions.filter(theme=theme, source=PlanAction.Source.LOCAL).values_list("code", flat=True)
    numbers = [int(c.rsplit("L", 1)[1]) for c in existing if c.rsplit("L", 1)[-1].isdigit()]
    code = f"{theme.code}-L{max(numbers, default=0) + 1}"
    order = (plan.actions.filter(theme=theme).aggregate(m=Max("order"))["m"] or 0) + 1
    action = PlanAction.objects.create(
        plan=plan,
        theme=theme,
        source=PlanAction.Source.LOCAL,
        code=code,
        title=title,
        description=description.strip(),
        order=order,
        updated_by=user,
    )
    audit_created(
        actor=user, obj=action, fields=["code", "title", "description", "source"], plan_id=plan.pk, action_id=action.pk
    )
    _content_changed(plan=plan, user=user, reason=f"local action {code} added")
    return action


@transaction.atomic
def plan_add_missing_mandatory(*, plan: Plan, user, confirmed_voids: Collection[str] | None = None) -> list[str]:
    """Add any mandatory action of the template that the plan lacks (e.g. one the VRU added later)."""
    _require_editor(user=user, area=plan.area)
    plan = plan_lock_editable(plan_id=plan.pk)
    present = set(plan.actions.exclude(template_action=None).values_list("template_action_id", flat=True))
    missing = (
        TemplateAction.objects.filter(
            theme__template_id=plan.template_id, kind=TemplateAction.Kind.MANDATORY, retired=False
        )
        .exclude(pk__in=present)
        .select_related("theme")
    )
    if confirmed_voids is not None and missing.exists():
        _require_void_confirmed(plan=plan, confirmed=confirmed_voids)
    added = []
    for ta in missing:
        action = _action_from_template(plan, ta)
        action.updated_by = user
        action.save()
        audit_created(actor=user, obj=action, fields=["code", "title", "source"], plan_id=plan.pk, action_id=action.pk)
        added.append(ta.code)
    if added:
        _content_changed(plan=plan, user=user, reason=f"mandatory actions added: {', '.join(added)}")
    return added


@transaction.atomic
def plan_remove_action(*, action: PlanAction, user, confirmed_voids: Collection[str] | None = None) -> None:
    """Remove an adopted optional or a local action. Mandatory actions stay in every plan."""
    _require_editor(user=user, area=action.plan.area)
    plan = plan_lock_editable(plan_id=action.plan_id)
    if action.source == PlanAction.Source.MANDATORY:
        raise ValidationError(
            "Mandatory actions cannot be removed. "
            "Mark the action as not being undertaken and give the rationale instead."
        )
    if confirmed_voids is not None:
        _require_void_confirmed(plan=plan, confirmed=confirmed_voids)
    stored = [(doc.file.storage, doc.file.name) for doc in action.documents.all() if doc.file.name]
    # The action, and its documents, citations, quarterly updates, comments and good-practice flag with it.
    audit_deleted_with_cascade(actor=user, objects=[action], plan_id=plan.pk, action_id=action.pk)
    code = action.code
    action.delete()
    for storage, name in stored:
        if not SupportingDocument.objects.filter(file=name).exists():
            transaction.on_commit(partial(storage.delete, name))
    _content_changed(plan=plan, user=user, reason=f"{code} removed")


def validate_action_data(data: dict[str, Any], *, action: PlanAction | None = None) -> None:
    """Cross-field rules for an action's content; raises ValidationError naming each field."""
    errors: dict[str, str] = text_length_errors(model=PlanAction, data=data)
    start, end = data.get("start_date"), data.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_date"] = "End date must be the same as or after the start date"
    status = data.get("status", "")
    if status and status not in Status.values:
        errors["status"] = "Choose a status from the list"
    if status == Status.NOT_UNDERTAKEN and not (data.get("comments") or "").strip():
        errors["comments"] = "Give the rationale for not undertaking this action"
    if start and (data.get("start_note") or "").strip():
        errors["start_note"] = "Give a start date or a note such as Ongoing, not both"
    if end and (data.get("end_note") or "").strip():
        errors["end_note"] = "Give an end date or a note such as Ongoing, not both"
    if data.get("start_estimated") and not start:
        errors["start_date"] = "Enter the estimated start date, or untick 'estimate'"
    if data.get("end_estimated") and not end:
        errors["end_date"] = "Enter the estimated end date, or untick 'estimate'"
    if action is not None and "title" in data and action.source != PlanAction.Source.LOCAL:
        errors["title"] = "Only local actions can be renamed"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    user,
    data: dict[str, Any],
    expected_version: int | None = None,
    confirmed_voids: Collection[str] | None = None,
) -> dict:
    """Apply ``data`` to an action; returns the changes made as ``{field: (old, new)}``.

    ``confirmed_voids`` are the keys of the signatures the person was told their save would void and
    agreed to void (``pages.signatures_a_change_voids``); pages always give it (empty when they named
    none). A change that would void a signature not among them is refused, under the plan's lock (the
    lock signing takes too), so a page loaded before someone signed cannot void their signature silently.
    Only trusted callers with no page (commands, imports, demo data, tests) leave it out.

    With ``expected_version`` (the version the person's form was loaded at), another person's
    saves since then are merged: fields this person left as they were keep the other person's
    values. Only when both changed the same field is the save refused (ConflictError), reporting
    what the other person changed.
    """
    _require_editor(user=user, area=action.plan.area)
    plan = plan_lock_editable(plan_id=action.plan_id)
    allowed = set(PlanAction.EDITABLE_FIELDS) | (
        {"title", "description"} if action.source == PlanAction.Source.LOCAL else set()
    )
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({f: "This field cannot be changed here" for f in sorted(unknown)})
    current = PlanAction.objects.select_for_update().get(pk=action.pk)
    if expected_version is not None and not 1 <= expected_version <= current.version:
        raise ValidationError(
            {
                "version": f"This page was loaded for version {expected_version} of {current.code}, which it has "
                f"never had (it is at version {current.version}): reload the page and make your change again."
            }
        )
    if expected_version is not None and current.version != expected_version:
        theirs = list(
            AuditEntry.objects.filter(
                object_type=current._meta.label_lower, object_id=str(current.pk), object_version__gt=expected_version
            )
            .select_related("actor")
            .order_by("at", "id")
        )
        base: dict[str, str] = {}
        for entry in theirs:
            base.setdefault(entry.field, entry.old)
        data = {f: v for f, v in data.items() if not (f in base and audit_text(v) == base[f])}
        clashes = {f for f in base if f in data and audit_text(data[f]) != audit_text(getattr(current, f))}
        if clashes:
            raise ConflictError(current, [e for e in theirs if e.field in clashes])
    merged = {f: getattr(current, f) for f in allowed} | data
    validate_action_data(merged, action=current)
    changes = diff_fields(current, data)
    if not changes:
        return {}
    if confirmed_voids is not None:
        _require_void_confirmed(plan=plan, confirmed=confirmed_voids)
    for f, (_old, new) in changes.items():
        setattr(current, f, new)
    current.version += 1
    current.updated_by = user
    current.full_clean(
        exclude=["plan", "theme", "template_action", "updated_by"], validate_unique=False, validate_constraints=False
    )
    current.save()
    audit_changes(
        actor=user,
        obj=current,
        changes=changes,
        plan_id=current.plan_id,
        object_version=current.version,
        action_id=current.pk,
    )
    _content_changed(plan=plan, user=user, reason=f"{current.code} changed")
    action.__dict__.update({f: getattr(current, f) for f in allowed} | {"version": current.version})
    return changes


# Documents -------------------------------------------------------------------------------------


@transaction.atomic
def document_add(
    *,
    action: PlanAction,
    user,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    internal: bool = False,
    confirmed_voids: Collection[str] | None = None,
) -> SupportingDocument:
    _require_editor(user=user, area=action.plan.area)
    plan = plan_lock_editable(plan_id=action.plan_id)
    title = (title or "").strip()
    url = (url or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter a title for the document"
    if bool(file) == bool(url):
        errors["file"] = "Upload a file or give a link, not both" if file else "Upload a file or give a link"
    if url and not url.lower().startswith(("https://", "http://")):
        errors["url"] = "Enter a link starting with https://"
    errors |= text_length_errors(model=SupportingDocument, data={"title": title, "url": url})
    content_type = ""
    if file and "file" not in errors:
        try:
            content_type = validate_upload(file)
        except ValidationError as exc:
            errors["file"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    if confirmed_voids is not None:
        _require_void_confirmed(plan=plan, confirmed=confirmed_voids)
    doc = SupportingDocument(action=action, title=title, url=url, internal=internal, uploaded_by=user)
    if file:
        doc.original_name = (file.name or "upload")[:255]
        doc.size = file.size
        doc.content_type = content_type
        _store_upload(doc=doc, file=file)
    try:
        doc.save()
        audit_created(actor=user, obj=doc, fields=DOCUMENT_AUDITED, plan_id=action.plan_id, action_id=action.pk)
        _content_changed(plan=plan, user=user, reason=f"document added to {action.code}")
    except BaseException:
        # The transaction rolls back; the stored file must go with it.
        if doc.file.name:
            doc.file.storage.delete(doc.file.name)
        raise
    return doc


def _store_upload(*, doc: SupportingDocument, file: UploadedFile) -> None:
    """Write the upload to storage, or nothing at all: a full disk leaves no partial file and says so."""
    storage = doc.file.storage
    name = storage.get_available_name(doc.file.field.generate_filename(doc, file.name or "upload"))
    try:
        doc.file.name = storage.save(name, file)
    except OSError as exc:
        if storage.exists(name):
            storage.delete(name)
        raise ValidationError(
            {
                "file": "The server could not store this file (it has no room, or cannot write). Nothing was "
                "saved: try again later or tell your administrator."
            }
        ) from exc


@transaction.atomic
def document_delete(*, document: SupportingDocument, user, confirmed_voids: Collection[str] | None = None) -> None:
    _require_editor(user=user, area=document.action.plan.area)
    plan = plan_lock_editable(plan_id=document.action.plan_id)
    if confirmed_voids is not None:
        _require_void_confirmed(plan=plan, confirmed=confirmed_voids)
    audit_deleted(actor=user, obj=document, plan_id=plan.pk, action_id=document.action_id)
    _content_changed(plan=plan, user=user, reason=f"document removed from {document.action.code}")
    stored = document.file.name if document.file else None
    storage = document.file.storage
    document.delete()
    if stored and not SupportingDocument.objects.filter(file=stored).exists():
        transaction.on_commit(partial(storage.delete, stored))
