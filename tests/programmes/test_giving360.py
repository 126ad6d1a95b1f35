"""The pure 360Giving mapping (giving360): identifiers, the schema registered offline under every URL, the
spreadsheet's column titles taken from the schema's own titles."""

import datetime as dt
import re
from decimal import Decimal

import jsonschema_rs
import pytest

from tests.programmes.open_data_world import GRANT_1_4_2, GRANT_1_4_3, offline_validator, schema
from vrhub.programmes import giving360

FUNDER = giving360.Funder(org_identifier="GB-GOR-PB123", name="A VRU", grant_prefix="360G-vru", synthetic=False)


def _item(**kwargs) -> giving360.GrantInput:
    values = {
        "reference": "P 1",
        "title": "Mentoring",
        "description": "",
        "amount": Decimal("1234.50"),
        "award_date": dt.date(2020, 4, 15),
        "start_date": None,
        "end_date": None,
        "recipient": giving360.RecipientInfo(pk=7, name="Youth Charity", postcode="rm1 1aa"),
        "places": (),
        "funding_source": "",
        "modified": dt.datetime(2020, 5, 1, 9, 30, tzinfo=dt.UTC),
        "synthetic": False,
    }
    values.update(kwargs)
    return giving360.GrantInput(**values)


def _package(*grants):
    return giving360.package(
        list(grants),
        funder=FUNDER,
        title="A VRU: grants",
        issued=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    )


def test_the_package_schema_refers_to_the_grant_schema_by_another_version_than_its_id():
    """The copy in the repository: the package schema's $ref (1.4.2) is not the grant schema's $id (1.4.3)."""
    assert schema("360-giving-schema.json")["$id"] == GRANT_1_4_3
    assert schema("360-giving-package-schema.json")["properties"]["grants"]["items"]["$ref"] == GRANT_1_4_2
    assert giving360.grant_schema_urls() == [GRANT_1_4_3, GRANT_1_4_2]


def test_registered_under_its_id_alone_the_reference_cannot_be_resolved_offline():
    grant = schema("360-giving-schema.json")
    only_id = jsonschema_rs.Registry([(GRANT_1_4_3, grant)])
    with pytest.raises(jsonschema_rs.ValidationError, match="not present in a registry"):
        jsonschema_rs.validator_for(schema("360-giving-package-schema.json"), registry=only_id, offline=True)


def test_a_minimal_grant_is_valid_and_a_broken_one_is_not():
    package = _package(giving360.grant(_item(), funder=FUNDER, year=2020, data_source="https://example.org/x.json"))
    assert giving360.package_errors(package) == []
    assert offline_validator().is_valid(package)
    del package["grants"][0]["awardDate"]
    assert giving360.package_errors(package)
    assert not offline_validator().is_valid(package)
    with pytest.raises(giving360.PackageInvalid):
        giving360.checked_package(package)


def test_an_empty_package_is_invalid():
    """The standard needs at least one grant: a year with none is never a file."""
    assert giving360.package_errors(_package())


def test_the_grant_id_carries_prefix_reference_and_year():
    grant = giving360.grant(_item(), funder=FUNDER, year=2020, data_source="https://example.org/x.json")
    assert grant["id"] == "360G-vru-P1-2020"
    assert grant["description"] == "Mentoring"  # no description: the title
    assert grant["amountAwarded"] == 1234.5
    recipient = {"id": "360G-vru-ORG-7", "name": "Youth Charity", "postalCode": "RM1 1AA"}
    assert grant["recipientOrganization"] == [recipient]
    assert "plannedDates" not in grant and "beneficiaryLocation" not in grant and "grantProgramme" not in grant


@pytest.mark.parametrize(
    ("recipient", "expected"),
    [
        (giving360.RecipientInfo(pk=1, name="A", charity_number=" 112 3456 ", company_number="07"), "GB-CHC-1123456"),
        (giving360.RecipientInfo(pk=1, name="A", company_number="sc123456"), "GB-COH-SC123456"),
        (giving360.RecipientInfo(pk=1, name="A", other_identifier="GB-LAE-HAV"), "GB-LAE-HAV"),
        (giving360.RecipientInfo(pk=9, name="A"), "360G-vru-ORG-9"),
    ],
)
def test_recipient_identifier(recipient, expected):
    assert giving360.recipient_identifier(recipient, grant_prefix="360G-vru") == expected


@pytest.mark.parametrize(
    ("prefix", "ok"),
    [("360G-londonvru", True), ("360G-london-vru-2", True), ("360g-x", False), ("360G-", False), ("360G-a b", False)],
)
def test_grant_prefix_form(prefix, ok):
    assert bool(giving360.GRANT_PREFIX.match(prefix)) is ok


@pytest.mark.parametrize(
    ("identifier", "ok"),
    [("GB-GOR-PB123", True), ("GB-LAE-LND", True), ("XI-ORG-1", True), ("gb-chc-1", False), ("GB123", False)],
)
def test_org_identifier_form(identifier, ok):
    assert bool(giving360.ORG_IDENTIFIER.match(identifier)) is ok


def _titles() -> set[str]:
    """Every "A:B" title path the grant schema allows, from its ``title`` fields (independently of COLUMNS)."""
    grant = schema("360-giving-schema.json")
    defs = grant["$defs"]
    found = set()
    for prop in grant["properties"].values():
        if "title" not in prop and "$ref" in prop:  # currency: its title is on its definition
            prop = defs[prop["$ref"].split("/")[-1]]
        if "title" not in prop:
            continue
        target = prop.get("items", prop)
        ref = target.get("$ref", "")
        if ref.startswith("#/$defs/") and "properties" in defs[ref.split("/")[-1]]:
            for sub in defs[ref.split("/")[-1]]["properties"].values():
                found.add(f"{prop['title']}:{sub['title']}")
        else:
            found.add(prop["title"])
    return found


def test_spreadsheet_headings_are_the_standards_titles():
    places = (giving360.Place("Havering", "E09000016"), giving360.Place("Lambeth", "E09000022"))
    two = giving360.grant(_item(places=places), funder=FUNDER, year=2020, data_source="https://example.org/x.json")
    one = giving360.grant(_item(places=places[:1]), funder=FUNDER, year=2020, data_source="https://example.org/x")
    titles = _titles()
    for grants in ([one], [one, two]):
        for heading in giving360.spreadsheet_headings(grants):
            assert re.sub(r":\d+:", ":", heading) in titles, heading
    assert "Beneficiary Location:Geographic Code" in giving360.spreadsheet_headings([one])
    assert "Beneficiary Location:1:Geographic Code" in giving360.spreadsheet_headings([one, two])
    rows = giving360.spreadsheet_rows([one, two])
    headings = giving360.spreadsheet_headings([one, two])
    assert rows[0][headings.index("Beneficiary Location:1:Name")] == ""
    assert rows[1][headings.index("Beneficiary Location:1:Name")] == "Lambeth"


def test_text_that_looks_like_a_formula_is_made_inert():
    assert giving360.inert("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert giving360.inert("Mentoring") == "Mentoring"
    assert giving360.inert(12.5) == 12.5
