"""Evidence loads from the upload page run as background jobs: the worker loads, the admin follows it."""

import csv
import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from vrhub.evidence import store
from vrhub.evidence.loaders import LoadError
from vrhub.evidence.loaders.boundaries import load_boundaries
from vrhub.evidence.loaders.imd import load_imd
from vrhub.evidence.loaders.istv import load_istv
from vrhub.evidence.loaders.mps import load_mps
from vrhub.evidence.loaders.police_uk import load_police_uk
from vrhub.evidence.loaders.population import load_population
from vrhub.evidence.models import EvidenceLoad
from vrhub.evidence.selectors import workbench_for
from vrhub.evidence.services import evidence_load_record
from vrhub.evidence.store import StoreError
from vrhub.jobs.registry import JobContext, job_kind
from vrhub.jobs.services import JobFailed

LOADERS = {
    "police_uk": load_police_uk,
    "mps": load_mps,
    "istv": load_istv,
    "imd": load_imd,
    "population": load_population,
    "boundaries": load_boundaries,
}
# What a stored upload's name must end with for its loader (None: as uploaded).
SUFFIXES = {"police_uk": ".csv", "mps": None, "istv": ".csv", "imd": ".csv", "population": ".csv", "boundaries": None}
UPLOADS = "evidence-uploads"  # under MEDIA_ROOT: one folder per upload, removed once it is loaded
LOCK_WAIT_SECONDS = 3600.0  # in the worker a load may wait for another one to finish
SHOWN_PROBLEMS = 200


def uploads_root() -> Path:
    return (Path(settings.MEDIA_ROOT) / UPLOADS).absolute()


def upload_path(relative: str) -> Path:
    """The stored upload named by a job's parameter; never anything outside the uploads folder."""
    root = uploads_root()
    path = (root / relative).resolve()
    if not isinstance(relative, str) or root.resolve() not in path.parents or not path.is_file():
        raise ValidationError({"file": "The uploaded file for this load is no longer on the server: upload it again"})
    return path


OWN_DATA = {"istv"}  # kinds of upload that are the uploading VRU's alone (the rest is shared open data)


def uploader_vru(*, user) -> str:
    """The code of the VRU a VRU admin's upload belongs to."""
    organisation = getattr(user, "organisation", None)
    vru = organisation.owning_vru if organisation is not None else None
    if vru is None:
        raise PermissionDenied("Only VRU admins load data.")
    return vru.code


# Open data of one place: a later file replaces the earlier one's rows (MPS: whole months; data.police.uk: the
# same Crime IDs), so a VRU loads only that of its own police force areas, never another VRU's figures.
FORCE_DATA = {"mps": store.MET_CODE}  # kind → the one force whose data it is
FORCE_NAMES = {code: name for name, code in store.POLICE_FORCES.items()}


def _own_forces(*, user) -> set[str]:
    """The police force area codes of the uploader's VRU's areas (London's: the Met and the City of London), less
    any force area another VRU has areas in too, and London's two: a VRU that took an area in another VRU's force
    area (the City of London's CSP is no London borough, and any VRU admin may assign it) loads none of its data."""
    from vrhub.organisations.models import Organisation

    vru = uploader_vru(user=user)
    own = {code for code, _ in workbench_for(vru=vru).forces}
    if vru == store.LONDON_VRU:
        return own
    others = set(
        Organisation.objects.filter(kind=Organisation.Kind.AREA, vru__isnull=False, police_force__isnull=False)
        .exclude(vru__code=vru)
        .values_list("police_force__code", flat=True)
    )
    return own - others - {code for code, _ in workbench_for(vru=store.LONDON_VRU).forces}


def _foreign_forces(*, path: Path, user) -> list[str]:
    """The forces named in a street-level file's "Falls within" column that are not the uploader's VRU's."""
    own = {FORCE_NAMES[c] for c in _own_forces(user=user) if c in FORCE_NAMES}
    found: set[str] = set()
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("Falls within") or "").strip()
            if name and name not in own:
                found.add(name[:80])
    return sorted(found)


