"""Many processes, one evidence store: loads in other processes never fail or block readers.

These tests run real loads (``manage.py load_mps``) and readers (``store_worker.py``) in subprocesses
against the test's own store file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.evidence import selectors, store
from vrhub.evidence.loaders import LoadError
from vrhub.evidence.loaders.mps import load_mps
from vrhub.organisations.models import Organisation

from .test_mps_imd_need import BOROUGH_CSV

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("store_worker.py")
MONTHS = [f"{y}{m:02d}" for y in (2022, 2023) for m in range(1, 13)]


def write_lsoa_file(path: Path, rows: int, seed: int = 1) -> int:
    """An MPS recorded-crime-by-LSOA file; returns the sum of its counts (computed here, independently)."""
    rng = random.Random(seed)
    total = 0
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["LSOA Code", "LSOA Name", "Borough", "Major Category", "Minor Category", *MONTHS])
        for i in range(rows):
            counts = [rng.randint(0, 5) for _ in MONTHS]
            total += sum(counts)
            category = ["ROBBERY", "BURGLARY", "VIOLENCE AGAINST THE PERSON"][i % 3]
            writer.writerow([f"E01{i // 3:06d}", f"Havering {i:05d}", "E09000016", category, "ALL", *counts])
    return total


@pytest.fixture(scope="module")
def lsoa_file(tmp_path_factory) -> tuple[Path, int]:
    """10,000 rows: a load of a second or two."""
    path = tmp_path_factory.mktemp("mps") / "lsoa.csv"
    return path, write_lsoa_file(path, 10_000)


@pytest.fixture(scope="module")
def big_lsoa_file(tmp_path_factory) -> tuple[Path, int]:
    """40,000 rows: a load of several seconds, long enough to be killed half-way."""
    path = tmp_path_factory.mktemp("mps") / "lsoa-big.csv"
    return path, write_lsoa_file(path, 40_000)


def env_for(store_path: str) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "vrhub.settings.test",
        "EVIDENCE_DUCKDB": store_path,
        "MEDIA_ROOT": str(Path(store_path).parent / "media"),  # else the settings make a temporary folder
        "PYTHONPATH": str(ROOT),
    }


def snapshot() -> tuple[int, int]:
    with store.connect() as con:
        return (
            int(store.scalar(con, "SELECT count(*) FROM loads")),
            int(store.scalar(con, "SELECT coalesce(sum(n), 0) FROM facts")),
        )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_load(paths: list[Path], store_path: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "load_mps", *map(str, paths), *extra],
        cwd=ROOT,
        env=env_for(store_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_readers_in_other_processes_never_fail_and_see_old_or_new_data(evidence_store, write, tmp_path, lsoa_file):
    load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    old = snapshot()
    big, big_total = lsoa_file
    new = (old[0] + 1, old[1] + big_total)
    stop = tmp_path / "stop"
    readers = []
    for number in range(3):
        out = tmp_path / f"reader-{number}.json"
        process = subprocess.Popen(
            [sys.executable, str(WORKER), "read", str(stop), str(out)],
            cwd=ROOT,
            env=env_for(evidence_store),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        readers.append((process, out))
    try:
        for process, _ in readers:
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        load_started = time.time()
        loader = start_load([big], evidence_store, "--json", "--quiet")
        out, err = loader.communicate(timeout=300)
        load_ended = time.time()
        assert loader.returncode == 0, err
        assert json.loads(out)["rejected"] == []
        time.sleep(0.5)
    finally:
        stop.touch()
    results = []
    for process, out_path in readers:
        assert process.wait(timeout=60) == 0, process.stderr.read()
        results.append(json.loads(out_path.read_text()))
    observations = [o for r in results for o in r["observations"]]
    assert [e for r in results for e in r["errors"]] == []
    # Each read saw one complete version: the store before the load or after it, never a mixture.
    seen = {(files, total) for _, files, total, _, _ in observations}
    assert seen == {old, new}
    for _, files, _, index_rows, months in observations:
        # The index page's rows (BOROUGH_CSV has 3) and the months a trend spans (2023-01:02, then 2022-01:2023-12)
        # agree with the version the read saw.
        assert (index_rows, months) == ((3, 2) if files == old[0] else (3 + 10_000, 24))
    during = [o for o in observations if load_started < o[0] < load_ended]
    assert len(during) > 10  # the readers really did read while the load ran
    latencies = sorted(x for r in results for x in r["latencies"])
    print(
        f"\n{len(observations)} reads, {len(during)} during a {load_ended - load_started:.1f} s load; latency "
        f"median {latencies[len(latencies) // 2] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
    )


def test_a_load_killed_mid_way_leaves_the_store_as_it_was_and_can_be_run_again(evidence_store, write, big_lsoa_file):
    load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    live = Path(evidence_store)
    before, before_hash = snapshot(), sha256(live)
    big, big_total = big_lsoa_file
    loader = start_load([big], evidence_store)  # progress on stderr
    try:
        assert loader.stderr.readline().strip().endswith(f"Loading {big.name}")
        time.sleep(0.3)
        assert loader.poll() is None  # still loading
        assert store.stale_load_files(live)  # its copy of the store exists beside the live file
        loader.send_signal(signal.SIGKILL)
    finally:
        loader.wait(timeout=60)
    assert loader.returncode == -signal.SIGKILL
    assert sha256(live) == before_hash
    assert snapshot() == before
    assert not live.with_name(live.name + ".wal").exists()
    # Running it again works, and clears the killed load's temporary files.
    summary = load_mps(paths=[big])
    assert summary.loaded == 40_000 and summary.rejected == []
    assert snapshot() == (before[0] + 1, before[1] + big_total)
    assert store.stale_load_files(live) == []


def test_a_second_load_waits_for_the_first_and_neither_is_lost(evidence_store, write, lsoa_file):
    big, big_total = lsoa_file
    loader = start_load([big], evidence_store)
    try:
        assert loader.stderr.readline().strip().endswith(f"Loading {big.name}")
        steps = []
        summary = load_mps(paths=[write("borough.csv", BOROUGH_CSV)], progress=lambda m, f: steps.append(m))
    finally:
        loader.communicate(timeout=300)
    assert loader.returncode == 0
    assert steps[0] == "Waiting for another load of the evidence store to finish"
    assert summary.loaded == 2  # BOROUGH_CSV: one of its three rows is rejected (a negative count)
    files, total = snapshot()
    assert files == 2 and total > big_total  # both loads are in the store


@pytest.fixture
def admin(london):
    return UserFactory(organisation=Organisation.objects.get(code="VRU-LDN"), role=User.Role.VRU_ADMIN)


@pytest.fixture
def lock_held_elsewhere(evidence_store):
    """Another process holding the load lock (as a long load would)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; fh = open(sys.argv[1], 'w'); fcntl.flock(fh, fcntl.LOCK_EX); "
            "print('locked', flush=True); time.sleep(60)",
            str(store.lock_path(Path(evidence_store))),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_a_load_that_cannot_get_the_lock_gives_up_with_a_clear_error(evidence_store, write, lock_held_elsewhere):
    before = snapshot()
    with pytest.raises(
        LoadError,
        match=r"^Another load of the evidence store has held its lock \(evidence\.duckdb\.lock\) for over 0\.5 "
        r"seconds: nothing was loaded; try again when it has finished$",
    ):
        load_mps(paths=[write("borough.csv", BOROUGH_CSV)], wait=0.5)
    assert snapshot() == before == (0, 0)
    assert store.stale_load_files(Path(evidence_store)) == []


