"""What a measure counts (its unit) and the names people type for measures: pure functions, no store access.

**One measure is one series of one unit.** The unit follows from the source and the series' name:

* data.police.uk street-level crime and MPS recorded crime (LSOA, ward, borough files): offences;
* the MPS monthly crime dashboard: a subcategory ending "(positive outcomes)" counts positive outcomes,
  "Knife Injury Victims …" counts victims, every other series offences;
* ISTV (A&E assault extracts): A&E attendances;
* MPS homicide (``mps_homicide``): people proceeded against (the accused);
* MPS violence against women and girls (``mps_vawg``): offences.

A category is offered as a measure of its own only when every series in it has the same unit, so a sum
never mixes offences, positive outcomes and victims (the dashboard's "Knife Crime" category is not one).

**Names people type** (``ALIASES``): a small table of common words, each pointing at the measures it can
mean in order of preference. The selector keeps the first that is loaded and whose source covers the area
asked about; an alias is case-insensitive.
"""

from __future__ import annotations

OFFENCES = "offences"
VICTIMS = "victims"
POSITIVE_OUTCOMES = "positive outcomes"
ATTENDANCES = "A&E attendances"
ACCUSED = "people proceeded against"

# The store's ``facts.source`` values of each family of sources.
FAMILY_OF_SOURCE = {
    "police_uk": "police.uk",
    "mps_lsoa": "mps",
    "mps_ward": "mps",
    "mps_borough": "mps",
    "mps_dashboard": "mps",
    "mps_homicide": "mps",
    "mps_vawg": "mps",
    "istv": "istv",
}
# MPS recorded crime: the same categories in three files, one per level (never summed across files).
RECORDED_CRIME = ("mps_lsoa", "mps_ward", "mps_borough")
# The MPS sources counted by borough only (no LSOA or ward): borough, BCU, force and London sums.
BOROUGH_ONLY = ("mps_homicide", "mps_vawg")

# Common words → the qualified measures they can mean, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "knife crime": ("mps:Knife Crime/Knife Crime",),
    "knife crime offences": ("mps:Knife Crime/Knife Crime",),
    "knife or sharp object offences": ("mps:Knife Crime/Knife Crime",),
    "knife crime with injury": ("mps:Knife Crime/Knife Crime with Injury",),
    "knife injury victims": ("mps:Knife Crime/Knife Injury Victims (1-24)",),
    "knife injury victims under 25": ("mps:Knife Crime/Knife Injury Victims (1-24)",),
    "knife crime with injury victims under 25": ("mps:Knife Crime/Knife Injury Victims (1-24)",),
    "homicide": ("mps:Homicide", "mps:VIOLENCE AGAINST THE PERSON/HOMICIDE"),
    "vawg": ("mps:VAWG",),
    "violence against women and girls": ("mps:VAWG",),
    "violence": ("mps:VIOLENCE AGAINST THE PERSON", "police.uk:Violence and sexual offences"),
    "violence against the person": ("mps:VIOLENCE AGAINST THE PERSON",),
    "robbery": ("mps:ROBBERY", "police.uk:Robbery"),
    "weapons": ("mps:POSSESSION OF WEAPONS", "police.uk:Possession of weapons"),
    "possession of weapons": ("mps:POSSESSION OF WEAPONS", "police.uk:Possession of weapons"),
    "a&e assaults": ("istv:Assaults",),
    "a&e assault attendances": ("istv:Assaults",),
    "assault attendances": ("istv:Assaults",),
    "istv": ("istv:Assaults",),
}


def unit_of(*, source: str, category: str, subcategory: str | None) -> str:
    """The unit of one series (``subcategory`` None: the category, for sources where all series share one)."""
    if source == "istv":
        return ATTENDANCES
    if source == "mps_homicide":
        return ACCUSED
    if source == "mps_dashboard" and subcategory:
        if subcategory.rstrip().lower().endswith("(positive outcomes)"):
            return POSITIVE_OUTCOMES
        if subcategory.lower().startswith("knife injury victims"):
            return VICTIMS
    return OFFENCES


def unit_of_qualified(qualified: str) -> str:
    """The unit from a qualified name alone (``family:category[/subcategory]``), as citations store it."""
    family, _, name = qualified.partition(":")
    category, _, sub = name.partition("/")
    if family == "istv":
        return ATTENDANCES
    if family == "mps" and category == "Homicide":
        return ACCUSED
    if family == "mps" and category == "Knife Crime":
        return unit_of(source="mps_dashboard", category=category, subcategory=sub or None)
    return OFFENCES


def singular(unit: str) -> str:
    return {
        OFFENCES: "offence",
        VICTIMS: "victim",
        POSITIVE_OUTCOMES: "positive outcome",
        ATTENDANCES: "A&E attendance",
        ACCUSED: "person proceeded against",
    }.get(unit, unit)
