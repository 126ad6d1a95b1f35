"""The 360Giving Data Standard (schema 1.4.3): how a funded programme becomes an open-data grant. Pure: no queries.

* One grant per programme per financial year. A programme's money is recorded by financial year
  (``ProgrammeAmount``), and a VRU is funded and reports by financial year, so each year's file lists what was
  awarded FOR that year: ``amountAwarded`` is the programme's amount for the year, so a year's file adds up to
  the year's budget. Its ``id`` carries the year (``<grant prefix>-<reference>-<year>``, ``grant_id``): a grant
  id must be unique across everything a publisher publishes, and a two-year programme is two grants.
* Identifiers follow the standard's rules: a grant id starts with the funder's 360Giving prefix (``360G-…``);
  a recipient's organisation identifier is its Charity Commission number (``GB-CHC-…``), else its Companies
  House number (``GB-COH-…``), else the org-id.guide identifier recorded for it (e.g. ``GB-LAE-…`` for a
  council), else one the funder makes under its own prefix (``<grant prefix>-ORG-<n>``), which the standard
  allows for organisations with no registered identifier.
* Only organisations are named: no person's name, e-mail address or telephone number is ever put in a grant.
* A synthetic (demo) grant's description starts ``SYNTHETIC DEMO DATA:``: the standard has no field for it.
* Every package is validated against the package schema before anyone gets it (``package_errors``), offline:
  the grant schema is registered under every URL the package schema refers to it by.
"""

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from vrhub.core.spreadsheet import neutralise

SCHEMA_DIR = Path(__file__).resolve().parent / "standards" / "360giving"
GRANT_SCHEMA = SCHEMA_DIR / "360-giving-schema.json"
PACKAGE_SCHEMA = SCHEMA_DIR / "360-giving-package-schema.json"
STANDARD_VERSION = "1.4"  # the package's "version" (major.minor)
CURRENCY = "GBP"
SYNTHETIC_PREFIX = "SYNTHETIC DEMO DATA: "
GRANT_PREFIX = re.compile(r"^360G-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
# An org-id.guide identifier: a list code of two parts (country or XI/XM, then the register) and the id.
ORG_IDENTIFIER = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,}-[A-Za-z0-9][A-Za-z0-9._/-]*$")
LOCAL_AUTHORITY = "LA"  # 360Giving geoCodeType for a local authority area (its ONS code)
ERRORS_SHOWN = 20


class PackageInvalid(Exception):
    """A package failed validation against the 360Giving package schema: it must never be served."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("The 360Giving file is not valid: " + "; ".join(self.errors[:5]))


@dataclass(frozen=True)
class Funder:
    org_identifier: str
    name: str
    grant_prefix: str
    synthetic: bool


@dataclass(frozen=True)
class Place:
    name: str
    code: str  # ONS code


@dataclass(frozen=True)
class RecipientInfo:
    pk: int
    name: str
    charity_number: str = ""
    company_number: str = ""
    other_identifier: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class GrantInput:
    """What one grant is made of: read from a programme by ``selectors.open_data``."""

    reference: str
    title: str
    description: str
    amount: Decimal
    award_date: dt.date
    start_date: dt.date | None
    end_date: dt.date | None
    recipient: RecipientInfo
    places: tuple[Place, ...]
    funding_source: str
    modified: dt.datetime
    synthetic: bool


def _compact(value: str) -> str:
    return re.sub(r"\s+", "", value or "")


def recipient_identifier(recipient: RecipientInfo, *, grant_prefix: str) -> str:
    """The recipient's organisation identifier, by the standard's order of preference."""
    if _compact(recipient.charity_number):
        return f"GB-CHC-{_compact(recipient.charity_number)}"
    if _compact(recipient.company_number):
        return f"GB-COH-{_compact(recipient.company_number).upper()}"
    if _compact(recipient.other_identifier):
        return _compact(recipient.other_identifier)
    return f"{grant_prefix}-ORG-{recipient.pk}"


def grant_id(*, grant_prefix: str, reference: str, year: int) -> str:
    """``<grant prefix>-<reference>-<year>``: one grant per programme per financial year, so the id carries the
    year (a programme funded for two years is two grants, each unique for the publisher)."""
    return f"{grant_prefix}-{_compact(reference)}-{year}"


def grant(item: GrantInput, *, funder: Funder, year: int, data_source: str) -> dict[str, Any]:
    """One 360Giving grant for ``item`` in financial ``year``."""
    description = item.description.strip() or item.title
    if item.synthetic:
        description = SYNTHETIC_PREFIX + description
    recipient: dict[str, Any] = {
        "id": recipient_identifier(item.recipient, grant_prefix=funder.grant_prefix),
        "name": item.recipient.name,
    }
    if _compact(item.recipient.charity_number):
        recipient["charityNumber"] = _compact(item.recipient.charity_number)
    if _compact(item.recipient.company_number):
        recipient["companyNumber"] = _compact(item.recipient.company_number).upper()
    if item.recipient.postcode.strip():
        recipient["postalCode"] = item.recipient.postcode.strip().upper()
    found: dict[str, Any] = {
        "id": grant_id(grant_prefix=funder.grant_prefix, reference=item.reference, year=year),
        "title": item.title,
        "description": description,
        "currency": CURRENCY,
        "amountAwarded": float(item.amount) if item.amount % 1 else int(item.amount),
        "awardDate": item.award_date.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [{"id": funder.org_identifier, "name": funder.name}],
        "dateModified": item.modified.isoformat(timespec="seconds"),
        "dataSource": data_source,
    }
    dates = {}
    if item.start_date:
        dates["startDate"] = item.start_date.isoformat()
    if item.end_date:
        dates["endDate"] = item.end_date.isoformat()
    if dates:
        found["plannedDates"] = [dates]
    if item.places:
        found["beneficiaryLocation"] = [
            {"name": p.name, "geoCode": p.code, "geoCodeType": LOCAL_AUTHORITY, "countryCode": "GB"}
            for p in item.places
        ]
    if item.funding_source.strip():
        found["grantProgramme"] = [{"code": _slug(item.funding_source), "title": item.funding_source}]
    return found


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "programme"


def package(
    grants: list[dict[str, Any]], *, funder: Funder, title: str, issued: dt.datetime, licence_url: str
) -> dict[str, Any]:
    """The 360Giving package (``{"grants": [...]}``) with its metadata."""
    found: dict[str, Any] = {
        "grants": grants,
        "version": STANDARD_VERSION,
        "title": (f"SYNTHETIC DEMO DATA: {title}" if funder.synthetic else title),
        "issued": issued.isoformat(timespec="seconds"),
        "publisher": {"identifier": funder.org_identifier, "name": funder.name},
        "license": licence_url,
    }
    if funder.synthetic:
        found["description"] = (
            "Synthetic demo data made up to show the service: not real grants, and the 360Giving prefix is not "
            "registered."
        )
    return found


# Validation ------------------------------------------------------------------------------------------------


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _refs(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def grant_schema_urls() -> list[str]:
    """Every URL the grant schema is known by: its own ``$id`` and each URL the package schema refers to."""
    grant_schema, package_schema = _load(GRANT_SCHEMA), _load(PACKAGE_SCHEMA)
    urls = [grant_schema["$id"], *_refs(package_schema)]
    return list(dict.fromkeys(urls))


@cache
def package_validator():
    """A validator of the package schema that never fetches: the grant schema is registered under every URL."""
    import jsonschema_rs

    grant_schema = _load(GRANT_SCHEMA)
    registry = jsonschema_rs.Registry([(url, grant_schema) for url in grant_schema_urls()])
    return jsonschema_rs.validator_for(_load(PACKAGE_SCHEMA), registry=registry, validate_formats=True, offline=True)


def package_errors(data: dict[str, Any]) -> list[str]:
    """What is wrong with ``data`` as a 360Giving package: each error with where it is (empty when valid)."""
    errors = []
    for error in package_validator().iter_errors(data):
        place = "/".join(str(p) for p in error.instance_path) or "the package"
        errors.append(f"{place}: {error.message[:300]}")
        if len(errors) >= ERRORS_SHOWN:
            break
    return errors


def checked_package(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` if it is a valid package; ``PackageInvalid`` naming what is wrong otherwise."""
    errors = package_errors(data)
    if errors:
        raise PackageInvalid(errors)
    return data


