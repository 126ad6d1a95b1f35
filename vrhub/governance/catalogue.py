"""How partnership groups govern themselves, as data: pure constants, no queries.

The Partnership Reference Group's terms of reference (seed 003, appendix A) are one configuration of these:
quorum of half the members rounded up, with the Chair or Deputy Chair, the police, a London Councils, a
health and a community representative present; remote members counted while available throughout each item;
recommendations by consensus with dissent recorded; agendas published in advance unless exempt under the
Freedom of Information Act; minutes published as soon as practicable; every report says how equality issues
were considered. A CSP board's rules may differ: every one of these is a field of ``Group``.
"""

from django.db import models


class Office(models.TextChoices):
    """A member's office in the group."""

    CHAIR = "chair", "Chair"
    DEPUTY_CHAIR = "deputy_chair", "Deputy Chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"


class Sector(models.TextChoices):
    """The sector a member comes from (the community share is measured over COMMUNITY)."""

    POLICE = "police", "Police"
    LOCAL_GOVERNMENT = "local_government", "Local government"
    LONDON_COUNCILS = "london_councils", "London Councils"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    COMMUNITY = "community", "Voluntary and community sector"
    YOUTH = "youth", "Youth"
    FUNDERS = "funders", "Funders"
    OTHER = "other", "Other"


class QuorumRole(models.TextChoices):
    """The role a member fills in the quorum rule (the import column ``quorum_role``); most members have none."""

    CHAIR = "chair", "Chair"
    DEPUTY_CHAIR = "deputy_chair", "Deputy Chair"
    POLICE = "police", "Police"
    LONDON_COUNCILS = "london_councils", "London Councils"
    HEALTH = "health", "Health"
    COMMUNITY = "community", "Community"


class RequiredRole(models.TextChoices):
    """A role that must be present for a meeting (or item) to be quorate. Each is filled by any counted
    attendee whose quorum role is one of ``FILLED_BY[role]``."""

    CHAIR_OR_DEPUTY = "chair_or_deputy", "the Chair or Deputy Chair"
    POLICE = "police", "a police representative"
    LONDON_COUNCILS = "london_councils", "a London Councils representative"
    HEALTH = "health", "a health representative"
    COMMUNITY = "community", "a community representative"


FILLED_BY: dict[str, frozenset[str]] = {
    RequiredRole.CHAIR_OR_DEPUTY: frozenset({QuorumRole.CHAIR, QuorumRole.DEPUTY_CHAIR}),
    RequiredRole.POLICE: frozenset({QuorumRole.POLICE}),
    RequiredRole.LONDON_COUNCILS: frozenset({QuorumRole.LONDON_COUNCILS}),
    RequiredRole.HEALTH: frozenset({QuorumRole.HEALTH}),
    RequiredRole.COMMUNITY: frozenset({QuorumRole.COMMUNITY}),
}


class Rounding(models.TextChoices):
    """How the quorum fraction of the membership becomes a whole number of members."""

    UP = "up", "rounded up to the next whole number"
    DOWN = "down", "rounded down"
    MORE_THAN = "more_than", "more than the fraction (the next whole number above it)"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    SIX_WEEKLY = "six_weekly", "Every four to six weeks"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Twice a year"
    ANNUALLY = "annually", "Once a year"
    AS_NEEDED = "as_needed", "As needed"


class DecisionMode(models.TextChoices):
    CONSENSUS = "consensus", "By consensus, with no vote"
    VOTE = "vote", "By a vote of the members present"


class Attendance(models.TextChoices):
    """How a member took part in a meeting (the import column ``attendance``, plus substitutes)."""

    PRESENT = "present", "Present"
    REMOTE = "remote", "Remote (telephone or video)"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
    SUBSTITUTE = "substitute", "Represented by a substitute"


# Kinds of attendance that can count towards the quorum (remote only where the group's rules allow it).
ATTENDING = frozenset({Attendance.PRESENT, Attendance.REMOTE, Attendance.SUBSTITUTE})


class ActionStatus(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    COMPLETE = "complete", "Complete"


# The PRG's community and voluntary-sector target (seed 003: "30% representation from the community").
PRG_COMMUNITY_TARGET_PERCENT = 30
