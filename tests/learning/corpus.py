"""A labelled corpus of quarterly progress updates for testing emerging themes.

32 boroughs each report on eight actions in two quarters. Most of what they write is boilerplate, as real
returns are: status phrases ("Rated green", "partners will deliver outcomes"), sentences copied between boroughs,
the template's own guidance pasted in, and a borough's name dropped into a stock sentence. Some of that
boilerplate rises from the first quarter to the second (more boroughs write "Rated green"), which a naive count
would call a theme. Three planted themes rise in a few boroughs; one local theme is written as often in both
quarters and so is not rising. Every sentence carries its label, so a test can check results against the text.
"""

import random
from dataclasses import dataclass

from tests.evidence.london_codes import BOROUGH_CODES
from vrhub.plans.templates import london_template

ACTIONS = ["GOV-M1", "ANE-M1", "WPN-M1", "SYP-M1", "DIV-M1", "VIC-M1", "GOV-M2", "COM-M1"]

# Sentences written word for word in many boroughs (copied from a shared return, a board paper, last year's plan).
STOCK = [
    "On track, all milestones for this quarter were met.",
    "Partners will deliver outcomes as agreed at the board.",
    "Data still being validated by partners, figures are provisional.",
    "Delivery outcomes were reviewed at the partnership meeting.",
    "Funding has been confirmed to the end of the financial year.",
    "Recruitment to the coordinator post is under way.",
    "The delivery group met and agreed next steps.",
    "Awaiting sign-off from one partner agency before the next stage can begin.",
]
# Status phrases, each written with small variations by different boroughs.
STATUS = [
    "Rated green: delivery and outcomes in line with the plan.",
    "Rated green this quarter.",
    "Rated amber, delivery outcomes not yet moving.",
    "RAG rating green, data still to be confirmed.",
    "Rated red while the lead post is vacant.",
    "{borough} partners will deliver outcomes as planned.",
    "Progress reported to the {borough} CSP board; rated green.",
    "Data still being checked for {borough}.",
]
# Planted themes: (theme, first-quarter boroughs, second-quarter boroughs, sentence patterns).
PLANTED = {
    "e-scooter": (
        1,
        7,
        [
            "Thefts of e-scooters reported to the council rose in {borough}.",
            "Youth workers engaged young riders of e-scooters outside schools in {borough}.",
            "Two street robberies in {borough} involved e-scooter riders snatching phones.",
            "Police in {borough} seized three e-scooters used by a group linked to robbery.",
        ],
    ),
    "zombie knives": (
        0,
        6,
        [
            "A weapons sweep in {borough} found two zombie knives hidden in a park.",
            "Zombie knives were handed in at the new amnesty bin in {borough}.",
            "Trading standards visited shops in {borough} that had sold zombie knives online.",
        ],
    ),
    "cost of living": (
        1,
        8,
        [
            "Families referred to the service in {borough} cite the cost of living.",
            "The cost of living is pushing young people in {borough} towards exploitation for quick money.",
            "Youth forum members in {borough} raised the cost of living as their main worry.",
            "Food bank referrals in {borough} rose with the cost of living; staff are alert to exploitation.",
        ],
    ),
}
# A local theme written as often in both quarters: present, but not rising.
STEADY = (
    "knife arches",
    6,
    [
        "Knife arches were used at {borough} station during the late-night economy operation.",
        "Knife arches deployed at events in {borough} with the British Transport Police.",
    ],
)


@dataclass(frozen=True)
class Entry:
    borough: str  # ONS code
    name: str
    quarter: int  # 1 or 2
    action: str
    sentences: tuple[tuple[str, str], ...]  # (label, sentence): "stock", "status", "template", "planted:X", "steady"

    @property
    def text(self) -> str:
        return " ".join(s for _label, s in self.sentences)


def template_sentences() -> list[str]:
    """Guidance sentences from London's template, which boroughs paste into their returns."""
    guidance = [a["guidance"] for t in london_template().themes_2021 for a in t["actions"] if a.get("guidance")]
    return [g.split(". ")[0].rstrip(".") + "." for g in guidance]


def build(seed: int = 12) -> list[Entry]:
    rng = random.Random(seed)
    names = sorted(BOROUGH_CODES)
    pasted = template_sentences()
    planted_in = {theme: rng.sample(names, k=max(q1, q2)) for theme, (q1, q2, _p) in PLANTED.items()}
    steady_in = rng.sample(names, k=STEADY[1])
    status_in_q1 = set(rng.sample(names, k=6))
    entries = []
    for name in names:
        for quarter in (1, 2):
            # Boilerplate rises: 6 boroughs write status phrases in the first quarter, every borough in the second.
            status_chance = 0 if quarter == 1 and name not in status_in_q1 else 0.6
            planted = [
                theme
                for theme, (q1, q2, _p) in PLANTED.items()
                if name in planted_in[theme][: (q1 if quarter == 1 else q2)]
            ]
            for i, action in enumerate(ACTIONS):
                sentences = [("stock", rng.choice(STOCK))]
                if rng.random() < status_chance:
                    sentences.append(("status", rng.choice(STATUS).format(borough=name)))
                if rng.random() < 0.25:
                    sentences.append(("template", rng.choice(pasted)))
                for theme in planted:
                    if i in (ACTIONS.index("WPN-M1"), ACTIONS.index("DIV-M1")) or (
                        theme == "cost of living" and i == 3
                    ):
                        sentences.append((f"planted:{theme}", rng.choice(PLANTED[theme][2]).format(borough=name)))
                if name in steady_in and i == ACTIONS.index("GOV-M2"):
                    sentences.append(("steady", STEADY[2][names.index(name) % 2].format(borough=name)))
                entries.append(Entry(BOROUGH_CODES[name], name, quarter, action, tuple(sentences)))
    return entries
