"""Two states of the database compared table by table, for the demo copy (tests/demo_snapshot.py): rows as
multisets, keys by their place in their table (PostgreSQL's sequences are not reset by a rolled-back test, so
the same load gets other keys), files by their content, times and salted hashes only as present or not."""

import hashlib
import json
from collections import Counter

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

from vrhub.core.models import AuditEntry

# Made by migrations, never by demo_load.
SKIP = {"contenttypes.contenttype", "auth.permission", "auth.group_permissions", "django_migrations"}


def _models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in SKIP
    ]


def _ranks() -> dict[type[models.Model], dict]:
    """Each table's primary keys -> their place in key order (the same in two loads that insert alike)."""
    return {
        m: {pk: i for i, pk in enumerate(m._base_manager.order_by("pk").values_list("pk", flat=True))}
        for m in _models()
    }


def _place(ranks, model: type[models.Model], pk) -> object:
    if model not in ranks:
        return ("raw", pk)
    pk = model._meta.pk.to_python(pk)
    return ("row", ranks[model][pk]) if pk in ranks[model] else "a deleted row"


def _file(name: str) -> tuple[str, str]:
    """A stored file by its content (Django adds a suffix to a name already taken in the media folder)."""
    with default_storage.open(name, "rb") as fh:
        return ("file", hashlib.sha256(fh.read()).hexdigest())


def _value(f: models.Field, value, ranks) -> object:
    if value is None:
        return None
    if f.is_relation:
        return _place(ranks, f.related_model, value)
    if f.primary_key:
        return _place(ranks, f.model, value)
    if isinstance(f, models.FileField):
        return _file(value) if value else ""
    if isinstance(f, models.DateTimeField):
        return "a moment"  # when the load ran
    if f.name == "password":
        return "a hash" if value else ""  # salted
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True, default=str)  # a JSON field
    return value


def _audit(row: dict, raw: dict, ranks) -> dict:
    """An audit entry names its object, and an old or new key, by primary key: compared by their place too."""
    model = apps.get_model(raw["object_type"])
    row["object_id"] = _place(ranks, model, raw["object_id"])
    field = next((f for f in model._meta.concrete_fields if raw["field"] in (f.name, f.attname)), None)
    if field is not None and field.is_relation:
        for key in ("old", "new"):
            if raw[key]:
                row[key] = _place(ranks, field.related_model, raw[key])
    for key, model_name in (("plan_id", "plans.plan"), ("action_id", "plans.planaction")):
        if raw[key] is not None:
            row[key] = _place(ranks, apps.get_model(model_name), raw[key])
    return row


def dump() -> dict[str, Counter]:
    """Every table's rows, as multisets."""
    ranks = _ranks()
    tables = {}
    for m in _models():
        fields = m._meta.concrete_fields
        rows: Counter = Counter()
        for values in m._base_manager.values_list(*[f.attname for f in fields]):
            row = {f.attname: _value(f, v, ranks) for f, v in zip(fields, values, strict=True)}
            if m._meta.auto_created:
                del row[m._meta.pk.attname]  # a many-to-many link is its pair (Django adds a set's ids in any order)
            if m is AuditEntry:
                row = _audit(row, {f.attname: v for f, v in zip(fields, values, strict=True)}, ranks)
            rows[tuple(sorted(row.items(), key=lambda kv: kv[0]))] += 1
        if rows:
            tables[m._meta.label_lower] = rows
    return tables


def differences(a: dict[str, Counter], b: dict[str, Counter]) -> list[str]:
    """The tables whose rows differ between two dumps."""
    return sorted(label for label in set(a) | set(b) if a.get(label) != b.get(label))
