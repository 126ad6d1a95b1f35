"""Helpers for the open data (360Giving) tests: a funder profile and a schema validator built here, from the
schema files themselves, independent of the product's own (``giving360.package_validator``)."""

import json
from pathlib import Path

import jsonschema_rs

from vrhub.programmes.models import FunderProfile

SCHEMAS = Path(__file__).resolve().parents[2] / "vrhub" / "programmes" / "standards" / "360giving"
GRANT_1_4_3 = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json"
GRANT_1_4_2 = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def offline_validator():
    """The package schema with the grant schema registered under its $id and the URL the package refers to;
    ``offline=True``: nothing is ever fetched."""
    grant = schema("360-giving-schema.json")
    registry = jsonschema_rs.Registry([(GRANT_1_4_3, grant), (GRANT_1_4_2, grant)])
    return jsonschema_rs.validator_for(
        schema("360-giving-package-schema.json"), registry=registry, validate_formats=True, offline=True
    )


def profile(vru, *, synthetic: bool = False, prefix: str = "360G-londonvru") -> FunderProfile:
    return FunderProfile.objects.create(
        vru=vru,
        org_identifier="GB-GOR-PB123",
        funder_name="London Violence Reduction Unit",
        grant_prefix=prefix,
        synthetic=synthetic,
    )
