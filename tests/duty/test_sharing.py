"""Data sharing's services and selectors: agreements, the s.16 disclosure log, s.17 requests; validation
(field and limit named, nothing partial), the audit trail, and when things are due."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.duty import factories as f
from tests.factories import AreaFactory, UserFactory
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.duty.catalogue import REVIEW_WARNING_DAYS, AuthorityKind
from vrhub.duty.due import Due
from vrhub.duty.models import Disclosure, InformationRequest, SharingAgreement
from vrhub.duty.selectors import sharing as selectors
from vrhub.duty.services import sharing
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AGREEMENT = {
    "title": "A&E assault data",
    "parties": "  NHS trust \n\nHavering Council\n",
    "purpose": "Prevention",
    "datasets": "ISTV extracts\nAmbulance call-outs",
    "lawful_basis": "public_task",
    "dpia_done": True,
    "dpia_on": dt.date(2025, 3, 1),
    "signed_on": dt.date(2025, 4, 1),
    "review_on": dt.date(2026, 4, 1) + dt.timedelta(days=400),
}
CONFIRMED = {"not_health": True, "data_protection": True, "investigatory_powers": True}


@pytest.fixture
def partnership(havering, london):
    return f.PartnershipFactory(area=havering, vru=london)


@pytest.fixture
def viewer(havering):
    return UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)


def entries(obj, action=None):
    qs = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


# Agreements ------------------------------------------------------------------------------------------


def test_an_agreement_is_added_with_one_entry_per_line_and_audited(partnership, editor):
    made = sharing.agreement_create(partnership=partnership, user=editor, data=AGREEMENT)
    assert made.parties == "NHS trust\nHavering Council"
    assert made.datasets == "ISTV extracts\nAmbulance call-outs"
    audited = {e.field: e for e in entries(made, AuditEntry.Action.CREATE)}
    assert set(audited) == set(sharing.AGREEMENT_FIELDS)
    assert audited["review_on"].new == str(AGREEMENT["review_on"]) and audited["review_on"].actor == editor
    assert audited["lawful_basis"].new == "public_task"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title": ""}, "title", "Enter the title"),
        ({"title": "x" * 201}, "title", "200 characters or fewer (it has 201)"),
        ({"purpose": "y" * 20_001}, "purpose", "20,000 characters or fewer (it has 20,001)"),
        ({"parties": "Only one party"}, "parties", "at least 2 lines"),
        ({"parties": "\n".join(f"Party {i}" for i in range(51))}, "parties", "50 lines or fewer (it has 51)"),
        ({"datasets": "ok\n" + "z" * 201}, "datasets", "line 2, must be 200 characters or fewer (it has 201)"),
        ({"datasets": " \n "}, "datasets", "Enter the datasets"),
        ({"lawful_basis": "consent"}, "lawful_basis", "Choose the lawful basis"),
        ({"review_on": None}, "review_on", "Enter the review date"),
        ({"review_on": dt.date(2025, 3, 1)}, "review_on", "after the date signed (1 April 2025)"),
        ({"review_on": TODAY + dt.timedelta(days=366 * 11)}, "review_on", "within 10 years"),
        ({"signed_on": TODAY + dt.timedelta(days=1)}, "signed_on", "today or in the past"),
        ({"signed_on": dt.date(205, 4, 1)}, "signed_on", "on or after 1 January 1998, not 1 April 205"),
        ({"dpia_on": None}, "dpia_on", "Enter the date the data protection impact assessment was done"),
        ({"dpia_done": False}, "dpia_done", "Tick that the data protection impact assessment was done"),
    ],
)
def test_a_bad_agreement_names_the_field_and_limit_and_saves_nothing(partnership, editor, change, field, words):
    with pytest.raises(ValidationError) as exc:
        sharing.agreement_create(partnership=partnership, user=editor, data={**AGREEMENT, **change})
    assert words in " ".join(errors_of(exc)[field])
    assert not SharingAgreement.objects.exists()
    assert not AuditEntry.objects.filter(object_type="duty.sharingagreement").exists()


def test_a_change_audits_only_the_fields_changed_old_to_new(partnership, editor):
    made = sharing.agreement_create(partnership=partnership, user=editor, data=AGREEMENT)
    later = AGREEMENT["review_on"] + dt.timedelta(days=30)
    sharing.agreement_update(agreement=made, user=editor, data={**AGREEMENT, "title": "Renamed", "review_on": later})
    changed = {e.field: (e.old, e.new) for e in entries(made, AuditEntry.Action.UPDATE)}
    assert changed == {"title": ("A&E assault data", "Renamed"), "review_on": (str(AGREEMENT["review_on"]), str(later))}
    made.refresh_from_db()
    assert (made.title, made.review_on) == ("Renamed", later)


def test_a_bad_change_leaves_the_agreement_as_it_was(partnership, editor):
    made = sharing.agreement_create(partnership=partnership, user=editor, data=AGREEMENT)
    with pytest.raises(ValidationError):
        sharing.agreement_update(agreement=made, user=editor, data={**AGREEMENT, "title": "New", "parties": "One"})
    made.refresh_from_db()
    assert made.title == "A&E assault data" and not entries(made, AuditEntry.Action.UPDATE).exists()


def test_removing_an_agreement_is_audited(partnership, editor):
    made = f.SharingAgreementFactory(partnership=partnership)
    pk = made.pk
    sharing.agreement_remove(agreement=made, user=editor)
    assert not SharingAgreement.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(
        object_type="duty.sharingagreement", object_id=str(pk), action=AuditEntry.Action.DELETE, actor=editor
    ).exists()


def test_an_agreement_the_disclosure_log_cites_is_not_removed(partnership, editor):
    made = f.SharingAgreementFactory(partnership=partnership)
    f.DisclosureFactory(partnership=partnership, agreement=made)
    f.DisclosureFactory(partnership=partnership, agreement=made)
    with pytest.raises(ValidationError) as exc:
        sharing.agreement_remove(agreement=made, user=editor)
    assert "2 disclosures made under it" in exc.value.messages[0]
    assert SharingAgreement.objects.filter(pk=made.pk).exists()


@pytest.mark.parametrize("who", ["viewer", "lambeth_editor", "mopac_officer", "duty_reviewer"])
def test_only_the_areas_editors_change_its_agreements(partnership, who, request, lambeth):
    users = {"lambeth_editor": lambda: UserFactory(organisation=lambeth, role=User.Role.BOROUGH_EDITOR)}
    user = users[who]() if who in users else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        sharing.agreement_create(partnership=partnership, user=user, data=AGREEMENT)
    assert not SharingAgreement.objects.exists()


# When a review is due (the one rule, duty.due) -------------------------------------------------------


def test_review_warnings_follow_the_due_rule(partnership):
    dates = {
        "overdue": TODAY - dt.timedelta(days=1),
        "today": TODAY,
        "edge": TODAY + dt.timedelta(days=REVIEW_WARNING_DAYS),
        "later": TODAY + dt.timedelta(days=REVIEW_WARNING_DAYS + 1),
    }
    for title, review_on in dates.items():
        f.SharingAgreementFactory(partnership=partnership, title=title, review_on=review_on)
    registers = selectors.sharing_registers(partnership=partnership, today=TODAY)
    states = {row.obj.title: (row.due, row.status) for row in registers["agreements"]}
    assert states["overdue"] == (Due.OVERDUE, f"Review overdue: it was due on {_words(dates['overdue'])} (1 day ago)")
    assert states["today"] == (Due.SOON, f"Review due soon: on {_words(TODAY)} (today)")
    assert states["edge"][0] == Due.SOON and f"in {REVIEW_WARNING_DAYS} days" in states["edge"][1]
    assert states["later"] == (Due.LATER, f"Next review on {_words(dates['later'])}")
    assert (registers["agreements_overdue"], registers["agreements_soon"]) == (1, 2)
    assert [r.obj.title for r in registers["agreements"]] == ["overdue", "today", "edge", "later"]


def _words(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


# s.16 disclosures ------------------------------------------------------------------------------------


def _disclosure(**change):
    return {
        "disclosed_on": dt.date(2026, 1, 5),
        "from_organisation": "Metropolitan Police",
        "to_organisation": "Havering Council",
        "purpose": "Needs assessment",
        "information": "Counts of knife offences by ward",
        "agreement": None,
        "lawful_basis": "no_personal_data",
        **change,
    }


def test_a_disclosure_is_logged_under_an_agreement_and_audited(partnership, editor):
    agreement = f.SharingAgreementFactory(partnership=partnership)
    made = sharing.disclosure_record(
        partnership=partnership, user=editor, data=_disclosure(agreement=agreement), confirmations=CONFIRMED
    )
    assert (made.agreement, made.recorded_by, made.lawful_basis) == (agreement, editor, "no_personal_data")
    audited = {e.field: e.new for e in entries(made, AuditEntry.Action.CREATE)}
    assert audited["agreement"] == str(agreement.pk) and audited["information"] == "Counts of knife offences by ward"


@pytest.mark.parametrize(
    ("missing", "section"),
    [("not_health", "16(4)(a) and (b)"), ("data_protection", "16(4)(c)"), ("investigatory_powers", "16(4)(d)")],
)
def test_a_disclosure_s16_does_not_cover_is_refused_citing_the_section(partnership, editor, missing, section):
    with pytest.raises(ValidationError) as exc:
        sharing.disclosure_record(
            partnership=partnership, user=editor, data=_disclosure(), confirmations={**CONFIRMED, missing: False}
        )
    assert list(errors_of(exc)) == [missing]
    assert section in errors_of(exc)[missing][0] and "cannot be recorded" in errors_of(exc)[missing][0]
    assert not Disclosure.objects.exists() and not AuditEntry.objects.filter(object_type="duty.disclosure").exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"disclosed_on": dt.date(2023, 1, 30)}, "disclosed_on", "on or after 31 January 2023"),
        ({"disclosed_on": TODAY + dt.timedelta(days=1)}, "disclosed_on", "today or in the past"),
        ({"to_organisation": "metropolitan police"}, "to_organisation", "different organisation"),
        ({"information": ""}, "information", "Describe what was disclosed"),
        ({"lawful_basis": ""}, "lawful_basis", "Choose the lawful basis"),
        ({"from_organisation": "p" * 201}, "from_organisation", "200 characters or fewer"),
    ],
)
def test_a_bad_disclosure_names_the_field(partnership, editor, change, field, words):
    with pytest.raises(ValidationError) as exc:
        sharing.disclosure_record(
            partnership=partnership, user=editor, data=_disclosure(**change), confirmations=CONFIRMED
        )
    assert words in " ".join(errors_of(exc)[field])
    assert not Disclosure.objects.exists()


def test_a_disclosure_cannot_cite_another_areas_agreement(partnership, editor, lambeth, london):
    theirs = f.SharingAgreementFactory(partnership=f.PartnershipFactory(area=lambeth, vru=london))
    with pytest.raises(ValidationError) as exc:
        sharing.disclosure_record(
            partnership=partnership, user=editor, data=_disclosure(agreement=theirs), confirmations=CONFIRMED
        )
    assert "agreement" in errors_of(exc)
    assert not Disclosure.objects.exists()


# s.17 information requests ---------------------------------------------------------------------------


def _request(**change):
    return {"requested_on": dt.date(2026, 1, 5), "addressed_to": "Local authority", "request": "Outcomes", **change}


def test_the_policing_body_asks_and_the_response_is_due_28_days_later(partnership, mopac_officer):
    made = sharing.information_request_create(partnership=partnership, user=mopac_officer, data=_request())
    assert made.state == InformationRequest.State.OPEN
    assert made.due_on == dt.date(2026, 2, 2)  # 5 January + 28 days
    assert made.requested_by == mopac_officer
    audited = {e.field: e for e in entries(made, AuditEntry.Action.CREATE)}
    assert audited["due_on"].new == "2026-02-02" and audited["state"].new == "open"
    assert audited["state"].actor == mopac_officer


def test_the_authorities_the_policing_body_may_ask_are_the_partnerships(partnership):
    f.SpecifiedAuthorityFactory(partnership=partnership, kind=AuthorityKind.POLICE, organisation="Met Police")
    names = selectors.request_addressees(partnership=partnership)
    assert names[0] == "Met Police (Chief officer of police)"
    assert set(names[1:]) == {k.label for k in AuthorityKind if k != AuthorityKind.POLICE}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"due_on": dt.date(2026, 1, 5)}, "due_on", "after the date of the request (5 January 2026)"),
        ({"due_on": dt.date(2026, 1, 4)}, "due_on", "after the date of the request"),
        ({"addressed_to": "Someone else"}, "addressed_to", "specified authorities"),
        ({"requested_on": None}, "requested_on", "Enter the date of the request"),
        ({"requested_on": TODAY + dt.timedelta(days=1)}, "requested_on", "today or in the past"),
        ({"request": ""}, "request", "Enter what is asked"),
    ],
)
def test_a_bad_request_names_the_field(partnership, mopac_officer, change, field, words):
    with pytest.raises(ValidationError) as exc:
        sharing.information_request_create(partnership=partnership, user=mopac_officer, data=_request(**change))
    assert words in " ".join(errors_of(exc)[field])
    assert not InformationRequest.objects.exists()


def test_only_the_local_policing_body_of_the_areas_vru_asks(partnership, editor, duty_reviewer):
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    pcc = Organisation.objects.create(
        kind=Organisation.Kind.POLICING_BODY, code="PCC-X", name="Other PCC", vru=other_vru
    )
    other_officer = UserFactory(organisation=pcc, role=User.Role.POLICING_BODY)
    for user in (editor, duty_reviewer, other_officer):
        with pytest.raises(PermissionDenied):
            sharing.information_request_create(partnership=partnership, user=user, data=_request())
    assert not InformationRequest.objects.exists()


def test_an_answer_closes_the_request_once(partnership, editor):
    asked = f.InformationRequestFactory(partnership=partnership)
    sharing.information_request_answer(
        info_request=asked, user=editor, data={"responded_on": asked.requested_on, "answer": "Sent"}
    )
    asked.refresh_from_db()
    assert (asked.state, asked.answer, asked.version) == ("answered", "Sent", 2)
    changed = {e.field: (e.old, e.new) for e in entries(asked, AuditEntry.Action.UPDATE)}
    assert changed["state"] == ("open", "answered") and changed["answer"] == ("", "Sent")
    for respond, data in (
        (sharing.information_request_answer, {"responded_on": asked.requested_on, "answer": "Again"}),
        (
            sharing.information_request_refuse,
            {"responded_on": asked.requested_on, "refusal_reason": "data_protection", "refusal_detail": "No"},
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            respond(info_request=asked, user=editor, data=data)
        assert "already answered" in exc.value.messages[0]
    asked.refresh_from_db()
    assert (asked.state, asked.answer, asked.refusal_reason) == ("answered", "Sent", "")


@pytest.mark.parametrize("reason", list(InformationRequest.RefusalReason))
def test_a_refusal_records_its_legal_reason(partnership, editor, reason):
    asked = f.InformationRequestFactory(partnership=partnership)
    data = {"responded_on": asked.requested_on, "refusal_reason": reason.value, "refusal_detail": "Cannot"}
    sharing.information_request_refuse(info_request=asked, user=editor, data=data)
    asked.refresh_from_db()
    assert (asked.state, asked.refusal_reason, asked.responded_on) == ("refused", reason.value, asked.requested_on)
    assert entries(asked, AuditEntry.Action.UPDATE).get(field="refusal_reason").new == reason.value


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"refusal_reason": "", "refusal_detail": "x"}, "refusal_reason", "Investigatory Powers Act 2016"),
        ({"refusal_reason": "too_busy", "refusal_detail": "x"}, "refusal_reason", "section 17 allows"),
        (
            {"refusal_reason": "data_protection", "refusal_detail": ""},
            "refusal_detail",
            "Enter the detail of the refusal",
        ),
    ],
)
def test_a_refusal_needs_a_lawful_reason_and_detail(partnership, editor, data, field, words):
    asked = f.InformationRequestFactory(partnership=partnership)
    with pytest.raises(ValidationError) as exc:
        sharing.information_request_refuse(
            info_request=asked, user=editor, data={"responded_on": asked.requested_on, **data}
        )
    assert words in " ".join(errors_of(exc)[field])
    asked.refresh_from_db()
    assert asked.state == "open" and asked.version == 1


def test_a_response_cannot_predate_the_request_or_be_in_the_future(partnership, editor):
    asked = f.InformationRequestFactory(partnership=partnership)
    for when, words in (
        (asked.requested_on - dt.timedelta(days=1), "on or after the date of the request"),
        (TODAY + dt.timedelta(days=1), "today or in the past"),
    ):
        with pytest.raises(ValidationError) as exc:
            sharing.information_request_answer(
                info_request=asked, user=editor, data={"responded_on": when, "answer": "a"}
            )
        assert words in errors_of(exc)["responded_on"][0]
    asked.refresh_from_db()
    assert asked.state == "open"


def test_the_policing_body_cannot_answer_its_own_request(partnership, mopac_officer):
    asked = f.InformationRequestFactory(partnership=partnership)
    with pytest.raises(PermissionDenied):
        sharing.information_request_answer(
            info_request=asked, user=mopac_officer, data={"responded_on": asked.requested_on, "answer": "Self"}
        )
    asked.refresh_from_db()
    assert asked.state == "open"


def test_an_open_request_past_its_due_date_is_overdue_and_an_answered_one_never(partnership, editor):
    late = f.InformationRequestFactory(partnership=partnership, due_on=TODAY - dt.timedelta(days=3))
    soon = f.InformationRequestFactory(partnership=partnership, due_on=TODAY + dt.timedelta(days=2))
    done = f.InformationRequestFactory(partnership=partnership, due_on=TODAY - dt.timedelta(days=3))
    sharing.information_request_answer(info_request=done, user=editor, data={"responded_on": TODAY, "answer": "ok"})
    registers = selectors.sharing_registers(partnership=partnership, today=TODAY)
    states = {row.obj.pk: (row.due, row.status) for row in registers["requests"]}
    assert states[late.pk] == (Due.OVERDUE, f"Awaiting a response: it was due on {_words(late.due_on)} (3 days ago)")
    assert states[soon.pk][0] == Due.SOON
    assert states[done.pk] == (Due.LATER, f"Answered on {_words(TODAY)}")
    assert (registers["requests_open"], registers["requests_overdue"]) == (2, 1)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(-1, Due.OVERDUE), (0, Due.SOON), (7, Due.SOON), (8, Due.LATER)],
)
def test_a_request_is_overdue_only_after_its_due_date_and_due_soon_within_a_week(partnership, days, expected):
    due_on = TODAY + dt.timedelta(days=days)
    made = f.InformationRequestFactory(partnership=partnership, requested_on=min(due_on, TODAY), due_on=due_on)
    registers = selectors.sharing_registers(partnership=partnership, today=TODAY)
    assert {row.obj.pk: row.due for row in registers["requests"]} == {made.pk: expected}
    assert registers["requests_overdue"] == (1 if expected == Due.OVERDUE else 0)


def test_the_policing_body_sees_its_requests_across_the_areas_it_monitors(
    partnership, mopac_officer, lambeth, london, editor
):
    theirs = f.PartnershipFactory(area=lambeth, vru=london)
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    elsewhere = f.PartnershipFactory(area=AreaFactory(vru=other_vru), vru=other_vru)
    late = f.InformationRequestFactory(partnership=theirs, due_on=TODAY - dt.timedelta(days=1))
    waiting = f.InformationRequestFactory(partnership=partnership, due_on=TODAY + dt.timedelta(days=20))
    answered = f.InformationRequestFactory(partnership=partnership, due_on=TODAY - dt.timedelta(days=1))
    sharing.information_request_answer(info_request=answered, user=editor, data={"responded_on": TODAY, "answer": "ok"})
    hidden = f.InformationRequestFactory(partnership=elsewhere)
    found = selectors.requests_monitored(user=mopac_officer, today=TODAY)
    assert [r.obj.pk for r in found["rows"]] == [late.pk, waiting.pk, answered.pk]
    assert hidden.pk not in {r.obj.pk for r in found["rows"]}
    assert found["counts"] == {"all": 3, "open": 2, "overdue": 1, "answered": 1, "refused": 0}
    only_answered = selectors.requests_monitored(user=mopac_officer, today=TODAY, state="answered")
    assert [r.obj.pk for r in only_answered["rows"]] == [answered.pk]
    assert selectors.requests_monitored(user=editor, today=TODAY)["rows"] == []


def test_a_review_date_limit_from_the_29th_of_february_is_ten_years_on():
    errors: dict[str, str] = {}
    sharing._not_too_far(dt.date(2034, 2, 28), "review_on", errors, today=dt.date(2024, 2, 29))
    assert errors == {}
    sharing._not_too_far(dt.date(2034, 3, 1), "review_on", errors, today=dt.date(2024, 2, 29))
    assert "within 10 years, by 28 February 2034" in errors["review_on"]


def test_text_at_the_limit_with_browser_line_breaks_is_accepted(partnership, editor):
    """A line break counts once, as typed, though browsers send CR LF."""
    purpose = ("a" * 99 + "\r\n") * 200  # 20,000 characters as typed, 20,200 as sent
    made = sharing.agreement_create(partnership=partnership, user=editor, data={**AGREEMENT, "purpose": purpose})
    assert made.pk


def test_the_monitoring_counts_of_overdue_items_in_two_queries(
    partnership, lambeth, london, editor, django_assert_num_queries
):
    theirs = f.PartnershipFactory(area=lambeth, vru=london)
    f.SharingAgreementFactory(partnership=partnership, review_on=TODAY - dt.timedelta(days=1))
    f.SharingAgreementFactory(partnership=partnership, review_on=TODAY + dt.timedelta(days=REVIEW_WARNING_DAYS))
    f.SharingAgreementFactory(partnership=theirs, review_on=TODAY + dt.timedelta(days=REVIEW_WARNING_DAYS + 1))
    f.InformationRequestFactory(partnership=theirs, due_on=TODAY - dt.timedelta(days=1))
    answered = f.InformationRequestFactory(partnership=theirs, due_on=TODAY - dt.timedelta(days=1))
    sharing.information_request_answer(info_request=answered, user=None, data={"responded_on": TODAY, "answer": "ok"})
    with django_assert_num_queries(2):
        counts = selectors.sharing_due_many(partnership_ids=[partnership.pk, theirs.pk], today=TODAY)
    assert counts[partnership.pk] == {"agreements_overdue": 1, "agreements_soon": 1, "requests_overdue": 0}
    assert counts[theirs.pk] == {"agreements_overdue": 0, "agreements_soon": 0, "requests_overdue": 1}
