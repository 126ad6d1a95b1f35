"""The local definition of serious violence: the service (validation, version, audit) and the page (defaults
ticked, each offence type's evidence measure, completeness by the readiness rule, read-only for viewers)."""

import csv
import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.duty import factories as f
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import DEFAULT_OFFENCE_TYPES, FACTORS, OFFENCE_TYPES
from vrhub.duty.models import Definition
from vrhub.duty.services.definition import definition_save
from vrhub.evidence.loaders.police_uk import HEADER, load_police_uk

pytestmark = pytest.mark.django_db
FULL = {
    "offence_types": ["robbery", "homicide", "weapons"],
    "local_additions": "Modern slavery\n\n  Exploitation   of children \nmodern SLAVERY",
    "factor_penalty": "Five years or more",
    "factor_victims": "Lasting harm",
    "factor_prevalence": "Above the London rate",
    "factor_community": "Fear in town centres",
    "rationale": "Core plus robbery",
    "agreed_on": dt.date(2025, 4, 1),
}


@pytest.fixture
def partnership(havering, london):
    return f.PartnershipFactory(area=havering, vru=london)


@pytest.fixture
def viewer(havering):
    return UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)


def audit(definition) -> dict[str, tuple[str, str]]:
    rows = AuditEntry.objects.filter(object_type="duty.definition", object_id=str(definition.pk)).order_by("id")
    return {e.field: (e.old, e.new) for e in rows}


def test_the_first_save_makes_version_one_in_catalogue_order(partnership, editor):
    d = definition_save(partnership=partnership, user=editor, data=FULL)
    d.refresh_from_db()
    assert d.version == 1
    catalogue_order = [o.code for o in OFFENCE_TYPES]
    assert d.offence_types == sorted(FULL["offence_types"], key=catalogue_order.index)
    assert d.local_additions == "Modern slavery\nExploitation of children"  # blank and repeated lines dropped
    assert audit(d)["rationale"] == ("", "Core plus robbery")


