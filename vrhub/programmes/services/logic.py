"""Changes to a VRU's logic model: its aims (overall impact), outcomes and objectives, and the links between
them (an objective to the outcomes it contributes to, an outcome to the aims: ``catalogue.LINKS_TO``).

Each function is keyword-only, validates everything before writing (``ValidationError({field: message})``
naming the field and the limit), then in one transaction locks the VRU's row (so two editors' changes to one
model happen one after the other), writes and audits every change, links included. A node that programmes
are linked to is not removed: the refusal names them.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.core.limits import text_length_message
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import LINKS_TO, TEXT_LIMIT, TITLE_MAX, LogicLevel
from vrhub.programmes.models import LogicLink, LogicNode
from vrhub.programmes.selectors import access
from vrhub.programmes.selectors.logic import node_fingerprint

NODE_FIELDS = ("level", "number", "title", "horizon", "measures")
HORIZON_MAX = 40
MEASURES_MAX = 30  # measures one node lists
MEASURE_MAX = 300  # characters in one measure
LINKS_MAX = 20
NUMBER_MIN, NUMBER_MAX = 1, 99
LABELS = {
    "level": "Level",
    "number": "Number",
    "title": "Title",
    "horizon": "When change is expected",
    "measures": "Measures",
    "links": "Links",
}
LIMITS = {"title": TITLE_MAX, "horizon": HORIZON_MAX, "measures": TEXT_LIMIT}


def _lock_vru(vru: Organisation, *, user) -> Organisation:
    locked = Organisation.objects.select_for_update().get(pk=vru.pk)
    if not access.user_can_edit_logic_model(user=user, vru=locked):
        raise PermissionDenied("You can look at the logic model but not change it.")
    return locked


def _text(data: Mapping[str, Any], name: str, errors: dict[str, str], *, required: bool = False) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = f"{LABELS[name]} must be text"
        return ""
    value = value.strip()
    if "\x00" in value:
        errors[name] = f"{LABELS[name]} must not contain a NUL character"
    elif required and not value:
        errors[name] = f"Enter the {LABELS[name].lower()}"
    elif len(value) > LIMITS[name]:
        errors[name] = text_length_message(label=LABELS[name], limit=LIMITS[name], length=len(value))
    return value


def _measures(data: Mapping[str, Any], errors: dict[str, str]) -> str:
    text = _text(data, "measures", errors)
    if "measures" in errors:
        return ""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if len(lines) > MEASURES_MAX:
        errors["measures"] = f"Measures: at most {MEASURES_MAX} (one per line), not {len(lines)}"
    else:
        long = next((n for n, line in enumerate(lines, start=1) if len(line) > MEASURE_MAX), None)
        if long is not None:
            errors["measures"] = (
                f"Measures: each must be {MEASURE_MAX} characters or fewer; measure {long} has {len(lines[long - 1])}"
            )
    return "\n".join(lines)


def _values(data: Mapping[str, Any], *, vru: Organisation, node: LogicNode | None) -> tuple[dict[str, Any], list]:
    """The node's fields and the nodes it links to, checked: ValidationError({field: message})."""
    errors: dict[str, str] = {}
    raw_level = node.level if node is not None else data.get("level")
    level = raw_level if isinstance(raw_level, str) and raw_level in LogicLevel.values else ""
    if not level:
        errors["level"] = "Choose the level: objective, outcome or overall impact"
    raw_number = data.get("number")
    if isinstance(raw_number, str) and raw_number.strip().isdigit() and len(raw_number.strip()) <= 3:
        raw_number = int(raw_number.strip())
    number = 0
    if isinstance(raw_number, int) and not isinstance(raw_number, bool) and NUMBER_MIN <= raw_number <= NUMBER_MAX:
        number = raw_number
    else:
        errors["number"] = f"Number must be a whole number from {NUMBER_MIN} to {NUMBER_MAX}"
    values: dict[str, Any] = {
        "level": level,
        "number": number,
        "title": _text(data, "title", errors, required=True),
        "horizon": _text(data, "horizon", errors),
        "measures": _measures(data, errors),
    }
    if "level" not in errors and "number" not in errors:
        same = LogicNode.objects.filter(vru=vru, level=level, number=number)
        if node is not None:
            same = same.exclude(pk=node.pk)
        if same.exists():
            errors["number"] = f"{LogicLevel(level).label} {number} already exists: choose another number"
    targets: list[LogicNode] = []
    raw = data.get("links") or []
    if not isinstance(raw, list | tuple):
        errors["links"] = "Links must be a list of objectives, outcomes or aims"
    elif len(raw) > LINKS_MAX:
        errors["links"] = f"Links: at most {LINKS_MAX}, not {len(raw)}"
    elif "level" not in errors:
        wanted = LINKS_TO.get(LogicLevel(level))
        for item in raw:
            pk = item.pk if isinstance(item, LogicNode) else item
            try:
                target = LogicNode.objects.get(pk=int(pk))
            except (LogicNode.DoesNotExist, TypeError, ValueError, OverflowError):
                errors["links"] = "Links: choose from the list (one of them does not exist)"
                break
            if target.vru_id != vru.pk:
                errors["links"] = "Links: a node of another VRU's logic model cannot be linked"
                break
            if wanted is None or target.level != wanted:
                if wanted is None:
                    errors["links"] = "Links: an overall impact statement is the top of the model and links to nothing"
                else:
                    here, above = LogicLevel(level).label.lower(), LogicLevel(wanted).label.lower()
                    errors["links"] = f"Links: an {here} links only to an {above}"
                break
            if target not in targets:
                targets.append(target)
    if errors:
        raise ValidationError(errors)
    return values, targets


