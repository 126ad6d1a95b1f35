"""Members, substitutes and the register of interests: the community share against an independent
computation, the services' checks, audit and lock, removing (deleting or ending a term), and the pages."""

import datetime as dt
import math
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UserFactory
from tests.governance import factories as f
from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.governance.catalogue import Office, Sector
from vrhub.governance.models import Interest, Member, Substitute
from vrhub.governance.selectors.members import community_share, membership, more_needed, percent_words
from vrhub.governance.services import members

PERSON = {"name": "New Person", "office": "member", "sector": "health", "term_start": dt.date(2024, 4, 1)}


def brute_force_needed(members_: int, community: int, target: int) -> int | None:
    """The smallest n with (community + n) / (members + n) >= target %, by trying n = 0, 1, 2, …"""
    for n in range(0, 100_000):
        if members_ + n and Fraction(community + n, members_ + n) >= Fraction(target, 100):
            return n
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 300).flatmap(lambda m: st.tuples(st.just(m), st.integers(0, m))), st.integers(0, 99))
def test_more_needed_matches_brute_force(counts, target):
    members_, community = counts
    assert more_needed(members=members_, community=community, target_percent=target) == brute_force_needed(
        members_, community, target
    )


def test_more_needed_matches_brute_force_for_small_groups():
    for members_ in range(0, 26):
        for community in range(0, members_ + 1):
            for target in (0, 1, 10, 25, 30, 33, 34, 50, 66, 67, 75, 99):
                expected = brute_force_needed(members_, community, target)
                assert more_needed(members=members_, community=community, target_percent=target) == expected


def test_more_needed_at_100_percent():
    assert more_needed(members=5, community=4, target_percent=100) is None
    assert more_needed(members=5, community=5, target_percent=100) == 0
    assert more_needed(members=0, community=0, target_percent=100) == 1


# The share on the page ----------------------------------------------------------------------------------


def _in_office_counts(group, day):
    rows = [m for m in Member.objects.filter(group=group) if m.in_office_on(day)]
    return len(rows), sum(1 for m in rows if m.sector == Sector.COMMUNITY)


@pytest.mark.django_db
def test_members_in_office_include_both_ends_of_a_term_and_open_ends(prg):
    """A term covers its first and last day; an empty start or end is open. Worked by hand for one day."""
    from vrhub.governance.selectors.membership import members_in_office

    day, one = dt.date(2024, 6, 1), dt.timedelta(days=1)
    terms = {
        "Starts on the day": (day, None),
        "Ends on the day": (dt.date(2020, 1, 1), day),
        "Only the day": (day, day),
        "No dates": (None, None),
        "No start, ends tomorrow": (None, day + one),
        "Started yesterday, no end": (day - one, None),
        "Starts tomorrow": (day + one, None),
        "Ended yesterday": (dt.date(2020, 1, 1), day - one),
        "No start, ended yesterday": (None, day - one),
    }
    for name, (start, end) in terms.items():
        f.MemberFactory(group=prg, name=f"Boundary: {name}", term_start=start, term_end=end)
    found = {
        m.name.removeprefix("Boundary: ")
        for m in members_in_office(group=prg, on=day).filter(name__startswith="Boundary: ")
    }
    assert found == {
        "Starts on the day",
        "Ends on the day",
        "Only the day",
        "No dates",
        "No start, ends tomorrow",
        "Started yesterday, no end",
    }
    # the community share's denominator is the same members (the fixture's own members all started in 2018 or
    # have no dates: counted by the model's own rule, which the line above checks independently)
    assert community_share(group=prg, on=day).members == sum(1 for m in prg.members.all() if m.in_office_on(day))


@given(st.integers(1, 500).flatmap(lambda m: st.tuples(st.integers(0, m), st.just(m))))
def test_percent_words_truncates_to_one_decimal_place(counts):
    """A share just under a target never reads as the target: 2 of 3 is "66.6 %", 299 of 1000 "29.9 %"."""
    numerator, denominator = counts
    tenths = math.floor(Fraction(1000 * numerator, denominator))  # independently: floor, never round
    expected = f"{tenths // 10} %" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10} %"
    assert percent_words(numerator, denominator) == expected


