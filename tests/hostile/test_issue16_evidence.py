"""Issue 16, hostile: one VRU's ISTV uploads never reach another VRU's figures, whichever way a figure is made
(a page, the data pack job run by the worker, the data pack command an operator runs)."""

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from vrhub.duty import datapack_render
from vrhub.evidence.synthetic import write_istv

pytestmark = pytest.mark.django_db

LONDON_SITE = "RJ122"  # St Thomas' (London's lookup places it in Lambeth)
LAMBETH = "E09000022"
START = dt.date(2024, 1, 1)


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")


def _rows(path: Path) -> int:
    """Data rows of a synthetic extract (after its marker line and header), counted independently."""
    return len([line for line in path.read_text(encoding="utf-8").splitlines()[2:] if line.strip()])


@pytest.fixture
def crafted(london, west_midlands, tmp_path):
    """London's extract for St Thomas', and a West Midlands extract naming St Thomas' too (a careless or hostile
    upload: any VRU may name any site)."""
    ldn = write_istv(path=tmp_path / "l.csv", site_code=LONDON_SITE, lsoas=[], start=START, months=2, per_month=30)
    wm = write_istv(
        path=tmp_path / "w.csv", site_code=LONDON_SITE, lsoas=[], start=START, months=2, per_month=70, seed=9
    )
    call_command("load_istv", str(ldn), "--vru", "VRU-LDN", "--quiet", stdout=StringIO())
    call_command("load_istv", str(wm), "--vru", "VRU-WMD", "--quiet", stdout=StringIO())
    return {"london": _rows(ldn), "wm": _rows(wm)}


def test_the_data_pack_command_counts_only_the_areas_own_vrus_istv(crafted, tmp_path, monkeypatch):
    """The operator's ``sna_pack`` for Lambeth must make the pack the Lambeth partnership's job makes: London's
    attendances only, never the West Midlands' upload naming a London hospital."""
    seen = {}
    real = datapack_render.render

    def spy(*, fmt, data):
        seen.update(data)
        return real(fmt=fmt, data=data)

    monkeypatch.setattr(datapack_render, "render", spy)
    out = StringIO()
    call_command("sna_pack", "--area", LAMBETH, "--format", "docx", "--out", str(tmp_path / "p.docx"), stdout=out)
    assert crafted["london"] != crafted["wm"]
    assert seen["istv"]["status"] == "ok"
    assert seen["istv"]["total"] == crafted["london"]


def test_the_data_pack_job_counts_only_the_areas_own_vrus_istv(crafted, monkeypatch):
    from tests.factories import UserFactory
    from vrhub.accounts.models import User
    from vrhub.duty.jobs import sna_pack_job
    from vrhub.organisations.models import Organisation

    seen = {}
    monkeypatch.setattr(datapack_render, "render", lambda *, fmt, data: seen.update(data) or b"x")

    class Context:
        job_id = "j"
        user = UserFactory(organisation=Organisation.objects.get(code="VRU-LDN"), role=User.Role.VRU_ADMIN)

        def progress(self, *a, **k):
            pass

        def set_output(self, **k):
            pass

    sna_pack_job(context=Context(), area=LAMBETH, fmt="docx")
    assert seen["istv"]["total"] == crafted["london"]
    assert not re.search("Birmingham|West Midlands", str(seen))


def test_the_trend_command_counts_londons_istv_only_for_london(crafted):
    """``evidence_trend`` for London (E12000007) on the command line counted every VRU's attendances as London's."""
    import json

    out = StringIO()
    call_command("evidence_trend", "--area", "E12000007", "--measure", "istv:Assaults", "--json", stdout=out)
    series = json.loads(out.getvalue())["series"]
    assert sum(row["value"] for row in series) == crafted["london"]
    # The West Midlands' own, asked for as theirs, in their force area (the check above could fail).
    out = StringIO()
    call_command(
        "evidence_trend", "--area", "E23000014", "--measure", "istv:Assaults", "--vru", "VRU-WMD", "--json", stdout=out
    )
    assert sum(row["value"] for row in json.loads(out.getvalue())["series"]) == crafted["wm"]


ROOT = Path(__file__).resolve().parents[2]
CITY_JANUARY = ROOT / "data" / "police-uk" / "city-of-london-2023" / "2023-01-city-of-london-street.csv"
MPS_BOROUGHS = """MajorText,MinorText,BoroughName,202301,202302
ROBBERY,PERSONAL PROPERTY,Havering,9999,9999
"""


def _loaded(kind: str) -> int:
    from vrhub.evidence import store

    with store.connect() as con:
        return int(store.scalar(con, "SELECT count(*) FROM ev.main.loads WHERE kind = $k", {"k": kind}))


@pytest.fixture
def wm_admin(london, west_midlands):
    from tests.factories import UserFactory
    from vrhub.accounts.models import User

    return UserFactory(organisation=west_midlands, role=User.Role.VRU_ADMIN)


def test_another_vrus_admin_cannot_replace_londons_mps_figures(client, wm_admin, django_capture_on_commit_callbacks):
    """MPS files are the Metropolitan Police's, London's figures: a later file replaces whole months of them, so
    a West Midlands admin's upload would rewrite London's recorded crime."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(wm_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evidence:upload"),
            {"kind": "mps", "file": SimpleUploadedFile("boroughs.csv", MPS_BOROUGHS.encode(), content_type="text/csv")},
        )
    assert response.status_code == 403
    assert "Metropolitan Police" in response.content.decode()
    assert _loaded("mps") == 0


def test_another_vrus_admin_cannot_load_street_files_of_londons_forces(
    client, wm_admin, django_capture_on_commit_callbacks
):
    """A West Midlands admin loads data.police.uk files of the West Midlands' own force (issue 16), never rows of
    London's forces (a later file's rows replace the earlier ones with the same Crime ID)."""
    from tests.evidence.test_views import _upload

    client.force_login(wm_admin)
    job, page = _upload(
        client, "police_uk", CITY_JANUARY.name, CITY_JANUARY.read_bytes(), django_capture_on_commit_callbacks
    )
    assert job.state == "failed"
    assert "City of London Police" in job.error and "not a police force of VRU-WMD" in job.error
    assert _loaded("police_uk") == 0


def test_taking_the_city_of_londons_area_gives_no_right_to_load_its_forces_data(
    client, wm_admin, django_capture_on_commit_callbacks
):
    """The City of London's CSP is not one of London's 32 boroughs: after load_areas it is unassigned and any VRU
    admin may take it. Taking it must not let the West Midlands load the City of London Police's street files."""
    from tests.evidence.test_views import _upload
    from vrhub.organisations.models import Organisation
    from vrhub.organisations.services import areas_assign

    city_force = Organisation.objects.create(
        kind=Organisation.Kind.POLICE_FORCE, code="E23000034", name="City of London"
    )
    city = Organisation.objects.create(
        kind=Organisation.Kind.AREA, code="E22000180", csp_code="E22000180", name="City of London",
        police_force=city_force,
    )  # fmt: skip
    areas_assign(vru=wm_admin.organisation, areas=[city], user=wm_admin)
    client.force_login(wm_admin)
    job, _ = _upload(
        client, "police_uk", CITY_JANUARY.name, CITY_JANUARY.read_bytes(), django_capture_on_commit_callbacks
    )
    assert job.state == "failed"
    assert "City of London Police" in job.error
    assert _loaded("police_uk") == 0