def test_a_change_bumps_the_version_and_is_audited_old_to_new(partnership, editor):
    d = definition_save(partnership=partnership, user=editor, data=FULL)
    d = definition_save(
        partnership=partnership, user=editor, data={**FULL, "offence_types": ["homicide"], "version": 1}
    )
    d.refresh_from_db()
    assert d.version == 2 and d.offence_types == ["homicide"]
    assert audit(d)["offence_types"] == ("homicide, weapons, robbery", "homicide")
    assert audit(d)["version"] == ("1", "2")
    before = AuditEntry.objects.count()
    definition_save(partnership=partnership, user=editor, data={**FULL, "offence_types": ["homicide"]})
    assert Definition.objects.get(pk=d.pk).version == 2 and AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"offence_types": ["homicide", "jaywalking"]}, "offence_types", "Unknown offence type 'jaywalking'"),
        ({"local_additions": "\n".join(f"Offence {i}" for i in range(21))}, "local_additions", "at most 20"),
        ({"local_additions": "Fine\n" + "x" * 121}, "local_additions", "line 2 has 121 characters"),
        ({"rationale": "r" * 20_001}, "rationale", "Rationale must be 20,000 characters or fewer (it has 20,001)"),
        ({"factor_victims": "v" * 20_001}, "factor_victims", "The impact on victims must be 20,000 characters"),
        ({"agreed_on": "future"}, "agreed_on", "Date agreed must be today or in the past"),
        ({"version": 7}, "version", "Someone else changed the definition"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(partnership, editor, change, field, message):
    if change.get("agreed_on") == "future":
        change = {"agreed_on": timezone.localdate() + dt.timedelta(days=1)}
    with pytest.raises(ValidationError) as exc:
        definition_save(partnership=partnership, user=editor, data={**FULL, **change})
    assert message in " ".join(exc.value.message_dict[field])
    assert not Definition.objects.exists()
    assert not AuditEntry.objects.filter(object_type="duty.definition").exists()


def test_only_the_partnerships_editors_save_it(partnership, viewer):
    with pytest.raises(PermissionDenied):
        definition_save(partnership=partnership, user=viewer, data=FULL)
    assert not Definition.objects.exists()


# The page --------------------------------------------------------------------------------------


def checked_codes(html: str) -> set[str]:
    return set(re.findall(r'name="offence_types" type="checkbox" value="([a-z_&]+)"[^>]*\schecked', html))


def test_the_defaults_are_ticked_before_any_definition(client, editor, partnership):
    client.force_login(editor)
    response = client.get(reverse("duty:definition", args=["E09000016"]))
    assert response.status_code == 200
    assert (
        checked_codes(response.content.decode())
        == set(DEFAULT_OFFENCE_TYPES)
        == {"homicide", "weapons", "county_lines"}
    )


def test_saving_from_the_page_then_the_readiness_rule_says_complete(client, editor, partnership):
    client.force_login(editor)
    url = reverse("duty:definition", args=["E09000016"])
    data = {**FULL, "agreed_on": "2025-04-01", "version": 0}
    data.pop("factor_community")
    response = client.post(url, data, follow=True)
    body = response.content.decode()
    assert "Definition saved (version 1)" in body
    assert "Not complete" in body and "Record how the definition considered: the impact on the community" in body
    response = client.post(url, {**data, "factor_community": "Fear in town centres", "version": 1}, follow=True)
    body = response.content.decode()
    assert "Definition saved (version 2)" in body
    assert re.search(r'govuk-tag--green">Complete</strong>', body)
    assert checked_codes(body) == {"homicide", "weapons", "robbery"}


def test_a_bad_post_shows_the_error_and_keeps_what_was_ticked(client, editor, partnership):
    client.force_login(editor)
    url = reverse("duty:definition", args=["E09000016"])
    response = client.post(url, {"offence_types": ["robbery"], "local_additions": "x" * 121, "version": 0})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Local additions: line 1 has 121 characters; each must be 120 characters or fewer" in body
    assert checked_codes(body) == {"robbery"}
    assert not Definition.objects.exists()


def test_a_viewer_sees_the_definition_without_a_form_and_cannot_post(client, viewer, partnership):
    f.DefinitionFactory(partnership=partnership)
    client.force_login(viewer)
    url = reverse("duty:definition", args=["E09000016"])
    body = client.get(url).content.decode()
    assert "Save the definition" not in body and 'name="offence_types"' not in body
    for _name, label in FACTORS:
        assert label in body
    assert client.post(url, {**FULL, "agreed_on": "2025-04-01"}).status_code == 403
    assert Definition.objects.get(partnership=partnership).version == 1


def test_another_borough_cannot_tell_the_definition_exists(client, partnership):
    from vrhub.organisations.models import Organisation

    lambeth = Organisation.objects.get(code="E09000022")
    client.force_login(UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR))
    url = reverse("duty:definition", args=["E09000016"])
    assert client.get(url).status_code == 404
    assert client.post(url, {**FULL, "agreed_on": "2025-04-01"}).status_code == 404
    assert not Definition.objects.exists()


@pytest.fixture
def robbery_store(settings, tmp_path):
    settings.EVIDENCE_DUCKDB = str(tmp_path / "evidence.duckdb")
    rows = [",".join(HEADER)] + [
        f"id-{i},2023-01,Metropolitan Police Service,Metropolitan Police Service,0.2,51.5,On or near X,"
        "E01002356,Havering 013C,Robbery,Under investigation,"
        for i in range(3)
    ]
    path = tmp_path / "2023-01-metropolitan-street.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    load_police_uk(paths=[path])
    return tmp_path


def test_each_offence_type_names_the_measure_that_counts_it_or_says_none(client, editor, partnership, robbery_store):
    # What the store holds, read directly from the file loaded: the crime types in it.
    with open(robbery_store / "2023-01-metropolitan-street.csv", newline="", encoding="utf-8") as fh:
        loaded = {row["Crime type"] for row in csv.DictReader(fh)}
    assert loaded == {"Robbery"}
    client.force_login(editor)
    body = client.get(reverse("duty:definition", args=["E09000016"])).content.decode()

    def hint(code: str) -> str:
        match = re.search(rf'id="offence-{code}-hint"[^>]*>(.*?)</div>', body, re.S)
        assert match, code
        return " ".join(match.group(1).split())

    assert hint("robbery").startswith("Counted in the evidence workbench by Robbery (offences, data.police.uk")
    assert hint("homicide") == "The evidence workbench has no data loaded for this offence type yet."
    assert hint("county_lines") == "No open data series counts county lines; use local intelligence."
    assert hint("sexual_violence") == "No evidence workbench measure counts this offence type: use local data."
