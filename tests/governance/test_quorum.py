"""The quorum rule (vrhub/governance/quorum.py), checked against the PRG's terms of reference (seed 003,
appendix A, paragraph 7) worked by hand, and a property: the needed number is the smallest whole number of
members that is at least (or, for "more than", above) the fraction of the membership."""

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from vrhub.governance.catalogue import Attendance, QuorumRole, RequiredRole, Rounding
from vrhub.governance.quorum import Attendee, Rule, check

PRG = Rule(
    numerator=1,
    denominator=2,
    rounding=Rounding.UP,
    required_roles=(
        RequiredRole.CHAIR_OR_DEPUTY,
        RequiredRole.POLICE,
        RequiredRole.LONDON_COUNCILS,
        RequiredRole.HEALTH,
        RequiredRole.COMMUNITY,
    ),
    remote_counts=True,
)
ROLES = [QuorumRole.CHAIR, QuorumRole.POLICE, QuorumRole.LONDON_COUNCILS, QuorumRole.HEALTH, QuorumRole.COMMUNITY]


def _people(n: int, attendance=Attendance.PRESENT, roles=()):
    roles = list(roles) + [""] * (n - len(roles))
    return [Attendee(name=f"Person {i}", attendance=attendance, quorum_role=roles[i]) for i in range(n)]


def test_half_rounded_up_of_23_members_is_12():
    # The PRG of May 2019 listed 23 Partners: half is 11.5, rounded up to the next whole number 12.
    assert PRG.needed(23) == 12
    assert PRG.needed(24) == 12


def test_twelve_of_23_with_every_role_is_quorate_and_eleven_is_not():
    assert check(rule=PRG, members=23, attendees=_people(12, roles=ROLES)).quorate is True
    result = check(rule=PRG, members=23, attendees=_people(11, roles=ROLES))
    assert result.quorate is False
    assert result.present == 11 and result.needed == 12
    assert result.missing_roles == []
    assert result.reasons == [
        "11 members counted, 12 needed (half of 23 members, rounded up to the next whole number)."
    ]


def test_enough_members_but_no_health_representative_is_not_quorate():
    roles = [QuorumRole.DEPUTY_CHAIR, QuorumRole.POLICE, QuorumRole.LONDON_COUNCILS, QuorumRole.COMMUNITY]
    result = check(rule=PRG, members=23, attendees=_people(20, roles=roles))
    assert result.quorate is False
    assert result.missing_roles == [RequiredRole.HEALTH]
    assert result.reasons == ["A health representative must be present, and none is counted."]


def test_deputy_chair_fills_the_chair_role_and_apologies_do_not_count():
    roles = [
        QuorumRole.DEPUTY_CHAIR,
        QuorumRole.POLICE,
        QuorumRole.LONDON_COUNCILS,
        QuorumRole.HEALTH,
        QuorumRole.COMMUNITY,
    ]
    people = _people(5, roles=roles) + _people(10, attendance=Attendance.APOLOGIES)
    result = check(rule=PRG, members=10, attendees=people)
    assert result.present == 5
    assert result.quorate is True


def test_remote_member_counts_until_they_leave():
    people = _people(4, roles=ROLES[:4]) + [
        Attendee(
            name="Remote Community", attendance=Attendance.REMOTE, quorum_role=QuorumRole.COMMUNITY, left_after_item=3
        )
    ]
    assert check(rule=PRG, members=9, attendees=people).quorate is True  # at the opening
    assert check(rule=PRG, members=9, attendees=people, item=3).quorate is True
    later = check(rule=PRG, members=9, attendees=people, item=4)
    assert later.quorate is False
    assert later.present == 4
    assert later.missing_roles == [RequiredRole.COMMUNITY]
    assert "Remote Community (remote) left after item 3 and is not counted for item 4." in later.reasons


def test_remote_members_do_not_count_where_the_rules_say_so():
    rule = Rule(numerator=1, denominator=2, rounding=Rounding.UP, remote_counts=False)
    people = _people(2) + _people(2, attendance=Attendance.REMOTE)
    result = check(rule=rule, members=5, attendees=people)
    assert result.present == 2 and result.needed == 3 and result.quorate is False


def test_substitute_counts_and_fills_the_members_role():
    people = _people(4, roles=[QuorumRole.CHAIR, QuorumRole.LONDON_COUNCILS, QuorumRole.HEALTH, QuorumRole.COMMUNITY])
    people.append(
        Attendee(
            name="Assistant Commissioner",
            attendance=Attendance.SUBSTITUTE,
            quorum_role=QuorumRole.POLICE,
            substitute_name="Commander Deputy",
        )
    )
    result = check(rule=PRG, members=10, attendees=people)
    assert result.quorate is True
    assert "Assistant Commissioner" in result.counted


def test_no_members_is_never_quorate():
    result = check(rule=Rule(), members=0, attendees=[])
    assert result.quorate is False
    assert result.reasons == ["The group has no members in office on the meeting's date."]


def test_json_contract_keys():
    result = check(rule=PRG, members=23, attendees=_people(3))
    assert list(result.as_json(meeting=7)) == [
        "meeting",
        "members",
        "needed",
        "present",
        "quorate",
        "missing_roles",
        "reasons",
    ]


@given(
    members=st.integers(min_value=0, max_value=400),
    numerator=st.integers(min_value=1, max_value=9),
    denominator=st.integers(min_value=1, max_value=9),
)
def test_needed_is_the_fraction_rounded_as_the_rule_says(members, numerator, denominator):
    if numerator > denominator:
        numerator, denominator = denominator, numerator
    exact = Fraction(members * numerator, denominator)
    assert Rule(numerator=numerator, denominator=denominator, rounding=Rounding.UP).needed(members) == math.ceil(exact)
    assert Rule(numerator=numerator, denominator=denominator, rounding=Rounding.DOWN).needed(members) == math.floor(
        exact
    )
    above = Rule(numerator=numerator, denominator=denominator, rounding=Rounding.MORE_THAN).needed(members)
    assert above > exact and above - 1 <= exact
