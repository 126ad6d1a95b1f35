"""The demo data set for tests: built by ``demo_load`` the first time a test asks for it, then copied in.

``demo_load`` goes through the services (every plan, action, audit entry, signal and check), which takes
seconds; dozens of tests and every browser test start from it. The first load in a test run is real; its
rows (and the files it wrote) are kept, and later tests get exactly those rows inserted in one transaction,
table by table, with the same primary keys and values. The copy is used only when the database holds no rows at
all (migrations' content types and permissions aside) and on the day the first load ran (the demo's dates are
relative to today); otherwise ``demo_load`` runs for real, as it would in production over existing data. The first
load is kept only if it too started from an empty database, and only once the copy made from it, put in its place,
has been compared with it table by table (tests/demo_compare.py): a copy that differs fails the test that made
it. Its files are written back byte for byte, over any file of the same name an earlier test left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction

from tests.demo_compare import _models, differences, dump
from vrhub.demo.seed import demo_load


@dataclass
class Snapshot:
    result: dict
    taken_on: dt.date
    # model -> (INSERT statement, each row's values as the database takes them)
    rows: dict[type[models.Model], tuple[str, list[tuple[Any, ...]]]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


_snapshot: Snapshot | None = None


def _counts() -> dict[type[models.Model], int]:
    return {m: m._base_manager.count() for m in _models()}


def _empty() -> bool:
    """No row in any table demo_load could write or read (content types and permissions aside)."""
    return not any(m._base_manager.exists() for m in _models())


def demo_data() -> dict:
    """What ``demo_load()`` returns, with its data in the database."""
    global _snapshot
    empty = _empty()
    if _snapshot is not None and empty and _snapshot.taken_on == dt.date.today():
        _restore(_snapshot)
        return dict(_snapshot.result)
    if _snapshot is not None or not empty:
        return demo_load()
    # A load over an empty database: kept, once the copy is shown to be the same as the load (the load is undone
    # and the copy made in its place, then both are compared table by table; the files stay).
    with transaction.atomic():
        result = demo_load()
        loaded = dump()
        after = _counts()
        snapshot = _take(result, [m for m in after if after[m]])
        transaction.set_rollback(True)
    _restore(snapshot)
    if differ := differences(loaded, dump()):
        raise AssertionError(f"the demo copy differs from demo_load in {', '.join(differ)} (tests/demo_snapshot.py)")
    _snapshot = snapshot
    return dict(result)


def _take(result: dict, grown: list[type[models.Model]]) -> Snapshot:
    snapshot = Snapshot(result=dict(result), taken_on=dt.date.today())
    quote = connection.ops.quote_name
    for model in grown:
        fields = model._meta.concrete_fields
        # Table and column names come from the models, never from input.
        columns = ", ".join(quote(f.column) for f in fields)
        places = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({places})"  # noqa: S608
        objects = list(model._base_manager.order_by("pk"))
        values = [tuple(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields) for obj in objects]
        snapshot.rows[model] = (sql, values)
        for f in fields:
            if isinstance(f, models.FileField):
                for obj in objects:
                    name = getattr(obj, f.attname).name
                    if name and default_storage.exists(name):
                        with default_storage.open(name, "rb") as fh:
                            snapshot.files[name] = fh.read()
    return snapshot


def _restore(snapshot: Snapshot) -> None:
    with transaction.atomic(), connection.cursor() as cursor:  # foreign keys are checked at the end
        for sql, values in snapshot.rows.values():
            cursor.executemany(sql, values)
        for sql in connection.ops.sequence_reset_sql(no_style(), list(snapshot.rows)):
            cursor.execute(sql)
    for name, content in snapshot.files.items():
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as fh:
                if fh.read() == content:
                    continue
            default_storage.delete(name)  # an earlier test's file of the same name: not the demo's
        saved = default_storage.save(name, ContentFile(content))
        assert saved == name, (saved, name)
