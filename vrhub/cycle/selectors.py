"""Reads for the plan cycle; objects are reached through the plan's fetch-and-authorise helper."""

from collections import Counter, defaultdict
from datetime import date as date_type
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist

from vrhub.core.exceptions import NotFound
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate, ReportingQuarter, ReviewComment, Signature
from vrhub.plans.models import Plan, PlanAction, Status, Theme


def quarters_for_plan(*, plan: Plan) -> list[ReportingQuarter]:
    return list(ReportingQuarter.objects.filter(template_id=plan.template_id).order_by("number"))


def quarter_get_for_plan(*, plan: Plan, number: int) -> ReportingQuarter:
    try:
        return ReportingQuarter.objects.select_related("template").get(template_id=plan.template_id, number=number)
    except ReportingQuarter.DoesNotExist as exc:
        raise NotFound("No such quarter") from exc


def comment_get_for_plan(*, plan: Plan, pk: int) -> ReviewComment:
    try:
        return ReviewComment.objects.get(plan=plan, pk=pk)
    except ReviewComment.DoesNotExist as exc:
        raise NotFound("No such comment") from exc


def comment_targets(*, plan: Plan) -> list[tuple[str, str]]:
    """What a review comment on ``plan`` can be about: the plan, one of its themes or one of its actions."""
    targets = [("", "The plan as a whole")]
    targets += [(f"theme:{t.pk}", f"Theme: {t.title}") for t in plan.template.themes.all()]
    targets += [(f"action:{a.pk}", f"Action {a.code}: {a.title[:80]}") for a in plan.actions.order_by("code")]
    return targets


def review_threads(*, plan: Plan) -> list[dict]:
    """Top-level review comments, each with its replies, ordered by time."""
    comments = list(ReviewComment.objects.filter(plan=plan).select_related("author__organisation", "action", "theme"))
    replies = defaultdict(list)
    for c in comments:
        if c.parent_id:
            replies[c.parent_id].append(c)
    return [{"comment": c, "replies": replies[c.pk]} for c in comments if not c.parent_id]


def updates_by_action(*, plan: Plan) -> dict[int, dict[int, QuarterlyUpdate]]:
    """``{action_id: {quarter number: update}}`` for the whole plan, in one query."""
    result: dict[int, dict[int, QuarterlyUpdate]] = defaultdict(dict)
    for u in QuarterlyUpdate.objects.filter(action__plan=plan).select_related("quarter"):
        result[u.action_id][u.quarter.number] = u
    return result


def theme_status_trend(*, plan: Plan) -> list[dict]:
    """Per theme and quarter, how many actions reported each status."""
    quarters = quarters_for_plan(plan=plan)
    counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
    rows = QuarterlyUpdate.objects.filter(action__plan=plan).values_list(
        "action__theme_id", "quarter__number", "status"
    )
    for theme_id, number, status in rows:
        counts[(theme_id, number)][status] += 1
    trend = []
    for theme in Theme.objects.filter(template_id=plan.template_id).order_by("order"):
        trend.append(
            {
                "theme": theme,
                "quarters": [
                    {
                        "quarter": q,
                        "counts": [(s, counts[(theme.pk, q.number)][s.value]) for s in Status],
                        "total": sum(counts[(theme.pk, q.number)].values()),
                    }
                    for q in quarters
                ],
            }
        )
    return trend


def action_history(*, action: PlanAction) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action_id=action.pk).select_related("actor").order_by("at", "id"))


# Sign-off ------------------------------------------------------------------------------------------

REPLACED = "replaced by a new signature"  # the void reason of a signature its signatory replaced
# What a signature covers (``plans.content.plan_content_hash``): actions, their documents and citations.
SIGNED_CONTENT = ("plans.planaction", "plans.supportingdocument", "evidence.citation")
_OBJECT_WORDS = {"plans.supportingdocument": "Document", "evidence.citation": "Evidence citation"}


def _field_label(object_type: str, name: str) -> str:
    if object_type == "plans.planaction" and name:
        try:
            return str(getattr(PlanAction._meta.get_field(name), "verbose_name", name)).capitalize()
        except FieldDoesNotExist:
            pass
    return name.replace("_", " ").capitalize()


def _value_text(object_type: str, name: str, value: str) -> str:
    """An audited value in words: statuses by their label, dates written out, yes/no kept, blank said."""
    if value == "":
        return "(blank)"
    if object_type == "plans.planaction" and name == "status" and value in Status.values:
        return str(Status(value).label)
    if object_type == "plans.planaction" and name in ("start_date", "end_date"):
        try:
            return date_type.fromisoformat(value).strftime("%-d %B %Y")
        except ValueError:
            return value
    return value


