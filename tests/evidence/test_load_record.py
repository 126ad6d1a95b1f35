"""Every completed evidence load is recorded, with who ran it, and audited."""

import getpass
from io import StringIO

import pytest
from django.core.management import call_command

from tests.evidence.test_views import JANUARY, _upload
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.evidence.models import EvidenceLoad
from vrhub.organisations.models import Organisation


@pytest.fixture
def admin(london):
    return UserFactory(organisation=Organisation.objects.get(code="VRU-LDN"), role=User.Role.VRU_ADMIN)


def test_a_load_from_the_upload_page_is_recorded_with_the_person_who_uploaded_it(
    client,
    admin,
    django_capture_on_commit_callbacks,
):
    client.force_login(admin)
    job, _page = _upload(client, "police_uk", JANUARY.name, JANUARY.read_bytes(), django_capture_on_commit_callbacks)
    assert job.state == "succeeded", job.error
    load = EvidenceLoad.objects.get()
    rows = sum(1 for _ in JANUARY.open()) - 1
    assert (load.kind, load.files, load.via, load.loaded_by, load.command_user) == (
        "police_uk",
        [JANUARY.name],
        "upload",
        admin,
        "",
    )
    assert (load.rows, load.loaded + load.duplicates + load.rejected) == (rows, rows)
    audited = {
        e.field: e.new for e in AuditEntry.objects.filter(object_type="evidence.evidenceload", object_id=str(load.pk))
    }
    assert audited["rows"] == str(rows) and audited["loaded_by"] == str(admin.pk) and audited["via"] == "upload"
    assert set(AuditEntry.objects.filter(object_type="evidence.evidenceload").values_list("actor", flat=True)) == {
        admin.pk
    }


def test_a_load_from_the_command_line_is_recorded_with_the_account_that_ran_it(db):
    call_command("load_police_uk", str(JANUARY), "--quiet", stdout=StringIO())
    load = EvidenceLoad.objects.get()
    assert (load.kind, load.files, load.via, load.loaded_by) == ("police_uk", [str(JANUARY)], "command", None)
    assert load.command_user == getpass.getuser() and load.rows == sum(1 for _ in JANUARY.open()) - 1
    entry = AuditEntry.objects.get(object_type="evidence.evidenceload", field="command_user")
    assert (entry.actor, entry.new) == (None, getpass.getuser())


def test_a_load_that_read_nothing_is_not_recorded(client, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    job, _page = _upload(client, "istv", "notes.csv", b"hello,world\n1,2\n", django_capture_on_commit_callbacks)
    assert job.state == "failed"
    assert not EvidenceLoad.objects.exists()
    assert not AuditEntry.objects.filter(object_type="evidence.evidenceload").exists()