# The spreadsheet -------------------------------------------------------------------------------------------

# The standard's column titles (its schema's ``title`` of each field, joined with ":" along the path).
COLUMNS: list[tuple[str, Any]] = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: g.get("plannedDates", [{}])[0].get("startDate", "")),
    ("Planned Dates:End Date", lambda g: g.get("plannedDates", [{}])[0].get("endDate", "")),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Recipient Org:Charity Number", lambda g: g["recipientOrganization"][0].get("charityNumber", "")),
    ("Recipient Org:Company Number", lambda g: g["recipientOrganization"][0].get("companyNumber", "")),
    ("Recipient Org:Postal Code", lambda g: g["recipientOrganization"][0].get("postalCode", "")),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Grant Programme:Code", lambda g: g.get("grantProgramme", [{}])[0].get("code", "")),
    ("Grant Programme:Title", lambda g: g.get("grantProgramme", [{}])[0].get("title", "")),
    ("Last Modified", lambda g: g["dateModified"]),
    ("Data Source", lambda g: g["dataSource"]),
]
LOCATION_FIELDS = [("Name", "name"), ("Geographic Code", "geoCode"), ("Geographic Code Type", "geoCodeType")]


def spreadsheet_headings(grants: list[dict[str, Any]]) -> list[str]:
    """The column titles: the fixed ones, then the beneficiary locations (numbered ``:0:``, ``:1:``… as the
    standard's spreadsheet conversion reads a list, when a grant has more than one)."""
    most = max((len(g.get("beneficiaryLocation", [])) for g in grants), default=0)
    headings = [title for title, _ in COLUMNS]
    if most == 1:
        headings += [f"Beneficiary Location:{title}" for title, _ in LOCATION_FIELDS]
    else:
        headings += [f"Beneficiary Location:{n}:{title}" for n in range(most) for title, _ in LOCATION_FIELDS]
    return headings


def spreadsheet_rows(grants: list[dict[str, Any]]) -> list[list[Any]]:
    """One row per grant, in the order of ``spreadsheet_headings``. Text is returned as it is (the writer
    makes it inert, ``inert``)."""
    most = max((len(g.get("beneficiaryLocation", [])) for g in grants), default=0)
    rows = []
    for g in grants:
        row = [value(g) for _, value in COLUMNS]
        places = g.get("beneficiaryLocation", [])
        for n in range(most):
            place = places[n] if n < len(places) else {}
            row += [place.get(key) or "" for _, key in LOCATION_FIELDS]
        rows.append(row)
    return rows


def inert(value: Any) -> Any:
    """A cell's value that no spreadsheet will run as a formula (``core.spreadsheet``'s one rule)."""
    return neutralise(value) if isinstance(value, str) else value
