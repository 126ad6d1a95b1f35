"""A VRU's grants as 360Giving open data (selectors.open_data): what is published, the identifiers, the
amounts (checked with pandas over the raw rows), synthetic data, validation before anything is served."""

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import pytest
from django.conf import settings

from tests.programmes import factories as f
from tests.programmes.open_data_world import offline_validator, profile
from vrhub.organisations.models import Organisation
from vrhub.programmes import giving360
from vrhub.programmes.models import ProgrammeAmount
from vrhub.programmes.selectors import open_data

pytestmark = pytest.mark.django_db


def _by_id(found):
    return {g["id"]: g for g in found.grants}


def test_the_vrus_own_published_programmes_with_an_amount_are_the_years_grants(programmes_world, london):
    profile(london)
    found = open_data.grants_year(vru=london, year=2020)
    # LDN-1 and LDN-2 are the VRU's own and published; HAV-1 is Havering's grant, LAM-1 is Lambeth's and
    # unpublished.
    assert sorted(_by_id(found)) == ["360G-londonvru-LDN-1-2020", "360G-londonvru-LDN-2-2020"]
    assert found.valid
    assert offline_validator().is_valid(found.package)
    rows = pd.DataFrame(
        list(
            ProgrammeAmount.objects.filter(
                year=2020, programme__reference__in=["LDN-1", "LDN-2"], programme__vru=london
            ).values("amount")
        )
    )
    assert found.total == rows["amount"].sum()
    assert sum(Decimal(str(g["amountAwarded"])) for g in found.grants) == rows["amount"].sum()
    assert open_data.grants_year(vru=london, year=2021).package is None  # no amount for 2021/22


def test_a_grant_carries_the_standards_fields(programmes_world, london, lambeth):
    profile(london)
    programme = programmes_world["vru_lambeth_programme"]
    recipient = programme.recipient
    grant = _by_id(open_data.grants_year(vru=london, year=2020))["360G-londonvru-LDN-2-2020"]
    assert grant["currency"] == "GBP"
    row = ProgrammeAmount.objects.filter(programme=programme, year=2020).values_list("amount", flat=True)
    assert Decimal(str(grant["amountAwarded"])) == pd.Series(list(row)).sum() == Decimal("60000")
    assert grant["awardDate"] == programme.award_date.isoformat()
    assert grant["plannedDates"] == [{"startDate": "2020-05-01", "endDate": "2021-03-31"}]
    assert grant["recipientOrganization"] == [
        {"id": f"GB-CHC-{recipient.charity_number}", "name": recipient.name, "charityNumber": recipient.charity_number}
    ]
    assert grant["fundingOrganization"] == [{"id": "GB-GOR-PB123", "name": "London Violence Reduction Unit"}]
    assert grant["beneficiaryLocation"] == [
        {"name": "Lambeth", "geoCode": "E09000022", "geoCodeType": "LA", "countryCode": "GB"}
    ]
    assert grant["grantProgramme"] == [{"code": "home-office", "title": "Home Office"}]
    assert grant["dataSource"] == settings.SITE_URL.rstrip("/") + "/public/VRU-LDN/grants/2020.json"
    assert dt.datetime.fromisoformat(grant["dateModified"]) == programme.updated_at.replace(microsecond=0)


def test_a_london_wide_grant_lists_every_area_of_the_vru_by_ons_code(programmes_world, london):
    profile(london)
    grant = _by_id(open_data.grants_year(vru=london, year=2020))["360G-londonvru-LDN-1-2020"]
    areas = Organisation.objects.filter(vru=london, kind="area")
    assert len(areas) == 32
    assert {(p["geoCode"], p["name"]) for p in grant["beneficiaryLocation"]} == {(a.code, a.name) for a in areas}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"charity_number": "1123456", "company_number": "07654321"}, "GB-CHC-1123456"),
        ({"charity_number": "", "company_number": "07654321"}, "GB-COH-07654321"),
        ({"charity_number": "", "company_number": "", "other_identifier": "GB-LAE-HAV"}, "GB-LAE-HAV"),
        ({"charity_number": "", "company_number": "", "other_identifier": ""}, "360G-londonvru-ORG-{pk}"),
    ],
)
def test_recipient_identifiers_follow_the_standards_order(programmes_world, london, fields, expected):
    profile(london)
    programme = programmes_world["vru_programme"]
    for name, value in fields.items():
        setattr(programme.recipient, name, value)
    programme.recipient.save()
    grant = _by_id(open_data.grants_year(vru=london, year=2020))["360G-londonvru-LDN-1-2020"]
    assert grant["recipientOrganization"][0]["id"] == expected.format(pk=programme.recipient.pk)


