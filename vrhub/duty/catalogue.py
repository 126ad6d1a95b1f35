"""What the Serious Violence Duty asks, as data: pure constants, no queries.

Police, Crime, Sentencing and Courts Act 2022, Part 2 (in force since 31 January 2023), and the statutory
guidance summarised in seed 004 (Plymouth's briefing):

* the **specified authorities** (s.11, Schedule 1) must work together to prevent and reduce serious violence;
* the **relevant authorities** (s.12, Schedule 2) they must consult;
* the **local definition** of serious violence, with the four factors of s.13(6);
* the **strategic needs assessment** and the **strategy** with its required contents, reviewed every year.
"""

from dataclasses import dataclass

from django.db import models


class AuthorityKind(models.TextChoices):
    """Schedule 1: the specified authorities, one of each kind needed in every partnership."""

    POLICE = "police", "Chief officer of police"
    FIRE = "fire", "Fire and rescue authority"
    HEALTH = "health", "Integrated care board (England) or local health board (Wales)"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    YOUTH_JUSTICE = "youth_justice", "Youth offending team"
    PROBATION = "probation", "Probation service"


class RelevantKind(models.TextChoices):
    """Schedule 2: the relevant authorities the partnership must consult."""

    EDUCATION = "education", "Educational authority"
    PRISON = "prison", "Prison authority"
    YOUTH_CUSTODY = "youth_custody", "Youth custody authority"


@dataclass(frozen=True)
class OffenceType:
    code: str
    label: str
    default: bool  # in scope in every area unless the partnership says otherwise (the guidance's core)
    # Evidence workbench measures (names ``evidence.selectors.measure_get`` resolves), in order of preference;
    # empty when open data has no series for it (the needs assessment says so instead of showing a 0).
    measures: tuple[str, ...] = ()
    note: str = ""


OFFENCE_TYPES: tuple[OffenceType, ...] = (
    OffenceType("homicide", "Homicide", True, ("homicide",)),
    OffenceType(
        "weapons",
        "Weapons offences, including knife crime",
        True,
        ("knife crime", "knife crime with injury", "weapons"),
    ),
    OffenceType(
        "county_lines",
        "County lines and drug-related violence",
        True,
        (),
        "No open data series counts county lines; use local intelligence.",
    ),
    OffenceType("violence_with_injury", "Violence against the person", False, ("violence",)),
    OffenceType("robbery", "Robbery", False, ("robbery",)),
    OffenceType("domestic_abuse", "Domestic abuse", False, (), "Open data does not separate domestic abuse."),
    OffenceType("vawg", "Violence against women and girls", False, ("vawg",)),
    OffenceType("sexual_violence", "Sexual violence", False, ()),
    OffenceType("modern_slavery", "Modern slavery and exploitation", False, ()),
    OffenceType("violence_against_property", "Violence against property (arson, criminal damage)", False, ()),
    OffenceType("a_and_e_assaults", "Assaults treated in A&E", False, ("a&e assaults",)),
)
OFFENCE_TYPE = {o.code: o for o in OFFENCE_TYPES}
DEFAULT_OFFENCE_TYPES = tuple(o.code for o in OFFENCE_TYPES if o.default)

# s.13(6): what the partnership must take into account in deciding what serious violence means locally.
FACTORS: tuple[tuple[str, str], ...] = (
    ("factor_penalty", "The maximum penalty for the offences"),
    ("factor_victims", "The impact on victims"),
    ("factor_prevalence", "How prevalent it is in the area"),
    ("factor_community", "The impact on the community"),
)


class SnaSectionKey(models.TextChoices):
    """The sections of a strategic needs assessment, in order."""

    SUMMARY = "summary", "Summary and key findings"
    POPULATION = "population", "The defined population"
    PROBLEM = "problem", "Problem profile: what, where, when and who"
    RISK = "risk", "Risk and protective factors"
    COHORTS = "cohorts", "The cohorts affected"
    WHAT_WORKS = "what_works", "Evidence of what works"
    DATA_GAPS = "data_gaps", "Gaps in data"
    RECOMMENDATIONS = "recommendations", "Recommendations"


# The strategy's required contents (seed 004), as (field, label, what is missing).
STRATEGY_CONTENTS: tuple[tuple[str, str, str], ...] = (
    ("problem_summary", "Summary of the local problem profile", "Summarise the local problem profile"),
    ("working_together", "How the partnership will work together", "Say how the partnership will work together"),
    ("interventions", "Specific interventions", "Describe the specific interventions"),
    ("preventative_action", "Preventative action", "Describe the preventative action"),
    (
        "engagement_vcs",
        "Engagement with voluntary and community organisations",
        "Describe engagement with voluntary and community organisations",
    ),
    ("engagement_young_people", "Engagement with young people", "Describe engagement with young people"),
    ("funding", "Funding streams and resources", "Identify the funding streams or resources"),
)

# The public health approach (WHO; seed 004): the strategy says how it applies each principle.
PUBLIC_HEALTH_PRINCIPLES: tuple[str, ...] = (
    "Focused on a defined population",
    "With and for communities",
    "Not constrained by organisational or professional boundaries",
    "Focused on generating long-term as well as short-term solutions",
    "Based on data and intelligence to identify the burden on the population, including any inequalities",
    "Rooted in evidence of effectiveness to tackle the problem",
)

# Warn this many days before a review date (strategy, information-sharing agreement) falls due.
REVIEW_WARNING_DAYS = 60