def test_an_upload_while_another_load_runs_waits_then_fails_its_job_keeping_the_file_for_a_rerun(
    client, evidence_store, admin, monkeypatch, lock_held_elsewhere, django_capture_on_commit_callbacks
):
    from vrhub.evidence.jobs import upload_path
    from vrhub.jobs.models import Job

    monkeypatch.setattr("vrhub.evidence.jobs.LOCK_WAIT_SECONDS", 0.5)
    client.force_login(admin)
    upload = SimpleUploadedFile("borough.csv", BOROUGH_CSV.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evidence:upload"), {"kind": "mps", "file": upload})
    job = Job.objects.get()
    assert job.state == "failed"
    assert job.error == (
        "borough.csv: Another load of the evidence store has held its lock (evidence.duckdb.lock) for over 0.5 "
        "seconds: nothing was loaded; try again when it has finished"
    )
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert evidence_store not in page and "Run it again" in page
    assert upload_path(job.params["file"]).read_text() == BOROUGH_CSV  # kept for the re-run
    assert snapshot() == (0, 0)


def test_a_failed_load_leaves_the_live_file_untouched_and_no_temporary_file(evidence_store, write, monkeypatch):
    load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    live = Path(evidence_store)
    before, before_hash = snapshot(), sha256(live)

    def broken(con, *args, **kwargs):
        con.execute("INSERT INTO loads (kind) VALUES ('half-done')")
        raise duckdb.IOException("disk full")

    monkeypatch.setattr("vrhub.evidence.loaders.mps._load_one", broken)
    with pytest.raises(LoadError, match="The MPS load failed, nothing was changed: disk full"):
        load_mps(paths=[write("lsoa.csv", "LSOA Code,Major Category,Minor Category,202301\nE01000001,A,B,1\n")])
    assert sha256(live) == before_hash
    assert snapshot() == before
    assert store.stale_load_files(live) == []


def test_readers_never_write_and_cannot_touch_files(evidence_store, write, tmp_path):
    load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CANARY")
    with store.connect() as con:
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):
            con.execute("DELETE FROM facts")
        with pytest.raises(duckdb.PermissionException, match="file system operations are disabled"):
            con.execute("SELECT * FROM read_text($p)", {"p": str(secret)})
        with pytest.raises(duckdb.PermissionException, match="file system operations are disabled"):
            con.execute("COPY (SELECT 1) TO $p", {"p": str(tmp_path / "out.csv")})
        with pytest.raises(duckdb.InvalidInputException, match="locked"):
            con.execute("SET enable_external_access = true")
    assert not (tmp_path / "out.csv").exists()


