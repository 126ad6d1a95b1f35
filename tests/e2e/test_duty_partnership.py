"""An editor sets up Havering's Serious Violence Duty partnership in the browser: the bodies, all six specified
authorities, a relevant authority and its consultation, and the local definition, until the area page shows
those parts complete. Axe at each page; screenshots to look at."""

import os

import pytest
from playwright.sync_api import expect

from tests.duty.factories import without_demo_records
from tests.e2e.pages import Session
from tests.e2e.pages_duty_partnership import DefinitionPage, DutyAreaPage, PartnershipPage
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import AuthorityKind
from vrhub.duty.models import Definition, Partnership

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("VRHUB_SCREENSHOTS", "/tmp/duty-partnership-shots")
HAVERING = "E09000016"
AUTHORITIES = {
    AuthorityKind.POLICE: ("Metropolitan Police Service, East Area BCU", "Pat Police", "pat.police@example.org"),
    AuthorityKind.FIRE: ("London Fire Brigade", "Alex Fire", ""),
    AuthorityKind.HEALTH: ("NHS North East London Integrated Care Board", "Jo Health", ""),
    AuthorityKind.LOCAL_AUTHORITY: ("London Borough of Havering", "Sam Council", ""),
    AuthorityKind.YOUTH_JUSTICE: ("Havering Youth Justice Service", "Kim Youth", ""),
    AuthorityKind.PROBATION: ("Probation Service, London region", "Lee Probation", ""),
}


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_editor_sets_up_the_partnership_and_definition(page, e2e_data):
    without_demo_records(HAVERING)
    assert not Partnership.objects.filter(area__code=HAVERING).exists()
    Session(page).as_user("havering.editor")

    area = DutyAreaPage(page).open(HAVERING)
    details = area.set_up_partnership().check_accessibility()
    assert details.policing_body() == "Mayor's Office for Policing and Crime"  # prefilled from the VRU's MOPAC
    shot(page, "1-set-up")
    partnership = details.fill(
        lead_body="London Borough of Havering", governance_group="Safer Havering Partnership Board"
    ).submit()
    expect(partnership.banner()).to_contain_text("Partnership set up")
    for kind in AuthorityKind:
        assert partnership.kind_state(kind) == "Missing"
    partnership.check_accessibility()
    shot(page, "2-partnership-empty")

    # A bad e-mail address is refused, naming the field, and nothing is added.
    form = partnership.add_authority(AuthorityKind.POLICE.label)
    organisation, lead, email = AUTHORITIES[AuthorityKind.POLICE]
    form.fill(organisation=organisation, lead_name=lead, lead_email="not-an-address").submit()
    expect(form.error_summary()).to_contain_text("Enter the lead's e-mail address in the right format")
    form.check_accessibility()
    shot(page, "3-authority-error")
    assert not Partnership.objects.get(area__code=HAVERING).specified_authorities.exists()
    form.fill(organisation=organisation, lead_name=lead, lead_role="Superintendent", lead_email=email).submit()

    for kind, (organisation, lead, _email) in AUTHORITIES.items():
        if kind == AuthorityKind.POLICE:
            continue
        partnership = (
            PartnershipPage(page).add_authority(kind.label).fill(organisation=organisation, lead_name=lead).submit()
        )
        expect(partnership.banner()).to_contain_text(f"{organisation} added")
    for kind in AuthorityKind:
        assert partnership.kind_state(kind) == "In place"
    expect(partnership.missing()).to_contain_text("Record the relevant authorities consulted")

    partnership = (
        partnership.add_relevant()
        .check_accessibility()
        .fill(kind_label="Educational authority", organisation="Havering Schools Partnership")
        .submit()
    )
    consultation = partnership.record_consultation("Havering Schools Partnership")
    consultation.check_accessibility()
    # A response dated before the consultation is refused, naming the field.
    consultation.fill(
        consulted_on="2025-03-10",
        contact="Chair, Havering Schools Partnership",
        asked="Views on the draft local definition",
        response="Add exploitation",
        responded_on="2025-03-01",
    ).submit()
    expect(consultation.error_summary()).to_contain_text("must be the same as or after the date consulted")
    partnership = consultation.fill(
        consulted_on="2025-03-10",
        contact="Chair, Havering Schools Partnership",
        asked="Views on the draft local definition",
        response="Add exploitation",
        responded_on="2025-03-24",
    ).submit()
    expect(partnership.missing()).to_contain_text("Complete")
    partnership.check_accessibility()
    shot(page, "4-partnership-complete")

    definition = DefinitionPage(page).open(HAVERING).check_accessibility()
    for core in ("Homicide", "Weapons offences", "County lines"):
        expect(definition.offence(core)).to_be_checked()
    assert "No open data series counts county lines" in definition.hint_for("County lines")
    shot(page, "5-definition-new")
    definition.offence("Robbery").check()
    definition.fill(
        **{
            "Local additions": "Exploitation of children\nModern slavery",
            "The maximum penalty": "Offences with a maximum penalty of five years or more.",
            "The impact on victims": "Lasting physical and psychological harm.",
            "How prevalent": "Knife crime with injury above the London rate.",
            "The impact on the community": "Fear of crime in Romford town centre.",
            "Rationale": "The guidance's core plus robbery, which drives most street violence here.",
            "Date agreed": "2025-04-01",
        }
    ).save()
    definition.expect_complete().check_accessibility()
    shot(page, "6-definition-saved")
    saved = Definition.objects.get(partnership__area__code=HAVERING)
    assert saved.offence_types == ["homicide", "weapons", "county_lines", "robbery"]
    assert saved.local_additions == "Exploitation of children\nModern slavery"
    assert AuditEntry.objects.filter(object_type="duty.definition", object_id=str(saved.pk)).exists()

    area = DutyAreaPage(page).open(HAVERING)
    for heading in ("The partnership", "Consultation of relevant authorities", "Local definition of serious violence"):
        assert area.part_state(heading) == "Complete", heading
    area.check_accessibility()
    shot(page, "7-area")

    # A viewer of the same borough sees the same pages without forms.
    Session(page).as_user("havering.viewer")
    PartnershipPage(page).open(HAVERING)
    expect(page.get_by_text("Pat Police")).to_be_visible()
    assert page.get_by_role("link", name="Add a relevant authority").count() == 0
    DefinitionPage(page).open(HAVERING).check_accessibility()
    assert page.get_by_role("button", name="Save the definition").count() == 0
    shot(page, "8-definition-viewer")