def test_percent_words_examples():
    assert percent_words(2, 3) == "66.6 %"
    assert percent_words(2999, 10000) == "29.9 %"
    assert percent_words(7, 23) == "30.4 %"
    assert percent_words(3, 10) == "30 %"


def test_community_share_counts_members_in_office_only(prg):
    today = timezone.localdate()
    f.MemberFactory(group=prg, name="Past Community", sector=Sector.COMMUNITY, term_end=today - dt.timedelta(days=1))
    f.MemberFactory(group=prg, name="Later Community", sector=Sector.COMMUNITY, term_start=today + dt.timedelta(days=3))
    share = community_share(group=prg, on=today)
    m, c = _in_office_counts(prg, today)
    assert (share.members, share.community) == (m, c)
    assert share.more_needed == brute_force_needed(m, c, 30)
    assert share.met is False


@pytest.mark.django_db
def test_members_page_shows_share_in_words_and_target(client, vru_clerk, prg):
    client.force_login(vru_clerk)
    page = client.get(reverse("governance:members", args=["prg"])).content.decode()
    m, c = _in_office_counts(prg, timezone.localdate())
    needed = brute_force_needed(m, c, prg.community_target_percent)
    whole = 100 * c // m
    assert f"{c} of {m} members ({whole}" in page
    assert f"Target {prg.community_target_percent} %: {needed} more community members needed" in page
    assert "Below target" in page  # a word beside the colour, never colour alone


@pytest.mark.django_db
def test_share_met_when_enough_community_members(client, vru_clerk, prg):
    for n in range(2):
        f.MemberFactory(group=prg, name=f"Community {n}", sector=Sector.COMMUNITY)
    client.force_login(vru_clerk)
    page = client.get(reverse("governance:members", args=["prg"])).content.decode()
    m, c = _in_office_counts(prg, timezone.localdate())
    assert Fraction(c, m) >= Fraction(3, 10)
    assert "Target 30 %: met" in page and "Target met" in page


@pytest.mark.django_db
def test_membership_by_office_then_name(prg):
    f.MemberFactory(group=prg, name="Aaron Adviser", office=Office.ADVISER)
    f.MemberFactory(group=prg, name="Zed Member", office=Office.MEMBER)
    f.MemberFactory(group=prg, name="Alpha Member", office=Office.MEMBER)
    f.MemberFactory(group=prg, name="Gone Member", term_end=dt.date(2019, 1, 1))
    found = membership(group=prg, on=timezone.localdate())
    order = list(Office.values)
    expected = sorted(
        (m for m in prg.members.all() if m.in_office_on(timezone.localdate())),
        key=lambda m: (order.index(m.office), m.name.lower()),
    )
    assert [m.name for m in found.in_office] == [m.name for m in expected]
    assert found.in_office[0].office == Office.CHAIR and found.in_office[-1].name == "Aaron Adviser"
    assert [m.name for m in found.past] == ["Gone Member"]


# Services --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "Enter the name"),
        ({"name": "n" * 151}, "name", "150 characters or fewer (it has 151)"),
        ({"name": "chair person"}, "name", "already a member"),
        ({"organisation": "o" * 201}, "organisation", "200 characters or fewer"),
        ({"office": "president"}, "office", "from the list"),
        ({"sector": ""}, "sector", "from the list"),
        ({"quorum_role": "mayor"}, "quorum_role", "from the list"),
        ({"term_end": dt.date(2024, 3, 31)}, "term_end", "on or after the start of term (1 April 2024)"),
        ({"term_start": dt.date(1900, 1, 1)}, "term_start", "on or after 1 January 1990"),
        ({"email": "not-an-email"}, "email", "correct format"),
    ],
)
def test_member_add_names_field_and_limit(vru_clerk, prg, change, field, words):
    before = prg.members.count()
    with pytest.raises(ValidationError) as caught:
        members.member_add(group=prg, user=vru_clerk, data={**PERSON, **change})
    assert words in " ".join(caught.value.message_dict[field])
    assert prg.members.count() == before


