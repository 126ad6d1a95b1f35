"""The demo copy (tests/demo_snapshot.py) that the ``demo`` and ``e2e_data`` fixtures use is what ``demo_load``
makes: the same rows in every table (keys compared by their order in the table, so that PostgreSQL's sequences,
which a rolled-back test does not reset, do not matter), the same files byte for byte, and the same result; and a
test cannot pass on what an earlier test left behind (a file of the same name, rows already there)."""

import datetime as dt
import hashlib
import json
from collections import Counter
from unittest import mock

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction

from tests import demo_snapshot
from vrhub.core.models import AuditEntry
from vrhub.demo.seed import demo_load
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def _ranks() -> dict[type[models.Model], dict]:
    """Each table's primary keys -> their place in key order (the same in two loads that insert alike)."""
    return {
        m: {pk: i for i, pk in enumerate(m._base_manager.order_by("pk").values_list("pk", flat=True))}
        for m in demo_snapshot._models()
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
    for m in demo_snapshot._models():
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


def test_the_copy_is_what_demo_load_makes(settings, tmp_path):
    # The copy exists (made now from a real load if no test made it yet in this run).
    with transaction.atomic():
        demo_snapshot.demo_data()
        transaction.set_rollback(True)
    snapshot = demo_snapshot._snapshot
    assert snapshot is not None and snapshot.files
    assert not Organisation.objects.exists()

    settings.MEDIA_ROOT = tmp_path / "real"
    with transaction.atomic():
        real_result = demo_load()
        real = dump()
        transaction.set_rollback(True)

    # An earlier test left a file where the copy writes one: the copy writes the demo's over it.
    settings.MEDIA_ROOT = tmp_path / "copy"
    stale = sorted(snapshot.files)[0]
    default_storage.save(stale, ContentFile(b"left by an earlier test"))
    with mock.patch.object(demo_snapshot, "demo_load", side_effect=AssertionError("the copy was not used")):
        result = demo_snapshot.demo_data()
    copy = dump()

    assert result == real_result
    assert sorted(copy) == sorted(real)
    assert len(copy) > 30 and sum(sum(rows.values()) for rows in copy.values()) > 10_000
    for label in real:
        assert copy[label] == real[label], label
    with default_storage.open(stale, "rb") as fh:
        assert fh.read() == snapshot.files[stale]


@pytest.mark.parametrize("case", ["rows already there", "made another day"])
def test_the_copy_is_never_laid_over_rows_already_there_nor_used_another_day(db, case):
    """A test that made rows of its own gets a real load (which keeps what is there), not the copy over them; so
    does a test on a later day than the copy (the demo's dates are relative to today)."""
    if case == "rows already there":
        Organisation.objects.create(kind=Organisation.Kind.PARTNER, code="P-1", name="A test's own partner")
    made_on = dt.date.today() - dt.timedelta(days=case == "made another day")
    fake = demo_snapshot.Snapshot(result={"copy": True}, taken_on=made_on)
    with (
        mock.patch.object(demo_snapshot, "_snapshot", fake),
        mock.patch.object(demo_snapshot, "_restore", side_effect=AssertionError("the copy was used")),
        mock.patch.object(demo_snapshot, "demo_load", return_value={"real": True}) as load,
    ):
        assert demo_snapshot.demo_data() == {"real": True}
    load.assert_called_once_with()
    # (and on an empty database, that same day, the copy is used: the branch above is not taken by default)
    if case == "made another day":
        Organisation.objects.all().delete()
        fake.taken_on = dt.date.today()
        with (
            mock.patch.object(demo_snapshot, "_snapshot", fake),
            mock.patch.object(demo_snapshot, "_restore") as restore,
            mock.patch.object(demo_snapshot, "demo_load", side_effect=AssertionError("not the copy")),
        ):
            assert demo_snapshot.demo_data() == {"copy": True}
        restore.assert_called_once_with(fake)
