"""Backup and restore of the whole service round-trip the demo data exactly, and refuse a bad archive."""

import hashlib
import io
import json
import os
import stat
import tarfile
from pathlib import Path

import duckdb
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from vrhub.accounts.models import User
from vrhub.demo.seed import demo_load
from vrhub.operations.backup import BackupError, backup_create, backup_restore, database_snapshot
from vrhub.plans.models import Plan, SupportingDocument

pytestmark = pytest.mark.django_db(transaction=True)


def media_hashes() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).parts[0] != "imports"
    }


def evidence_rows() -> list[tuple]:
    con = duckdb.connect(str(settings.EVIDENCE_DUCKDB), read_only=True)
    try:
        return con.execute("SELECT * FROM backup_probe ORDER BY 1").fetchall()
    finally:
        con.close()


@pytest.fixture
def service(tmp_path, settings):
    """The demo data, an uploaded document and an evidence store, in this test's own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Its own store: the run's shared one must stay as other tests expect it (no file: the empty schema).
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence" / "evidence.duckdb")
    demo_load()
    plan = Plan.objects.get(area__code="E09000016", template__year=2021)
    action = plan.actions.order_by("code").first()
    doc = SupportingDocument(action=action, title="Strategy", original_name="strategy.pdf", internal=True)
    doc.file.save("strategy.pdf", ContentFile(b"%PDF-1.4 strategy " + os.urandom(64)), save=True)
    store = Path(settings.EVIDENCE_DUCKDB)
    store.parent.mkdir(parents=True, exist_ok=True)
    if store.exists():
        store.unlink()
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE backup_probe AS SELECT range AS n, 'row ' || range AS label FROM range(500)")
    con.close()
    return {"doc": doc, "out": tmp_path / "vrhub.tar.gz"}


def test_backup_and_restore_round_trip_everything_exactly(service):
    before = (database_snapshot(), media_hashes(), evidence_rows())
    assert len(before[0]) > 1000 and before[1] and len(before[2]) == 500
    summary = backup_create(out=service["out"])
    assert stat.S_IMODE(service["out"].stat().st_mode) == 0o600
    assert summary.rows == len(before[0]) and summary.evidence is True and summary.files == len(before[1])

    # Everything changes after the backup ...
    Plan.objects.filter(area__code="E09000022").delete()
    User.objects.filter(username="havering.editor").update(email="changed@example.org")
    service["doc"].file.delete(save=False)
    Path(settings.MEDIA_ROOT, "stray.txt").write_text("not in the backup")
    store = Path(settings.EVIDENCE_DUCKDB)
    store.unlink()
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE backup_probe AS SELECT 1 AS n, 'other' AS label")
    con.close()
    assert database_snapshot() != before[0]

    # ... and the restore brings back exactly what was backed up.
    out = io.StringIO()
    call_command("restore", str(service["out"]), "--yes", stdout=out)
    assert "Restored" in out.getvalue()
    assert database_snapshot() == before[0]
    assert media_hashes() == before[1]
    assert evidence_rows() == before[2]
    assert User.objects.get(username="havering.editor").check_password("vrhub-demo-only")


def test_a_damaged_backup_is_refused_and_nothing_changes(service, tmp_path):
    backup_create(out=service["out"])
    before = database_snapshot()
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(service["out"], "r:gz") as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "database.json":
                data = json.dumps(json.loads(data)[1:]).encode()
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="database.json does not match its checksum"):
        backup_restore(path=tampered)
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [("../../etc/evil", "not a plain file with a safe relative name"), ("/abs/path", "safe relative name")],
)
def test_a_backup_with_an_unsafe_member_name_is_refused(service, tmp_path, name, message):
    crafted = tmp_path / "crafted.tar.gz"
    with tarfile.open(crafted, "w:gz") as tar:
        for member_name, data in (("manifest.json", b"{}"), (name, b"x")):
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    before = media_hashes()
    with pytest.raises(BackupError, match=message):
        backup_restore(path=crafted)
    assert media_hashes() == before
    assert not list(Path(settings.MEDIA_ROOT).parent.glob("**/etc/evil"))


def test_not_a_backup_and_another_schema_are_refused_with_the_reason(service, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a tarball")
    with pytest.raises(CommandError, match="not a vrhub backup.*Nothing was changed"):
        call_command("restore", str(junk), "--yes")
    backup_create(out=service["out"])
    other = tmp_path / "other-schema.tar.gz"
    with tarfile.open(service["out"], "r:gz") as src, tarfile.open(other, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["schema"]["plans"] = "9999_future"
                data = json.dumps(manifest).encode()
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match=r"different database schema \(apps plans\)"):
        backup_restore(path=other)


def test_restore_without_yes_and_no_terminal_refuses():
    with pytest.raises(CommandError, match="give --yes"):
        call_command("restore", "whatever.tar.gz")


def _rewrite(src: Path, dst: Path, change) -> None:
    """Copy a backup, passing each member's bytes through ``change(name, data)``, with a consistent manifest."""
    members = {}
    with tarfile.open(src, "r:gz") as tar:
        for member in tar.getmembers():
            members[member.name] = tar.extractfile(member).read()
    members = {name: change(name, data) for name, data in members.items()}
    manifest = json.loads(members["manifest.json"])
    for name, data in members.items():
        if name != "manifest.json":
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(dst, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_a_backup_whose_rows_cannot_be_loaded_changes_nothing(service, tmp_path):
    """Checksums agree, but one row names a model that does not exist: the load fails part-way."""
    backup_create(out=service["out"])
    broken = tmp_path / "broken.tar.gz"

    def change(name, data):
        if name != "database.json":
            return data
        rows = json.loads(data)
        return json.dumps([*rows, {"model": "plans.nosuchmodel", "pk": 1, "fields": {}}]).encode()

    _rewrite(service["out"], broken, change)
    Plan.objects.filter(area__code="E09000022").delete()
    before = (database_snapshot(), media_hashes(), evidence_rows())
    with pytest.raises(BackupError, match="its database rows could not be loaded.*nosuchmodel"):
        backup_restore(path=broken)
    assert (database_snapshot(), media_hashes(), evidence_rows()) == before


def test_import_previews_are_left_out_of_a_backup(service):
    previews = Path(settings.MEDIA_ROOT) / "imports"
    previews.mkdir(parents=True, exist_ok=True)
    (previews / "preview.json").write_text('{"lead_name": "a person"}')
    backup_create(out=service["out"])
    with tarfile.open(service["out"], "r:gz") as tar:
        names = tar.getnames()
    assert "media/" + service["doc"].file.name in names
    assert not [n for n in names if n.startswith("media/imports")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda n, d: d if n != "evidence.duckdb" else b"not a duckdb file",
            "evidence.duckdb is not an evidence store",
        ),
        (lambda n, d: d if n != "database.json" else b"[{", "its database rows could not be loaded"),
    ],
    ids=["fake-evidence-store", "truncated-json"],
)
def test_members_that_are_not_what_they_claim_are_refused_and_nothing_changes(service, tmp_path, change, message):
    backup_create(out=service["out"])
    crafted = tmp_path / "crafted.tar.gz"
    _rewrite(service["out"], crafted, change)
    before = (database_snapshot(), media_hashes(), evidence_rows())
    with pytest.raises(BackupError, match=message):
        backup_restore(path=crafted)
    assert (database_snapshot(), media_hashes(), evidence_rows()) == before


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ({"format": "vrhub-backup/1", "members": ["database.json"], "schema": {}}, "does not list its members"),
        ({"format": "vrhub-backup/1", "members": {}, "schema": "plans"}, "does not list its members"),
        ({"format": "vrhub-backup/1", "members": {"media": {}}, "schema": {}}, "'media' is not part of a vrhub backup"),
        (["not", "a", "dict"], "says format None"),
    ],
)
def test_a_crafted_manifest_is_refused_with_the_reason(service, tmp_path, manifest, message):
    crafted = tmp_path / "crafted.tar.gz"
    with tarfile.open(crafted, "w:gz") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("media", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match=message):
        backup_restore(path=crafted)