@pytest.mark.django_db
def test_member_add_and_update_audited(vru_clerk, prg):
    made = members.member_add(group=prg, user=vru_clerk, data=PERSON)
    assert AuditEntry.objects.filter(object_type="governance.member", object_id=str(made.pk), action="create").exists()
    members.member_update(member=made, user=vru_clerk, data={**PERSON, "sector": "community"})
    entry = AuditEntry.objects.get(
        object_type="governance.member", object_id=str(made.pk), field="sector", action="update"
    )
    assert (entry.old, entry.new, entry.actor_id) == ("health", "community", vru_clerk.pk)


@pytest.mark.django_db
def test_member_changes_refused_for_lookers(prg, mopac_officer):
    with pytest.raises(PermissionDenied):
        members.member_add(group=prg, user=mopac_officer, data=PERSON)
    with pytest.raises(PermissionDenied):
        members.member_remove(member=prg.members.first(), user=mopac_officer)


@pytest.mark.django_db
def test_member_cap(vru_clerk, prg, monkeypatch):
    monkeypatch.setattr(members, "MEMBERS_MAX", prg.members.count())
    with pytest.raises(ValidationError) as caught:
        members.member_add(group=prg, user=vru_clerk, data=PERSON)
    assert f"at most {prg.members.count()} members" in caught.value.messages[0]


@pytest.mark.django_db
def test_remove_member_who_never_attended_deletes_with_substitutes_and_interests(vru_clerk, prg):
    member = prg.members.get(name="Health Person")
    sub = Substitute.objects.create(member=member, name="A Deputy")
    interest = Interest.objects.create(member=member, description="Trustee", declared_on=dt.date(2025, 1, 1))
    assert members.member_remove(member=member, user=vru_clerk) == "deleted"
    assert not Member.objects.filter(pk=member.pk).exists()
    for kind, pk in (("member", member.pk), ("substitute", sub.pk), ("interest", interest.pk)):
        assert AuditEntry.objects.filter(object_type=f"governance.{kind}", object_id=str(pk), action="delete").exists()


@pytest.mark.django_db
def test_remove_member_who_attended_ends_term(vru_clerk, prg):
    member = prg.members.get(name="Health Person")
    f.AttendanceFactory(member=member, meeting=f.MeetingFactory(group=prg))
    today = timezone.localdate()
    assert members.member_remove(member=member, user=vru_clerk) == "ended"
    member.refresh_from_db()
    assert member.term_end == today - dt.timedelta(days=1)
    assert not member.in_office_on(today)
    entry = AuditEntry.objects.get(object_type="governance.member", object_id=str(member.pk), field="term_end")
    assert entry.new == str(today - dt.timedelta(days=1))