def _link_audit(*, user, link: LogicLink, created: bool) -> None:
    if created:
        audit_created(actor=user, obj=link, fields=["source", "target"])
    else:
        audit_deleted(actor=user, obj=link)


def _set_links(*, node: LogicNode, targets: list[LogicNode], user) -> None:
    current = {link.target_id: link for link in node.links_up.all()}
    for target in targets:
        if target.pk not in current:
            link = LogicLink.objects.create(source=node, target=target)
            _link_audit(user=user, link=link, created=True)
    wanted = {t.pk for t in targets}
    for target_id, link in current.items():
        if target_id not in wanted:
            _link_audit(user=user, link=link, created=False)
            link.delete()


@transaction.atomic
def logic_node_create(*, vru: Organisation, user, data: Mapping[str, Any]) -> LogicNode:
    """Add an objective, outcome or aim (``data["level"]``) to ``vru``'s model, with its links upwards."""
    vru = _lock_vru(vru, user=user)
    values, targets = _values(data, vru=vru, node=None)
    node = LogicNode(vru=vru, **values)
    node.full_clean()
    node.save()
    audit_created(actor=user, obj=node, fields=["vru", *NODE_FIELDS])
    _set_links(node=node, targets=targets, user=user)
    return node


@transaction.atomic
def logic_node_update(*, node: LogicNode, user, data: Mapping[str, Any], loaded: str | None = None) -> LogicNode:
    """Change a node's number, title, horizon, measures and links (its level stays). ``loaded`` is the node's
    fingerprint when the form was opened (``selectors.logic.node_fingerprint``): a save from a page opened
    before someone else's change is refused, so it never silently undoes that change."""
    _lock_vru(node.vru, user=user)
    node = LogicNode.objects.select_for_update().get(pk=node.pk)
    if loaded is not None and loaded != node_fingerprint(node=node):
        raise ValidationError(
            "Someone else changed this part of the logic model after you opened the page. Your changes are shown "
            "below but were not saved: check them and save again."
        )
    values, targets = _values(data, vru=node.vru, node=node)
    values.pop("level")
    changes = diff_fields(node, values)
    for name, value in values.items():
        setattr(node, name, value)
    node.full_clean()
    if changes:
        node.save(update_fields=list(changes))
        audit_changes(actor=user, obj=node, changes=changes)
    _set_links(node=node, targets=targets, user=user)
    return node


@transaction.atomic
def logic_node_remove(*, node: LogicNode, user) -> None:
    """Remove a node and its links; refused (naming them) while programmes are linked to it."""
    _lock_vru(node.vru, user=user)
    node = LogicNode.objects.select_for_update().get(pk=node.pk)
    using = list(node.programmes.order_by("reference").values_list("reference", "title"))
    if using:
        names = "; ".join(f"{ref} {title}" for ref, title in using[:10])
        more = f" and {len(using) - 10} more" if len(using) > 10 else ""
        raise ValidationError(
            {
                "node": f"{node.title} is linked to {len(using)} programme{'' if len(using) == 1 else 's'} "
                f"({names}{more}): unlink them from it first"
            }
        )
    for link in [*node.links_up.all(), *node.links_down.all()]:
        _link_audit(user=user, link=link, created=False)
    audit_deleted(actor=user, obj=node)
    node.delete()
