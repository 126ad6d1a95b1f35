"""Write-path scenarios (tests/core/test_write_path.py) for loading areas and assigning them to a VRU."""

from pathlib import Path

from tests.core.scenario import Scenario
from tests.organisations.areas_files import CSPS, FORCES, topology, write
from vrhub.organisations.models import Organisation

NEEDS = ("london", "vru_admin")


def _s():
    import importlib

    return importlib.import_module("vrhub.organisations.services")


def _files(w) -> tuple[Path, Path]:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="vrhub-areas-"))
    return write(folder / "csp.topojson", topology(CSPS)), write(folder / "forces.topojson", topology(FORCES))


def _unassigned(code: str = "E22000143") -> Organisation:
    return Organisation.objects.create(kind="area", code=code, csp_code=code, name="Medway")


def _load(w):
    csp, forces = _files(w)
    # One area already there without a force and a boundary: the load fills in both, audited.
    Organisation.objects.create(kind="area", code="E22000901", csp_code="E22000901", name="North Town")
    return lambda: _s().areas_load(csp_path=csp, force_path=forces)


def _release(w):
    area = _unassigned()
    _s().areas_assign(vru=w.london, areas=[area], user=w.vru_admin)
    return lambda: _s().area_release(area=area, user=w.vru_admin)


SCENARIOS = {
    "organisations.areas_load": Scenario(_load, needs=()),
    "organisations.areas_assign": Scenario(
        lambda w: (lambda area: lambda: _s().areas_assign(vru=w.london, areas=[area], user=w.vru_admin))(_unassigned()),
        needs=NEEDS,
        actor="vru_admin",
    ),
    "organisations.area_release": Scenario(_release, needs=NEEDS, actor="vru_admin"),
    # On main without a scenario (the lead's foundation); here so that the walk over services passes.
    "organisations.west_midlands_load": Scenario(lambda w: lambda: _s().west_midlands_load(), needs=()),
}