def _authorise(*, user, params: dict) -> None:
    if not getattr(user, "is_vru_admin", False):
        raise PermissionDenied("Only VRU admins load data.")
    if params.get("kind") in OWN_DATA:
        uploader_vru(user=user)
    force = FORCE_DATA.get(params.get("kind", ""))
    if force is not None and force not in _own_forces(user=user):
        raise PermissionDenied(
            f"These are the {FORCE_NAMES[force]}'s figures: only the VRU of its police force area loads them."
        )
    if params.get("kind") not in LOADERS:
        raise ValidationError({"kind": "Choose what kind of file this is"})
    upload_path(params.get("file", ""))


@job_kind(name="evidence.load", label="Evidence load", authorise=_authorise)
def evidence_load_job(*, context: JobContext, kind: str, file: str, name: str) -> dict:
    _authorise(user=context.user, params={"kind": kind, "file": file})
    path = upload_path(file)
    if kind == "police_uk" and (foreign := _foreign_forces(path=path, user=context.user)):
        shutil.rmtree(path.parent, ignore_errors=True)
        raise JobFailed(
            f"{name}: rows fall within {', '.join(foreign)}, not a police force of "
            f"{uploader_vru(user=context.user)}'s areas: load only your own force's files. Nothing was loaded."
        )

    def progress(message: str, fraction: float) -> None:
        context.progress(round(max(0.0, min(1.0, fraction)) * 1000), 1000, message)

    # A VRU's own upload (ISTV) is recorded as that VRU's: only its people see it.
    extra = {"vru": uploader_vru(user=context.user)} if kind in OWN_DATA else {}
    try:
        loaded = LOADERS[kind](paths=[path], progress=progress, wait=LOCK_WAIT_SECONDS, **extra)
    except (LoadError, StoreError) as exc:
        if isinstance(exc, StoreError) or exc.__cause__ is not None:
            # The store was busy or could not be written: the upload is kept, to run the job again later.
            raise JobFailed(f"{name}: {exc}") from exc
        shutil.rmtree(path.parent, ignore_errors=True)  # a file the loader refuses will not load next time either
        raise JobFailed(f"{name}: {exc}. Nothing was loaded.") from exc
    shutil.rmtree(path.parent, ignore_errors=True)
    evidence_load_record(kind=kind, files=[name], summary=loaded, user=context.user, via=EvidenceLoad.Via.UPLOAD)
    summary = loaded.as_dict()
    rejected = summary["rejected"]
    whole_file = [r["reason"] for r in rejected if r["line"] == 1 and not summary["rows"]]
    if whole_file:
        raise JobFailed(f"{name}: {'; '.join(whole_file)}. Nothing was loaded.")
    synthetic = summary.get("synthetic")
    if summary["already_loaded"]:
        text = f"{name} was loaded before: nothing changed."
    else:
        text = f"{name}: {summary['loaded']:,} of {summary['rows']:,} rows loaded"
        text += f", {len(rejected):,} not loaded (listed below)." if rejected else "."
    facts = [
        ["Rows read", f"{summary['rows']:,}"],
        ["Loaded", f"{summary['loaded']:,}"],
        ["Duplicates", f"{summary['duplicates']:,}"],
        ["Without a location", f"{summary['unlocated']:,}"],
        ["Rejected", f"{len(rejected):,}"],
    ]
    if synthetic:
        facts.append(["Synthetic rows (not real data)", f"{synthetic:,}"])
        text += " These rows are SYNTHETIC demonstration data, not real records."
    return {
        "summary": text,
        "facts": facts,
        "notes": summary.get("notes", []),
        "problems": [{"where": f"{name}, line {r['line']}", "reason": r["reason"]} for r in rejected[:SHOWN_PROBLEMS]],
        "problems_total": len(rejected),
        "next_url": "/evidence/",
        "next_label": "Go to the evidence workbench",
    }