def test_an_unpublished_programme_of_the_vru_is_left_out(programmes_world, london, client):
    """The VRU's own LDN-1 has a 2020 amount and a recipient, but is unpublished: no grant, not in the total,
    nor in the public file; the total is recomputed with pandas over the published programmes' rows."""
    profile(london)
    programme = programmes_world["vru_programme"]
    programme.published = False
    programme.save()
    found = open_data.grants_year(vru=london, year=2020)
    assert list(_by_id(found)) == ["360G-londonvru-LDN-2-2020"]
    rows = pd.DataFrame(
        list(
            ProgrammeAmount.objects.filter(
                year=2020, programme__vru=london, programme__owner=london, programme__published=True
            ).values("programme__reference", "amount")
        )
    )
    assert list(rows["programme__reference"]) == ["LDN-2"]
    assert found.total == rows["amount"].sum()
    public = json.loads(client.get("/public/VRU-LDN/grants/2020.json").content)
    assert [g["id"] for g in public["grants"]] == ["360G-londonvru-LDN-2-2020"]


def test_synthetic_programmes_are_left_out_of_real_data(programmes_world, london):
    profile(london)
    programme = programmes_world["vru_programme"]
    programme.synthetic = True
    programme.save()
    found = open_data.grants_year(vru=london, year=2020)
    assert list(_by_id(found)) == ["360G-londonvru-LDN-2-2020"]
    assert not found.package["title"].startswith("SYNTHETIC")


def test_a_synthetic_demo_labels_every_synthetic_grant_and_the_file(programmes_world, london):
    profile(london, synthetic=True)
    programme = programmes_world["vru_programme"]
    programme.synthetic = True
    programme.save()
    found = open_data.grants_year(vru=london, year=2020)
    grants = _by_id(found)
    assert grants["360G-londonvru-LDN-1-2020"]["description"] == "SYNTHETIC DEMO DATA: " + programme.description
    assert not grants["360G-londonvru-LDN-2-2020"]["description"].startswith("SYNTHETIC")
    assert found.package["title"] == "SYNTHETIC DEMO DATA: London Violence Reduction Unit: grants for 2020/21"
    assert "Synthetic demo data" in found.package["description"]
    assert found.valid


def test_a_programme_without_a_recipient_or_award_date_is_left_out_with_the_reason(programmes_world, london):
    profile(london)
    first, second = programmes_world["vru_programme"], programmes_world["vru_lambeth_programme"]
    first.recipient = None
    first.save()
    second.award_date = None
    second.save()
    found = open_data.grants_year(vru=london, year=2020)
    assert found.package is None
    assert [(x.reference, x.reason.split(":")[0]) for x in found.left_out] == [
        ("LDN-1", "No recipient organisation"),
        ("LDN-2", "No award date"),
    ]
    with pytest.raises(open_data.NoGrants, match="publishes no grant for 2020/21"):
        open_data.grants_package(vru=london, year=2020)


def test_without_a_funder_profile_nothing_is_published(programmes_world, london):
    found = open_data.grants_year(vru=london, year=2020)
    assert found.package is None
    assert open_data.published_years(vru=london) == []
    with pytest.raises(open_data.NoGrants, match="no funder profile"):
        open_data.grants_package(vru=london, year=2020)


def test_an_invalid_package_is_never_returned(programmes_world, london, monkeypatch):
    profile(london)
    real = giving360.grant

    def broken(*args, **kwargs):
        found = real(*args, **kwargs)
        found["currency"] = "pounds"  # not an ISO 4217 code
        return found

    monkeypatch.setattr(giving360, "grant", broken)
    found = open_data.grants_year(vru=london, year=2020)
    assert not found.valid
    assert any("currency" in e for e in found.errors)
    with pytest.raises(giving360.PackageInvalid, match="currency"):
        open_data.grants_package(vru=london, year=2020)


def test_no_personal_data_only_organisations(programmes_world, london, vru_officer):
    profile(london)
    text = json.dumps(open_data.grants_package(vru=london, year=2020))
    assert "recipientIndividual" not in text
    assert vru_officer.email not in text
    assert vru_officer.username not in text
    for grant in json.loads(text)["grants"]:
        assert set(grant["recipientOrganization"][0]) <= {"id", "name", "charityNumber", "companyNumber", "postalCode"}


def test_published_years_are_those_with_a_grant(programmes_world, london):
    profile(london)
    f.ProgrammeAmountFactory(programme=programmes_world["vru_programme"], year=2021, amount=Decimal("10.50"))
    f.ProgrammeAmountFactory(programme=programmes_world["lambeth_programme"], year=2022)  # unpublished
    assert open_data.published_years(vru=london) == [2021, 2020]
    grant = open_data.grants_year(vru=london, year=2021).grants[0]
    assert grant["amountAwarded"] == 10.5