@pytest.mark.django_db
@pytest.mark.skipif(not connection.features.has_select_for_update, reason="the database has no row locks")
def test_member_writes_lock_the_group(vru_clerk, prg):
    with CaptureQueriesContext(connection) as queries:
        members.member_add(group=prg, user=vru_clerk, data=PERSON)
    assert any("FOR UPDATE" in q["sql"] and "governance_group" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_interest_checks(vru_clerk, prg):
    member = prg.members.first()
    future = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        members.interest_add(member=member, user=vru_clerk, data={"description": "x", "declared_on": future})
    assert "today or in the past" in caught.value.message_dict["declared_on"][0]
    with pytest.raises(ValidationError) as caught:
        members.interest_add(member=member, user=vru_clerk, data={"description": "d" * 1001, "declared_on": None})
    assert "1,000 characters or fewer (it has 1,001)" in caught.value.message_dict["description"][0]
    assert "Enter the date" in caught.value.message_dict["declared_on"][0]
    assert not member.interests.exists()


@pytest.mark.django_db
def test_substitute_named_once(vru_clerk, prg):
    member = prg.members.first()
    members.substitute_add(member=member, user=vru_clerk, data={"name": "A Deputy"})
    with pytest.raises(ValidationError) as caught:
        members.substitute_add(member=member, user=vru_clerk, data={"name": "a deputy"})
    assert "already a substitute" in caught.value.message_dict["name"][0]
    assert member.substitutes.count() == 1


# Pages -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_add_change_remove(client, vru_clerk, prg):
    client.force_login(vru_clerk)
    response = client.post(
        reverse("governance:member_new", args=["prg"]),
        {"name": "Youth Voice", "office": "member", "sector": "youth", "email": "yv@example.org"},
    )
    assert response.status_code == 302
    made = prg.members.get(name="Youth Voice")
    page = client.get(reverse("governance:member", args=["prg", made.pk])).content.decode()
    assert "yv@example.org" in page and "Youth" in page and "youth" not in page.replace("Youth", "")
    client.post(reverse("governance:substitute_add", args=["prg", made.pk]), {"name": "Sub Person"})
    client.post(
        reverse("governance:interest_add", args=["prg", made.pk]),
        {"description": "Trustee of Youth Charity", "declared_on": "2025-02-03"},
    )
    listing = client.get(reverse("governance:members", args=["prg"])).content.decode()
    assert "Sub Person" in listing and "Trustee of Youth Charity" in listing and "3 February 2025" in listing
    confirm = client.get(reverse("governance:member_remove", args=["prg", made.pk])).content.decode()
    assert "never attended a meeting, so they will be deleted" in confirm
    client.post(reverse("governance:member_remove", args=["prg", made.pk]))
    assert not prg.members.filter(name="Youth Voice").exists()


@pytest.mark.django_db
def test_form_errors_shown(client, vru_clerk, prg):
    client.force_login(vru_clerk)
    response = client.post(
        reverse("governance:member_new", args=["prg"]),
        {"name": "Chair Person", "office": "member", "sector": "youth"},
    )
    assert response.status_code == 200
    assert "already a member of this group" in response.content.decode()


@pytest.mark.django_db
def test_viewer_sees_no_change_buttons(client, prg, mopac_officer):
    client.force_login(mopac_officer)
    page = client.get(reverse("governance:members", args=["prg"])).content.decode()
    assert "Add a member" not in page and "Import the membership" not in page
    member = prg.members.first()
    page = client.get(reverse("governance:member", args=["prg", member.pk])).content.decode()
    assert "Remove the member" not in page and "Add the substitute" not in page


@pytest.mark.django_db
def test_another_groups_member_is_not_found_through_a_visible_slug(client, editor, havering_board, lambeth_board):
    stranger = f.MemberFactory(group=lambeth_board)
    client.force_login(editor)
    assert client.get(reverse("governance:member", args=["havering-csp", stranger.pk])).status_code == 404
    assert client.post(reverse("governance:member_remove", args=["havering-csp", stranger.pk])).status_code == 404
    assert Member.objects.filter(pk=stranger.pk).exists()


@pytest.mark.django_db
def test_other_members_substitute_not_removable(client, editor, havering_board):
    one, other = f.MemberFactory(group=havering_board), f.MemberFactory(group=havering_board)
    sub = Substitute.objects.create(member=other, name="Theirs")
    client.force_login(editor)
    response = client.post(reverse("governance:substitute_remove", args=["havering-csp", one.pk, sub.pk]))
    assert response.status_code == 404
    assert Substitute.objects.filter(pk=sub.pk).exists()


@pytest.mark.django_db
def test_borough_viewer_gets_403_on_change(client, havering_board, havering):
    client.force_login(UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER))
    member = f.MemberFactory(group=havering_board)
    assert client.post(reverse("governance:member_remove", args=["havering-csp", member.pk])).status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()
