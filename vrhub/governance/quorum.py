"""The quorum rule, pure: who counts, how many are needed, which roles must be there. No queries.

A group's terms of reference give the rule (``Rule``): a fraction of the members in office, rounded one of
three ways, with a set of roles that must be present, and whether members taking part by telephone or video
count. The PRG's (seed 003, appendix A, paragraph 7): half the members rounded up, with the Chair or Deputy
Chair, the police, a London Councils, a health and a community representative present; remote members count
"while available throughout the discussion and decision for each item for which they are counted".

The check is made for the meeting (at its opening: everyone who attended counts) or for one agenda item
(someone who left after an earlier item no longer counts). A substitute counts for the member they stand in
for and fills that member's role (the ToR's "or his representative").
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from vrhub.core.words import count_noun
from vrhub.governance.catalogue import ATTENDING, FILLED_BY, Attendance, RequiredRole, Rounding

FRACTION_WORDS = {
    (1, 2): "half",
    (1, 3): "a third",
    (2, 3): "two thirds",
    (1, 4): "a quarter",
    (3, 4): "three quarters",
}


@dataclass(frozen=True)
class Rule:
    numerator: int = 1
    denominator: int = 2
    rounding: str = Rounding.UP
    required_roles: tuple[str, ...] = ()
    remote_counts: bool = True

    @classmethod
    def of(cls, group) -> "Rule":
        return cls(
            numerator=group.quorum_numerator,
            denominator=group.quorum_denominator,
            rounding=group.quorum_rounding,
            required_roles=tuple(group.required_roles or ()),
            remote_counts=group.remote_counts,
        )

    def needed(self, members: int) -> int:
        """How many members make a quorum of ``members``."""
        product = members * self.numerator
        if self.rounding == Rounding.DOWN:
            return product // self.denominator
        if self.rounding == Rounding.MORE_THAN:
            return product // self.denominator + 1
        return -(-product // self.denominator)

    def words(self, members: int | None = None) -> str:
        """The rule in words: "half the members, rounded up to the next whole number" ("half of 23 members, …"
        given how many)."""
        fraction = FRACTION_WORDS.get((self.numerator, self.denominator), f"{self.numerator}/{self.denominator}")
        rounding = Rounding(self.rounding).label if self.rounding in Rounding.values else self.rounding
        whom = "the members" if members is None else f"of {count_noun(members, 'member')}"
        return f"{fraction} {whom}, {rounding}"


@dataclass(frozen=True)
class Attendee:
    """One member's attendance, as the rule needs it."""

    name: str
    attendance: str
    quorum_role: str = ""
    left_after_item: int | None = None
    substitute_name: str = ""


@dataclass
class Result:
    members: int
    needed: int
    present: int
    quorate: bool
    missing_roles: list[str]
    reasons: list[str]
    counted: list[str] = field(default_factory=list)
    not_counted: list[str] = field(default_factory=list)  # attendees who took part but do not count, and why

    def as_json(self, *, meeting: int) -> dict:
        """The ``quorum --json`` contract."""
        return {
            "meeting": meeting,
            "members": self.members,
            "needed": self.needed,
            "present": self.present,
            "quorate": self.quorate,
            "missing_roles": list(self.missing_roles),
            "reasons": list(self.reasons),
        }


def check(*, rule: Rule, members: int, attendees: Sequence[Attendee], item: int | None = None) -> Result:
    """Is a meeting of ``members`` members quorate with these attendees, at its opening (``item`` None) or for
    agenda item ``item``? ``reasons`` says why not (empty when quorate)."""
    counted: list[Attendee] = []
    not_counted: list[str] = []
    for person in attendees:
        if person.attendance not in ATTENDING:
            continue
        who = person.name if person.attendance != Attendance.SUBSTITUTE else _substitute(person)
        if person.attendance == Attendance.REMOTE and not rule.remote_counts:
            not_counted.append(f"{who} took part remotely, which this group's rules do not count.")
            continue
        if item is not None and person.left_after_item is not None and item > person.left_after_item:
            how = " (remote)" if person.attendance == Attendance.REMOTE else ""
            not_counted.append(
                f"{who}{how} left after item {person.left_after_item} and is not counted for item {item}."
            )
            continue
        counted.append(person)
    needed = rule.needed(members)
    roles_present = {p.quorum_role for p in counted if p.quorum_role}
    missing = [role for role in rule.required_roles if not (FILLED_BY.get(role, frozenset()) & roles_present)]
    reasons: list[str] = []
    if members == 0:
        reasons.append("The group has no members in office on the meeting's date.")
    elif len(counted) < needed:
        reasons.append(f"{count_noun(len(counted), 'member')} counted, {needed} needed ({rule.words(members)}).")
    for role in missing:
        label = RequiredRole(role).label if role in RequiredRole.values else role
        reasons.append(f"{label[:1].upper()}{label[1:]} must be present, and none is counted.")
    quorate = members > 0 and len(counted) >= needed and not missing
    if not quorate:
        reasons.extend(not_counted)
    return Result(
        members=members,
        needed=needed,
        present=len(counted),
        quorate=quorate,
        missing_roles=missing,
        reasons=reasons,
        counted=[p.name for p in counted],
        not_counted=not_counted,
    )


def _substitute(person: Attendee) -> str:
    if person.substitute_name:
        return f"{person.substitute_name} (for {person.name})"
    return f"A substitute for {person.name}"
