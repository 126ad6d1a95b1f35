"""The partnership's services: validation naming the field and the limit, nothing partial, audit, locking,
and the one access rule behind them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from tests.duty import factories as f
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import AuthorityKind
from vrhub.duty.models import Consultation, Partnership, RelevantAuthority, SpecifiedAuthority
from vrhub.duty.selectors.partnership import policing_body_default
from vrhub.duty.services import partnership as s
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db
BODIES = {"lead_body": "London Borough of Havering", "governance_group": "Havering CSP Board"}
POLICE = {"kind": "police", "organisation": "Metropolitan Police Service", "lead_name": "Pat Police"}


def entries(obj) -> dict[str, tuple[str, str]]:
    """The latest audit entry of each field of ``obj``: (old, new)."""
    rows = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")
    return {e.field: (e.old, e.new) for e in rows}


def duty_entries() -> int:
    return AuditEntry.objects.filter(object_type__startswith="duty.").count()


def errors_of(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


@pytest.fixture
def viewer(havering):
    return UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)


@pytest.fixture
def partnership(havering, london):
    return f.PartnershipFactory(area=havering, vru=london)


# Setting up -------------------------------------------------------------------------------------


def test_an_editor_sets_up_the_partnership_audited(havering, london, editor):
    p = s.partnership_create(area=havering, user=editor, data={**BODIES, "local_policing_body": "  MOPAC  "})
    p.refresh_from_db()
    assert (p.area, p.vru, p.lead_body, p.local_policing_body) == (havering, london, BODIES["lead_body"], "MOPAC")
    assert entries(p)["lead_body"] == ("", "London Borough of Havering")
    assert AuditEntry.objects.get(object_type="duty.partnership", field="lead_body").actor == editor


def test_the_set_up_form_is_offered_the_vrus_policing_body(havering, london):
    assert policing_body_default(area=havering) == Organisation.objects.get(code="MOPAC", vru=london).name


def test_setting_up_refuses_a_missing_or_long_field_and_saves_nothing(havering, editor):
    with pytest.raises(ValidationError) as exc:
        s.partnership_create(area=havering, user=editor, data={"lead_body": " ", "governance_group": "g" * 201})
    assert errors_of(exc) == {
        "lead_body": ["Enter the lead body"],
        "governance_group": ["Governance group must be 200 characters or fewer (it has 201)"],
    }
    assert not Partnership.objects.exists() and not duty_entries()


def test_an_area_is_set_up_once(havering, editor, partnership):
    with pytest.raises(ValidationError) as exc:
        s.partnership_create(area=havering, user=editor, data=BODIES)
    assert errors_of(exc) == {"area": ["Havering already has a partnership record"]}


def test_only_the_areas_editors_set_it_up(havering, viewer, london):
    lambeth_editor = UserFactory(organisation=Organisation.objects.get(code="E09000022"), role=User.Role.BOROUGH_EDITOR)
    for user in (viewer, lambeth_editor):
        with pytest.raises(PermissionDenied):
            s.partnership_create(area=havering, user=user, data=BODIES)
    assert not Partnership.objects.exists()


def test_vru_staff_set_up_a_footprint_covering_only_their_areas(london, havering, vru_admin):
    lambeth = Organisation.objects.get(code="E09000022")
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    elsewhere = Organisation.objects.create(kind=Organisation.Kind.AREA, code="E0X", name="Elsewhere", vru=other_vru)
    with pytest.raises(ValidationError) as exc:
        s.partnership_create(area=london, user=vru_admin, data=BODIES, covers=[havering, elsewhere])
    assert errors_of(exc) == {"covers": [f"Elsewhere: not an area of {london.name}"]}
    with pytest.raises(ValidationError) as exc:
        s.partnership_create(area=london, user=vru_admin, data=BODIES, covers=[])
    assert errors_of(exc) == {"covers": ["Choose at least one area the footprint covers"]}
    assert not Partnership.objects.exists()
    p = s.partnership_create(area=london, user=vru_admin, data=BODIES, covers=[lambeth, havering])
    assert set(p.covers.values_list("code", flat=True)) == {"E09000016", "E09000022"}
    assert p.vru == london
    assert entries(p)["covers"] == ("", "E09000016, E09000022")


def test_a_csp_area_covers_no_other_areas(havering, editor):
    with pytest.raises(ValidationError) as exc:
        s.partnership_create(
            area=havering, user=editor, data=BODIES, covers=[Organisation.objects.get(code="E09000022")]
        )
    assert errors_of(exc) == {"covers": ["Only a VRU footprint covers other areas"]}


def test_updating_audits_old_and_new_and_bumps_the_version_only_on_a_change(partnership, editor):
    old = partnership.governance_group
    changes = s.partnership_update(partnership=partnership, user=editor, data={"governance_group": "Safer Havering"})
    partnership.refresh_from_db()
    assert changes["governance_group"] == (old, "Safer Havering") and partnership.version == 2
    assert entries(partnership)["governance_group"] == (old, "Safer Havering")
    assert entries(partnership)["version"] == ("1", "2")
    before = AuditEntry.objects.count()
    assert s.partnership_update(partnership=partnership, user=editor, data={"governance_group": "Safer Havering"}) == {}
    partnership.refresh_from_db()
    assert partnership.version == 2 and AuditEntry.objects.count() == before


def test_an_update_from_a_stale_page_is_refused(partnership, editor):
    s.partnership_update(partnership=partnership, user=editor, data={"lead_body": "Council"}, expected_version=1)
    with pytest.raises(ValidationError) as exc:
        s.partnership_update(partnership=partnership, user=editor, data={"lead_body": "Other"}, expected_version=1)
    assert "Someone else changed the partnership" in errors_of(exc)["version"][0]
    partnership.refresh_from_db()
    assert partnership.lead_body == "Council"


def test_a_viewer_changes_nothing(partnership, viewer):
    with pytest.raises(PermissionDenied):
        s.partnership_update(partnership=partnership, user=viewer, data={"lead_body": "X"})
    with pytest.raises(PermissionDenied):
        s.specified_authority_add(partnership=partnership, user=viewer, data=POLICE)
    assert not SpecifiedAuthority.objects.exists() and not duty_entries()


def test_every_write_locks_the_partnership_row(partnership, editor, monkeypatch):
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    authority = s.specified_authority_add(partnership=partnership, user=editor, data=POLICE)
    s.specified_authority_update(authority=authority, user=editor, data={"lead_role": "Chief superintendent"})
    relevant = s.relevant_authority_add(
        partnership=partnership, user=editor, data={"kind": "prison", "organisation": "HMP"}
    )
    consultation = s.consultation_add(
        authority=relevant,
        user=editor,
        data={"consulted_on": dt.date(2025, 1, 2), "contact": "Governor", "asked": "Views"},
    )
    s.consultation_remove(consultation=consultation, user=editor)
    assert locked == [Partnership] * 5


# Specified authorities --------------------------------------------------------------------------


def test_adding_an_authority_is_audited(partnership, editor):
    authority = s.specified_authority_add(
        partnership=partnership, user=editor, data={**POLICE, "lead_email": "pat@example.org"}
    )
    assert entries(authority)["lead_name"] == ("", "Pat Police")
    assert entries(authority)["lead_email"] == ("", "pat@example.org")


def test_an_authority_needs_its_fields_within_their_limits(partnership, editor):
    with pytest.raises(ValidationError) as exc:
        s.specified_authority_add(
            partnership=partnership,
            user=editor,
            data={"kind": "coastguard", "organisation": "", "lead_name": "n" * 151, "lead_email": "pat-at-example"},
        )
    assert errors_of(exc) == {
        "kind": ["Choose the kind of specified authority from the list"],
        "organisation": ["Enter the organisation"],
        "lead_name": ["Lead's name must be 150 characters or fewer (it has 151)"],
        "lead_email": ["Enter the lead's e-mail address in the right format, like name@example.org"],
    }
    assert not SpecifiedAuthority.objects.exists() and not duty_entries()


def test_the_same_organisation_twice_as_the_same_kind_is_refused(partnership, editor):
    s.specified_authority_add(partnership=partnership, user=editor, data=POLICE)
    with pytest.raises(ValidationError) as exc:
        s.specified_authority_add(
            partnership=partnership, user=editor, data={**POLICE, "organisation": "metropolitan police SERVICE"}
        )
    assert errors_of(exc) == {
        "organisation": ["metropolitan police SERVICE is already in the partnership as the chief officer of police"]
    }
    # As another kind it is a different membership.
    s.specified_authority_add(partnership=partnership, user=editor, data={**POLICE, "kind": "local_authority"})
    assert SpecifiedAuthority.objects.filter(partnership=partnership).count() == 2


def test_changing_an_authority_into_a_duplicate_is_refused(partnership, editor):
    a = s.specified_authority_add(partnership=partnership, user=editor, data=POLICE)
    b = s.specified_authority_add(partnership=partnership, user=editor, data={**POLICE, "organisation": "BTP"})
    with pytest.raises(ValidationError):
        s.specified_authority_update(authority=b, user=editor, data={"organisation": a.organisation})
    changes = s.specified_authority_update(authority=b, user=editor, data={"lead_name": "Robin"})
    assert changes == {"lead_name": ("Pat Police", "Robin")}
    assert entries(b)["lead_name"] == ("Pat Police", "Robin")


def test_removing_an_authority_is_audited(partnership, editor):
    a = s.specified_authority_add(partnership=partnership, user=editor, data=POLICE)
    pk = a.pk
    s.specified_authority_remove(authority=a, user=editor)
    assert not SpecifiedAuthority.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_type="duty.specifiedauthority", object_id=str(pk), action="delete").exists()


def test_a_failure_part_way_leaves_nothing(partnership, editor, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(s, "audit_created", broken)
    with pytest.raises(RuntimeError):
        s.specified_authority_add(partnership=partnership, user=editor, data=POLICE)
    assert not SpecifiedAuthority.objects.exists()


# Relevant authorities and consultation ------------------------------------------------------------


CONSULTED = {
    "consulted_on": dt.date(2025, 3, 10),
    "contact": "Chair, Schools Partnership",
    "asked": "Views on the draft definition",
    "response": "Add exploitation",
    "responded_on": dt.date(2025, 3, 24),
}


@pytest.fixture
def relevant(partnership, editor):
    return s.relevant_authority_add(
        partnership=partnership, user=editor, data={"kind": "education", "organisation": "Schools"}
    )


def test_a_relevant_authority_once_per_kind(partnership, editor, relevant):
    with pytest.raises(ValidationError) as exc:
        s.relevant_authority_add(
            partnership=partnership, user=editor, data={"kind": "education", "organisation": "SCHOOLS"}
        )
    assert errors_of(exc) == {"organisation": ["SCHOOLS is already consulted as the educational authority"]}
    with pytest.raises(ValidationError) as exc:
        s.relevant_authority_add(
            partnership=partnership, user=editor, data={"kind": "church", "organisation": "x" * 201}
        )
    assert errors_of(exc) == {
        "kind": ["Choose the kind of relevant authority from the list"],
        "organisation": ["Organisation must be 200 characters or fewer (it has 201)"],
    }


def test_a_consultation_is_recorded_and_audited(relevant, editor):
    c = s.consultation_add(authority=relevant, user=editor, data=CONSULTED)
    assert (c.recorded_by, c.responded_on) == (editor, dt.date(2025, 3, 24))
    assert entries(c)["asked"] == ("", "Views on the draft definition")
    changes = s.consultation_update(consultation=c, user=editor, data={"response": "Add exploitation and county lines"})
    assert changes == {"response": ("Add exploitation", "Add exploitation and county lines")}
    assert entries(c)["response"] == ("Add exploitation", "Add exploitation and county lines")


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"responded_on": dt.date(2025, 3, 1)}, "responded_on", "must be the same as or after the date consulted"),
        ({"consulted_on": "tomorrow"}, "consulted_on", "Date consulted must be today or in the past"),
        ({"responded_on": None}, "responded_on", "Enter the date of the response"),
        ({"response": ""}, "response", "Enter their response, or leave the date of the response blank"),
        ({"contact": ""}, "contact", "Enter who was consulted"),
        ({"asked": "a" * 20_001}, "asked", "What was asked must be 20,000 characters or fewer (it has 20,001)"),
        ({"consulted_on": None}, "consulted_on", "Enter the date consulted"),
    ],
)
def test_a_bad_consultation_is_refused_naming_the_field(relevant, editor, change, field, message):
    if change.get("consulted_on") == "tomorrow":
        change = {"consulted_on": timezone.localdate() + dt.timedelta(days=1), "responded_on": None, "response": ""}
    with pytest.raises(ValidationError) as exc:
        s.consultation_add(authority=relevant, user=editor, data={**CONSULTED, **change})
    assert message in " ".join(errors_of(exc)[field])
    assert not Consultation.objects.exists()
    assert not AuditEntry.objects.filter(object_type="duty.consultation").exists()


def test_removing_a_relevant_authority_removes_and_audits_its_consultations(relevant, editor):
    c1 = s.consultation_add(authority=relevant, user=editor, data=CONSULTED)
    c2 = s.consultation_add(authority=relevant, user=editor, data={**CONSULTED, "consulted_on": dt.date(2025, 1, 1)})
    assert s.relevant_authority_remove(authority=relevant, user=editor) == 2
    assert not RelevantAuthority.objects.exists() and not Consultation.objects.exists()
    deleted = set(AuditEntry.objects.filter(action="delete").values_list("object_type", "object_id"))
    assert deleted == {
        ("duty.relevantauthority", str(relevant.pk)),
        ("duty.consultation", str(c1.pk)),
        ("duty.consultation", str(c2.pk)),
    }


def test_a_kind_is_missing_until_an_authority_of_it_is_added(partnership, editor, havering):
    from vrhub.duty.selectors.readiness import area_readiness

    for kind in AuthorityKind:
        s.specified_authority_add(partnership=partnership, user=editor, data={**POLICE, "kind": kind})
        present = set(SpecifiedAuthority.objects.filter(partnership=partnership).values_list("kind", flat=True))
        assert set(area_readiness(area=havering).missing_kinds) == set(AuthorityKind.values) - present


@pytest.fixture
def vru_admin(london):
    return UserFactory(organisation=london, role=User.Role.VRU_ADMIN)


def test_a_footprint_set_up_names_every_problem_at_once(london, vru_admin):
    with pytest.raises(ValidationError) as exc:
        s.partnership_create(area=london, user=vru_admin, data={"lead_body": ""}, covers=[])
    assert errors_of(exc) == {
        "lead_body": ["Enter the lead body"],
        "covers": ["Choose at least one area the footprint covers"],
    }
    assert not Partnership.objects.exists()


def test_a_footprints_areas_change_audited(london, havering, vru_admin):
    lambeth = Organisation.objects.get(code="E09000022")
    p = s.partnership_create(area=london, user=vru_admin, data=BODIES, covers=[havering])
    changes = s.partnership_update(partnership=p, user=vru_admin, data={}, covers=[havering, lambeth])
    assert changes["covers"] == ("E09000016", "E09000016, E09000022")
    assert entries(p)["covers"] == ("E09000016", "E09000016, E09000022")
    assert set(p.covers.all()) == {havering, lambeth} and p.version == 2
