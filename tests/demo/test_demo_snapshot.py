"""The demo copy (tests/demo_snapshot.py) that the ``demo`` and ``e2e_data`` fixtures use: made from the run's first
real load over an empty database, which it replaces, and kept only if it equals that load table by table and file
by file (tests/demo_compare.py); never laid over rows already there or used on another day; written over a stale
file of the same name. A small load (London, a plan, a document) stands in for ``demo_load`` here: the real one runs
in whichever test of the run first asks for the demo, through the same code."""

import datetime as dt
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests import demo_snapshot
from tests.factories import UserFactory
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load
from vrhub.plans.models import SupportingDocument
from vrhub.plans.services import document_add, plan_create, template_create_from_content
from vrhub.plans.templates import london_template

pytestmark = pytest.mark.django_db


def small_load() -> dict:
    london = london_load()
    template = template_create_from_content(
        vru=london, year=2021, title="2021", themes=london_template().themes_2021, published=True
    )
    havering = Organisation.objects.get(code="E09000016")
    editor = UserFactory(organisation=havering)
    plan = plan_create(area=havering, template=template, user=editor).plan
    document_add(
        action=plan.actions.order_by("pk").first(),
        user=editor,
        title="A paper",
        file=SimpleUploadedFile("paper.pdf", b"%PDF-1.4 the demo's paper", content_type="application/pdf"),
    )
    return {"plans_created": 1}


@pytest.fixture
def first_load(monkeypatch, settings, tmp_path):
    """No copy made yet in this run, and the small load standing in for demo_load."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(demo_snapshot, "_snapshot", None)
    monkeypatch.setattr(demo_snapshot, "demo_load", small_load)


def test_the_first_load_is_replaced_by_its_copy_and_later_tests_get_the_copy(first_load):
    with transaction.atomic():
        assert demo_snapshot.demo_data() == {"plans_created": 1}
        snapshot = demo_snapshot._snapshot
        assert snapshot is not None and list(snapshot.files) == [SupportingDocument.objects.get().file.name]
        audited = AuditEntry.objects.count()
        transaction.set_rollback(True)
    assert not Organisation.objects.exists()
    # A later test: the copy (demo_load is not called), with the file as the load wrote it, over a stale one.
    (name,) = snapshot.files
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"left by an earlier test"))
    with mock.patch.object(demo_snapshot, "demo_load", side_effect=AssertionError("the copy was not used")):
        assert demo_snapshot.demo_data() == {"plans_created": 1}
    assert AuditEntry.objects.count() == audited and Organisation.objects.filter(code="E09000016").exists()
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == b"%PDF-1.4 the demo's paper"


@pytest.mark.parametrize("lost", ["a row", "a file's bytes"])
def test_a_copy_that_is_not_the_load_fails_the_test_that_made_it(first_load, monkeypatch, lost):
    take = demo_snapshot._take

    def lossy(result, grown):
        snapshot = take(result, grown)
        if lost == "a row":
            sql, values = snapshot.rows[AuditEntry]
            snapshot.rows[AuditEntry] = (sql, values[:-1])
        else:
            (name,) = snapshot.files
            snapshot.files[name] = b"other bytes"
        return snapshot

    monkeypatch.setattr(demo_snapshot, "_take", lossy)
    table = "core.auditentry" if lost == "a row" else "plans.supportingdocument"
    with pytest.raises(AssertionError, match=rf"the demo copy differs from demo_load in {table}"):
        demo_snapshot.demo_data()  # (a copy's other bytes are written over the load's file)
    assert demo_snapshot._snapshot is None


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