def changes_since(*, plan: Plan, since: datetime) -> list[dict]:
    """Every change to what a signature covers since ``since``, read from the audit trail, field by field:
    ``[{"code", "title", "action_id", "rows": [{"what", "field", "old", "new", "who", "at"}]}]`` per action,
    in the plan's order. Several changes to one field show as one row from the first old value to the
    last new one (with everyone who changed it); a field changed and changed back is left out."""
    entries = list(
        AuditEntry.objects.filter(plan_id=plan.pk, at__gt=since, object_type__in=SIGNED_CONTENT)
        .select_related("actor")
        .order_by("at", "id")
    )
    net: dict[tuple, dict] = {}
    for e in entries:
        key = (e.action_id, e.object_type, e.object_id, e.field if e.action == AuditEntry.Action.UPDATE else e.action)
        who = e.actor.display_name if e.actor else "the system"
        if key not in net:
            what = _OBJECT_WORDS.get(e.object_type, "")
            if e.action == AuditEntry.Action.CREATE:
                label = f"{what} added" if what else "Action added"
            elif e.action == AuditEntry.Action.DELETE:
                label = f"{what} removed" if what else "Action removed"
            else:
                label = (
                    f"{what}: {_field_label(e.object_type, e.field)}" if what else _field_label(e.object_type, e.field)
                )
            net[key] = {"field": label, "old": e.old, "new": e.new, "who": [who], "at": e.at, "type": e.object_type}
            net[key]["name"] = e.field
            net[key]["repr"] = e.object_repr
        else:
            row = net[key]
            row["new"], row["at"] = e.new, e.at
            if who not in row["who"]:
                row["who"].append(who)
    by_action: dict[int | None, list[dict]] = defaultdict(list)
    for (action_id, object_type, _oid, kind), row in net.items():
        if kind in (AuditEntry.Action.CREATE, AuditEntry.Action.DELETE):
            if kind == AuditEntry.Action.CREATE and row["name"] not in ("title", "code"):
                continue  # one row per object added: its title (documents) or code (actions)
            old, new = ("", row["repr"]) if kind == AuditEntry.Action.CREATE else (row["repr"], "")
        elif row["old"] == row["new"]:
            continue
        else:
            old, new = (
                _value_text(object_type, row["name"], row["old"]),
                _value_text(object_type, row["name"], row["new"]),
            )
        by_action[action_id].append(
            {"field": row["field"], "old": old or "–", "new": new or "–", "who": ", ".join(row["who"]), "at": row["at"]}
        )
    actions = {
        a.pk: a
        for a in plan.actions.filter(pk__in=[k for k in by_action if k]).order_by("theme__order", "order", "code")
    }
    result = []
    for action_id, rows in sorted(
        by_action.items(), key=lambda item: list(actions).index(item[0]) if item[0] in actions else len(actions)
    ):
        action = actions.get(action_id) if action_id else None
        result.append(
            {
                "action_id": action_id,
                "code": action.code if action else "",
                "title": action.title if action else "An action since removed",
                "theme_code": action.theme.code if action else "",
                "rows": rows,
            }
        )
    return result


def signoff_todo(*, user) -> dict:
    """A signatory's to-do list: plans ready for their signature (complete, current, not yet submitted, with
    no valid signature of their office), plans still being completed, and their signatures that were voided
    on plans they have not signed again, with when and why."""
    from vrhub.organisations.selectors import areas_visible_to
    from vrhub.plans.completeness import plans_completeness
    from vrhub.plans.content import plan_content_hash

    plans = list(
        Plan.objects.filter(area__in=areas_visible_to(user=user), is_current=True, state__in=Plan.EDITABLE_STATES)
        .select_related("area", "template")
        .order_by("area__name", "-template__year")
    )
    checks = plans_completeness(plans=plans)
    sigs = defaultdict(list)
    for sig in Signature.objects.filter(plan__in=plans, office=user.office).order_by("signed_at", "id"):
        sigs[sig.plan_id].append(sig)
    to_sign: list[dict] = []
    waiting: list[dict] = []
    voided: list[dict] = []
    for plan in plans:
        latest = sigs[plan.pk][-1] if sigs[plan.pk] else None
        valid = latest is not None and latest.voided_at is None and latest.content_hash == plan_content_hash(plan)
        if valid:
            continue
        mine = [s for s in sigs[plan.pk] if s.signatory_id == user.pk and s.voided_at and s.void_reason != REPLACED]
        if mine:
            voided.append({"plan": plan, "signature": mine[-1]})
        check = checks[plan.pk]
        (to_sign if check.complete else waiting).append({"plan": plan, "check": check, "resign": bool(mine)})
    return {"to_sign": to_sign, "waiting": waiting, "voided": voided}


def signature_last_of(*, plan: Plan, user) -> Signature | None:
    """The latest signature ``user`` gave ``plan`` (valid or voided), if any."""
    return Signature.objects.filter(plan=plan, signatory=user).order_by("-signed_at", "-id").first()
