"""Writes of the local definition of serious violence: the offence types in scope (from the catalogue), local
additions, the four factors of s.13(6) considered, the rationale and the date agreed. One transaction that
locks the partnership row; validated in full before anything is written; audited old → new."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created
from vrhub.core.limits import text_length, text_length_message
from vrhub.duty.catalogue import FACTORS, OFFENCE_TYPE, OFFENCE_TYPES
from vrhub.duty.models import TEXT_LIMIT, Definition, Partnership
from vrhub.duty.services.partnership import _actor, _lock, _require_edit

# Local additions: one offence type a line, at most this many lines of at most this many characters each.
ADDITIONS_MAX_LINES = 20
ADDITION_MAX_CHARS = 120
TEXT_FIELDS = ("local_additions", *(name for name, _label in FACTORS), "rationale")
LABELS = {
    "offence_types": "Offence types in scope",
    "local_additions": "Local additions",
    **{name: label for name, label in FACTORS},
    "rationale": "Rationale",
    "agreed_on": "Date agreed",
}
STALE = "Someone else changed the definition since you opened this page: check it and save your changes again"


def _offence_types(value: Any) -> tuple[list[str], str | None]:
    """The chosen codes in the catalogue's order, or an error naming the first unknown one."""
    if value is None:
        value = []
    if isinstance(value, str) or not all(isinstance(c, str) for c in value):
        return [], "Choose the offence types in scope from the list"
    unknown = [c for c in value if c not in OFFENCE_TYPE]
    if unknown:
        return [], f"Unknown offence type {unknown[0][:40]!r}: choose the offence types in scope from the list"
    chosen = set(value)
    return [o.code for o in OFFENCE_TYPES if o.code in chosen], None


def _additions(value: str) -> tuple[str, str | None]:
    """Local additions, one a line: blank lines and repeats dropped; limited in count and length."""
    lines: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(value.splitlines(), start=1):
        line = " ".join(line.split())
        if not line:
            continue
        if len(line) > ADDITION_MAX_CHARS:
            return "", (
                f"Local additions: line {number} has {len(line):,} characters; "
                f"each must be {ADDITION_MAX_CHARS} characters or fewer"
            )
        if line.lower() not in seen:
            seen.add(line.lower())
            lines.append(line)
    if len(lines) > ADDITIONS_MAX_LINES:
        return "", f"Local additions: give at most {ADDITIONS_MAX_LINES} offence types (there are {len(lines)})"
    return "\n".join(lines), None


@transaction.atomic
def definition_save(*, partnership: Partnership, user, data: Mapping[str, Any]) -> Definition:
    """Write the partnership's definition (made at version 1 the first time; ``version`` up by one each time
    something changes). ``data``: offence_types (catalogue codes), local_additions, the FACTORS fields,
    rationale, agreed_on (a date, not in the future), and optionally version (the version the page showed:
    a save over someone else's newer one is refused)."""
    locked = _lock(partnership)
    _require_edit(user=user, partnership=locked)
    current = Definition.objects.filter(partnership=locked).first()
    errors: dict[str, str] = {}
    expected = data.get("version")
    if expected not in (None, "") and str(current.version if current else 0) != str(expected).strip():
        raise ValidationError({"version": STALE})
    values: dict[str, Any] = {}
    if "offence_types" in data:
        values["offence_types"], error = _offence_types(data["offence_types"])
        if error:
            errors["offence_types"] = error
    for name in TEXT_FIELDS:
        if name not in data:
            continue
        text = (data[name] or "").strip()
        if text_length(text) > TEXT_LIMIT:
            errors[name] = text_length_message(label=LABELS[name], limit=TEXT_LIMIT, length=text_length(text))
            continue
        if name == "local_additions":
            text, error = _additions(text)
            if error:
                errors[name] = error
        values[name] = text
    if "agreed_on" in data:
        agreed = data["agreed_on"] or None
        if agreed is not None and not isinstance(agreed, dt.date):
            errors["agreed_on"] = "Date agreed must be a real date"
        elif agreed is not None and agreed > timezone.localdate():
            errors["agreed_on"] = "Date agreed must be today or in the past"
        values["agreed_on"] = agreed
    if errors:
        raise ValidationError(errors)
    actor = _actor(user)
    if current is None:
        current = Definition.objects.create(partnership=locked, **values)
        audit_created(actor=actor, obj=current, fields=["partnership", *values, "version"])
        return current
    changes = {name: (getattr(current, name), new) for name, new in values.items() if getattr(current, name) != new}
    if not changes:
        return current
    for name, (_old, new) in changes.items():
        setattr(current, name, new)
    audited = {n: (", ".join(o), ", ".join(v)) if n == "offence_types" else (o, v) for n, (o, v) in changes.items()}
    audited["version"] = (current.version, current.version + 1)
    current.version += 1
    current.save(update_fields=[*changes, "version"])
    audit_changes(actor=actor, obj=current, changes=audited, object_version=current.version)
    return current