def test_one_selector_call_sees_one_version_even_if_a_load_lands_meanwhile(evidence_store, write):
    load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    with store.connect() as outer:
        first = store.scalar(outer, "SELECT count(*) FROM loads")
        # Another thread loads a file and swaps it in while this connection is open.
        thread = threading.Thread(
            target=load_mps, kwargs={"paths": [write("b2.csv", BOROUGH_CSV.replace("10,20", "11,21"))]}
        )
        thread.start()
        thread.join()
        with store.connect() as inner:  # nested: the same connection, the same version
            assert inner is outer
            assert store.scalar(inner, "SELECT count(*) FROM loads") == first == 1
    assert snapshot()[0] == 2  # a new connection sees the new version


def test_before_any_load_pages_say_no_data_and_nothing_is_created(client, editor, evidence_store):
    live = Path(evidence_store)
    client.force_login(editor)
    assert "No data loaded yet." in client.get(reverse("evidence:index")).content.decode()
    assert "No crime data loaded yet." in client.get(reverse("evidence:trend")).content.decode()
    need = client.get(reverse("evidence:need"), {"within": "E09000016", "level": "lsoa"})
    assert need.status_code == 200
    profile = client.get(reverse("evidence:profile", args=["E09000016"]))
    assert profile.status_code == 200 and "Problem profile" in profile.content.decode()
    assert selectors.measures_list() == []
    assert list(live.parent.iterdir()) == []  # reading created no file


def test_a_store_that_cannot_be_opened_is_a_503_with_a_message(client, editor, evidence_store):
    Path(evidence_store).write_bytes(b"not a duckdb file at all" * 100)
    client.force_login(editor)
    response = client.get(reverse("evidence:index"))
    assert response.status_code == 503
    assert "The evidence workbench is unavailable" in response.content.decode()


def test_a_store_left_with_a_write_ahead_log_keeps_its_data_through_the_next_load(evidence_store, write):
    load_mps(paths=[write("borough.csv", BOROUGH_CSV)])
    live = Path(evidence_store)
    # A process (of an older version) commits a row and dies before checkpointing: its log stays.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, os, sys; c = duckdb.connect(sys.argv[1]); c.execute(\"SET checkpoint_threshold = '1TB'\"); "
            "c.execute(\"INSERT INTO loads (kind, file) VALUES ('old', 'from the log')\"); os._exit(0)",
            str(live),
        ],
        check=True,
    )
    assert live.with_name(live.name + ".wal").exists()
    load_mps(paths=[write("b2.csv", BOROUGH_CSV.replace("10,20", "11,21"))])
    assert not live.with_name(live.name + ".wal").exists()
    with store.connect() as con:
        assert [r["kind"] for r in store.rows(con, "SELECT kind FROM loads ORDER BY batch_id NULLS FIRST")] == [
            "old",
            "mps",
            "mps",
        ]
