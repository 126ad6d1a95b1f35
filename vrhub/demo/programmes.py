"""Demo funded programmes: the London VRU's 2020/21 budget, commitments, priority investments and logic model as
its annual report 2020/21 (seed 002) publishes them, and plausible synthetic programmes around them.

* **The budget** (owner the VRU, 2020/21): the seed's two tables exactly (income by source; expenditure by
  category), with the totals as published (£19.7m each): the expenditure lines add up to £19.6m, and the page
  shows the £100,000 difference. Real figures (``synthetic=False``); the Home Office line's conditions are the
  demo's reading and say so.
* **Commitments**: the Mayor's core budget (£5m for 2020/21 and for 2021/22) and growth funding (£4m for
  2020/21, £5m for 2021/22), as the seed states them; the 2020/21 growth line of the budget table is £5.0m, so
  the page shows that difference with both sources.
* **Priority investments**: the seed's seven totals over the VRU's first 18 months, as programmes of the VRU
  (real, ``synthetic=False``) with each total split evenly between 2019/20 and 2020/21 and marked
  ``estimated`` (the seed gives only the totals). Where the seed gives a number of boroughs but not which,
  the boroughs chosen here are invented and the description says so; so are the funding source and spend
  category given to each (the seed does not say).
* **The logic model**: eight objectives (2–3 years), four outcomes (5 years) and the three aims of the overall
  impact, titled as in the seed. The seed does not publish which objective feeds which outcome, nor which
  outcome which aim: the links here (``LINKS``) are the demo's reading. Measures: the seed's Home Office
  count (3,884 young people, 5,100 expected by March 2021) on objective 6; the others are plausible and say
  "(demo measure)".
* **Synthetic programmes** (``synthetic=True``): 25 programmes of the VRU, Havering, Lambeth and Hackney with
  recipients, 2020/21 amounts (some 2021/22 too), areas and wards, objectives, plan actions of the areas' demo
  plans and their theme, evaluations of every status, four quarterly returns for 2020/21 each (some counts
  not reported) and a synthetic 360Giving funder profile. Reproducible: a fixed random seed.

Written through the models (like ``demo.governance``), with one audit entry per object group. Idempotent:
each group that exists already (the budget, a commitment, the logic model, a programme by its reference, the
funder profile) is left as it is.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from vrhub.core.audit import audit_changes
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanAction
from vrhub.programmes.catalogue import AgeBand, EvaluationStatus, LogicLevel
from vrhub.programmes.models import (
    Budget,
    Commitment,
    FunderProfile,
    IncomeLine,
    LogicLink,
    LogicNode,
    MonitoringReturn,
    Programme,
    ProgrammeAmount,
    Recipient,
    SpendLine,
)

YEAR = 2020
SOURCE = "London VRU, Annual report 2020/21 (seed 002), 'VRU 2020/21 funding' and 'expenditure' tables."
M = Decimal("1000000")

HOME_OFFICE = "Home Office"
CORE = "VRU Core Budget (Mayoral funding)"
GROWTH = "Mayoral Growth Funding"
LCPF = "London Crime Prevention Fund Co-Commissioning"
RESERVES = "Reserves"
VCS, LA, EDUCATION = "VCS/Community", "Local authority", "Education, schools and settings"

# Seed 002: "VRU 2020/21 FUNDING" (£m) and "VRU 2020/21 EXPENDITURE" (£m), each with the total "19.7".
INCOME = [
    (
        HOME_OFFICE,
        "7.6",
        True,
        "Ring-fenced Home Office grant for violence reduction units: £7m plus £0.6m from the Vulnerable "
        "Children's Charities fund (seed 002). The labour/non-labour split is not published. Ring-fencing as "
        "recorded here is the demo's reading of the grant's terms (not stated in the seed).",
    ),
    (CORE, "5.0", False, "Mayoral funding: the VRU's core budget."),
    (GROWTH, "5.0", False, "Mayoral growth funding for multi-year funding opportunities."),
    (LCPF, "1.6", False, "London Crime Prevention Fund co-commissioning."),
    (RESERVES, "0.5", False, "Carried forward from earlier years."),
]
SPEND = [(VCS, "8.0"), (LA, "5.7"), (EDUCATION, "5.9")]
STATED_TOTAL = "19.7"

# Seed 002 line 714: (funder, source, year, £m).
MAYOR = "Mayor of London"
COMMITMENTS = [
    (MAYOR, CORE, 2020, "5"),
    (MAYOR, CORE, 2021, "5"),
    (MAYOR, GROWTH, 2020, "4"),
    (MAYOR, GROWTH, 2021, "5"),
]

OBJECTIVES = [
    "Supporting individuals to be more resilient",
    "Supporting stronger families",
    "Young people leading change",
    "Enabling communities to be strong, safe and resilient",
    "Prioritising wellbeing and achievement in schools",
    "Giving young people every chance to succeed",
    "Making London a more compassionate and safer city",
    "Increasing confidence in public institutions and changing the message around violence",
]
OUTCOMES = [
    "Neighbourhoods most affected by violence have increased community cohesion, control and social trust",
    "Young people have increased skills and opportunities",
    "Those with greatest need have the support they need to reduce impact of violence",
    "More communities involved in violence reduction work",
]
AIMS = [
    "Londoners feel safer",
    "Violence in London is stable and reduced",
    "Communities and neighbourhoods participate in the development of violence reduction solutions",
]
HOME_OFFICE_MEASURE = (
    "Young people supported through positive intervention (Home Office-funded projects): 3,884, expected 5,100 "
    "by March 2021"
)
DEMO = " (demo measure)"
MEASURES = {
    1: ["Young people completing a mentoring programme" + DEMO],
    2: ["Families supported by a family worker" + DEMO, "Parents completing a parenting course" + DEMO],
    3: ["Young people on the VRU's youth advisory groups" + DEMO],
    4: ["Community groups funded in neighbourhoods most affected by violence" + DEMO],
    5: ["Permanent exclusions in schools taking part" + DEMO, "Pupils supported in inclusion units" + DEMO],
    6: [HOME_OFFICE_MEASURE, "Young people into education, employment or training" + DEMO],
    7: ["Professionals trained in trauma-informed practice" + DEMO],
    8: ["Residents who trust the police to deal with violence (survey)" + DEMO],
}
# The demo's reading (the seed does not publish the links): objective -> outcomes, outcome -> aims.
LINKS = {
    (LogicLevel.OBJECTIVE, 1): [3],
    (LogicLevel.OBJECTIVE, 2): [3],
    (LogicLevel.OBJECTIVE, 3): [2, 4],
    (LogicLevel.OBJECTIVE, 4): [1],
    (LogicLevel.OBJECTIVE, 5): [2],
    (LogicLevel.OBJECTIVE, 6): [2],
    (LogicLevel.OBJECTIVE, 7): [1, 3],
    (LogicLevel.OBJECTIVE, 8): [4],
    (LogicLevel.OUTCOME, 1): [1, 3],
    (LogicLevel.OUTCOME, 2): [2],
    (LogicLevel.OUTCOME, 3): [2],
    (LogicLevel.OUTCOME, 4): [3],
}

SEED_PRIORITIES = "In our first 18 months of operation investment has been targeted towards priority intervention"
# Seed 002 lines 763-768: (reference, title, £m, boroughs (None: London-wide), quote, source, category, objectives).
PRIORITIES = [
    ("LDN-PI-1", "Youth workers in hospitals", "4", None, "£4m to put youth workers in hospitals across London",
     HOME_OFFICE, VCS, [1, 6]),
    ("LDN-PI-2", "Tackling school exclusions", "4.7", 16, "£4.7m to tackle school exclusions across 16 boroughs",
     GROWTH, EDUCATION, [5]),
    ("LDN-PI-3", "Training doctors on domestic violence", "1", 7,
     "£1m to train doctors to better identify and support victims of domestic violence across seven boroughs",
     HOME_OFFICE, LA, [2, 7]),
    ("LDN-PI-4", "Grassroots organisations", "1.4", None, "£1.4m into nearly 40 grassroots organisations across "
     "London", CORE, VCS, [4]),
    ("LDN-PI-5", "After-school and mentoring offer", "2.4", None, "a further £2.4m to develop an after-school offer "
     "and mentoring offer", CORE, EDUCATION, [6]),
    ("LDN-PI-6", "Helping all 32 boroughs reduce violence", "8.8", None, "£8.8m to help all 32 boroughs reduce "
     "violence", LCPF, LA, [7]),
    ("LDN-PI-7", "MyEnds: a hyper-local approach", "6.6", None, "£ 6.6m to invest in a hyper local approach in "
     "neighbourhoods affected by violence", GROWTH, VCS, [3, 4]),
]  # fmt: skip

SYNTHETIC_AREAS = {"E09000016": "HAV", "E09000022": "LAM", "E09000012": "HAC"}
WARDS = {
    "E09000016": ["Gooshays", "Heaton", "Brooklands", "Romford Town"],
    "E09000022": ["Coldharbour", "Brixton Hill", "Stockwell", "Tulse Hill"],
    "E09000012": ["Hoxton East & Shoreditch", "Dalston", "Homerton", "Hackney Wick"],
}
RECIPIENTS = [
    # (name, charity number, company number, other identifier, postcode) — all invented.
    ("Bright Futures Youth Trust", "1188001", "", "", "RM3 7AA"),
    ("Southside Mentoring Collective", "1188002", "11880020", "", "SW9 8AB"),
    ("Eastway Boxing Academy CIC", "", "11880030", "", "E9 5AC"),
    ("Safe Streets Lambeth", "1188004", "", "", "SW2 1AD"),
    ("Romford Families Project", "1188005", "", "", "RM1 3AE"),
    ("Hoxton Hub Community Interest Company", "", "11880060", "", "N1 6AF"),
    ("Parents Together Network", "", "", "", "E8 2AG"),
    ("Second Chance Sports Ltd", "", "11880080", "", "SE11 5AH"),
    ("Trauma-Informed Schools Partnership", "1188009", "", "", "SE1 7AJ"),
    ("Youth Voice London", "", "", "", "EC1 4AK"),
    ("Street Doctors East", "1188011", "", "", "E1 1AL"),
    ("Harold Hill Detached Youth Work", "", "", "", "RM3 9AN"),
]
TITLES = [
    "Detached youth work on estates",
    "Mentoring for young people at risk of exclusion",
    "Parenting support for families under strain",
    "Boxing and mentoring after school",
    "Summer activities in hot-spot wards",
    "Trauma-informed training for teachers",
    "Youth advisory board",
    "Bleed-control training in schools",
    "Family group conferencing",
    "Reachable moments in custody suites",
    "Sport for change in parks",
    "Community grants for estate groups",
    "Music production and mentoring",
    "Transition support from primary to secondary school",
    "Peer mentoring for girls affected by exploitation",
    "Knife-crime awareness workshops",
    "Employment coaching for young adults",
    "Safe havens in local shops",
    "Outreach in the night-time economy",
    "Counselling for young victims of violence",
    "Holiday hunger and activities programme",
    "Creative arts for wellbeing",
    "Youth-led community research",
    "Diversion for first-time entrants",
    "Restorative justice in schools",
]
EVALUATORS = ["University of East London (synthetic)", "Dartington Service Design Lab (synthetic)", "In house"]
STATUSES = [EvaluationStatus.NONE, EvaluationStatus.PLANNED, EvaluationStatus.IN_PROGRESS, EvaluationStatus.REPORTED]
TAG = " (synthetic demo text)"


@dataclass(frozen=True)
class ProgrammesDemo:
    """What a VRU's synthetic programmes are built from: ``vru_count`` programmes of the VRU referenced
    ``<vru_prefix>NN``, ``area_count`` of each area in ``areas`` (area code -> reference prefix), recipients,
    wards, funding sources, spend categories and evaluators; amounts and returns for ``year``, linked to the
    areas' ``plan_year`` plan actions."""

    vru_prefix: str
    vru_count: int
    areas: dict[str, str]
    area_count: int
    wards: dict[str, list[str]]
    recipients: list[tuple[str, str, str, str, str]]
    sources: list[str]
    categories: list[str]
    evaluators: list[str]
    titles: list[str]
    year: int
    plan_year: int
    seed: str


LONDON_PROGRAMMES = ProgrammesDemo(
    vru_prefix="LDN-S",
    vru_count=10,
    areas=SYNTHETIC_AREAS,
    area_count=5,
    wards=WARDS,
    recipients=RECIPIENTS,
    sources=[source for source, *_ in INCOME],
    categories=[category for category, _ in SPEND],
    evaluators=EVALUATORS,
    titles=TITLES,
    year=YEAR,
    plan_year=2021,
    seed="programmes-synthetic-2020",
)


def _audit(obj, what: str) -> None:
    audit_changes(actor=None, obj=obj, changes={"content": ("", f"{what} loaded by seed_demo")})


def _pounds(millions: str) -> Decimal:
    return (Decimal(millions) * M).quantize(Decimal("0.01"))


def budget_load(*, vru: Organisation) -> Budget | None:
    if Budget.objects.filter(owner=vru, year=YEAR).exists():
        return None
    budget = Budget.objects.create(
        owner=vru,
        vru=vru,
        year=YEAR,
        stated_income_total=_pounds(STATED_TOTAL),
        stated_expenditure_total=_pounds(STATED_TOTAL),
        notes=f"Source: {SOURCE} Both tables give their total as £19.7m; the expenditure lines add up to "
        "£19.6m as published.",
        synthetic=False,
    )
    for order, (source, amount, ring_fenced, conditions) in enumerate(INCOME):
        IncomeLine.objects.create(
            budget=budget,
            source=source,
            amount=_pounds(amount),
            ring_fenced=ring_fenced,
            conditions=conditions,
            order=order,
        )
    for order, (category, amount) in enumerate(SPEND):
        SpendLine.objects.create(budget=budget, category=category, amount=_pounds(amount), order=order)
    _audit(budget, "the 2020/21 budget of seed 002 (income and expenditure lines)")
    return budget


def commitments_load(*, vru: Organisation) -> int:
    created = 0
    for funder, source, year, amount in COMMITMENTS:
        commitment, made = Commitment.objects.get_or_create(
            owner=vru,
            source=source,
            year=year,
            defaults={
                "vru": vru,
                "funder": funder,
                "amount": _pounds(amount),
                "description": "The Mayor's multi-year commitment as the annual report 2020/21 states it (seed 002).",
            },
        )
        if made:
            _audit(commitment, "a commitment of seed 002")
            created += 1
    return created


def logic_model_load(*, vru: Organisation) -> dict[tuple[str, int], LogicNode]:
    nodes = {(n.level, n.number): n for n in LogicNode.objects.filter(vru=vru)}
    if nodes:
        return nodes
    for level, titles, horizon in (
        (LogicLevel.OBJECTIVE, OBJECTIVES, "2–3 years"),
        (LogicLevel.OUTCOME, OUTCOMES, "5 years"),
        (LogicLevel.AIM, AIMS, ""),
    ):
        for number, title in enumerate(titles, start=1):
            measures = MEASURES.get(number, []) if level == LogicLevel.OBJECTIVE else []
            if level == LogicLevel.OUTCOME:
                measures = ["Home Office data to monitor progress"]
            nodes[(level, number)] = LogicNode.objects.create(
                vru=vru, level=level, number=number, title=title, horizon=horizon, measures="\n".join(measures)
            )
    for (level, number), targets in LINKS.items():
        upper = LogicLevel.OUTCOME if level == LogicLevel.OBJECTIVE else LogicLevel.AIM
        for target in targets:
            LogicLink.objects.create(source=nodes[(level, number)], target=nodes[(upper, target)])
    _audit(nodes[(LogicLevel.AIM, 1)], "the logic model of seed 002 (links: the demo's reading)")
    return nodes


def _split(total: Decimal) -> tuple[Decimal, Decimal]:
    first = (total / 2).quantize(Decimal("0.01"))
    return first, total - first


def priorities_load(*, vru: Organisation, nodes, areas: list[Organisation]) -> int:
    created = 0
    rng = random.Random("programmes-priorities")
    for reference, title, millions, boroughs, quote, source, category, objectives in PRIORITIES:
        if Programme.objects.filter(vru=vru, reference=reference).exists():
            continue
        chosen = sorted(rng.sample(areas, k=boroughs), key=lambda a: a.name) if boroughs else []
        description = (
            f'Seed 002: "{SEED_PRIORITIES} programmes including: … {quote}". The total is over the VRU\'s first 18 '
            "months; the split between 2019/20 and 2020/21 is estimated (half each)."
        )
        if boroughs:
            description += (
                f" The seed does not publish which {boroughs} boroughs: the list here is invented (synthetic)."
            )
        description += " Funding source and spend category: the demo's reading" + TAG
        programme = Programme.objects.create(
            vru=vru,
            owner=vru,
            reference=reference,
            title=title,
            description=description,
            funding_source=source,
            spend_category=category,
            all_areas=not boroughs,
            start_date=dt.date(2019, 4, 1),
            end_date=dt.date(2021, 3, 31),
            published=True,
            synthetic=False,
        )
        programme.areas.set(chosen)
        programme.objectives.set([nodes[(LogicLevel.OBJECTIVE, n)] for n in objectives])
        for year, amount in zip((2019, 2020), _split(_pounds(millions)), strict=True):
            ProgrammeAmount.objects.create(programme=programme, year=year, amount=amount, estimated=True)
        _audit(programme, "a priority investment of seed 002 (amounts by year estimated)")
        created += 1
    return created


def _recipients(vru: Organisation, recipients: list[tuple[str, str, str, str, str]]) -> list[Recipient]:
    found = []
    for name, charity, company, other, postcode in recipients:
        recipient, made = Recipient.objects.get_or_create(
            vru=vru,
            name=name,
            defaults={
                "charity_number": charity,
                "company_number": company,
                "other_identifier": other,
                "postcode": postcode,
                "synthetic": True,
            },
        )
        if made:
            _audit(recipient, "a synthetic recipient")
        found.append(recipient)
    return found


def _round(value: float, step: int = 500) -> Decimal:
    return Decimal(int(value // step) * step).quantize(Decimal("0.01"))


def _plan_actions(area: Organisation, year: int) -> list[PlanAction]:
    return list(
        PlanAction.objects.filter(plan__area=area, plan__is_current=True, plan__template__year=year)
        .select_related("theme")
        .order_by("theme__order", "code")
    )


def synthetic_load(*, vru: Organisation, nodes, demo: ProgrammesDemo = LONDON_PROGRAMMES) -> int:
    """Synthetic programmes of ``vru`` and some of its areas as ``demo`` describes them (London's by default);
    ``nodes`` is the VRU's logic model (may be empty). Returns how many were created."""
    year = demo.year
    rng = random.Random(demo.seed)
    recipients = _recipients(vru, demo.recipients)
    owners: list[tuple[Organisation, str]] = [(vru, demo.vru_prefix)] * demo.vru_count
    for code, prefix in demo.areas.items():
        area = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru, code=code).first()
        if area is not None:
            owners += [(area, prefix + "-S")] * demo.area_count
    areas = list(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("code"))
    objectives = [n for (level, _), n in sorted(nodes.items()) if level == LogicLevel.OBJECTIVE]
    sources = demo.sources
    categories = demo.categories
    created = 0
    counters: dict[str, int] = {}
    for index, (owner, prefix) in enumerate(owners):
        counters[prefix] = counters.get(prefix, 0) + 1
        reference = f"{prefix}{counters[prefix]:02d}"
        title = demo.titles[index % len(demo.titles)]
        # Draw every random choice whether or not the programme exists, so a second run draws the same.
        amount_2020 = _round(rng.uniform(20_000, 400_000))
        amount_2021 = _round(rng.uniform(20_000, 300_000)) if rng.random() < 0.4 else None
        recipient = rng.choice(recipients)
        status = STATUSES[index % len(STATUSES)]
        strength = None if index % 5 == 0 else rng.randint(1, 5)
        chosen_objectives = rng.sample(objectives, k=min(rng.randint(1, 2), len(objectives)))
        award_day = dt.date(year, 4, 1) + dt.timedelta(days=rng.randint(0, 60))
        served = rng.sample(areas, k=rng.randint(2, 4)) if areas else []
        london_wide = owner.pk == vru.pk and rng.random() < 0.4
        wards = rng.sample(demo.wards.get(owner.code, []), k=rng.randint(0, 2)) if owner.pk != vru.pk else []
        counts = [
            (rng.randint(5, 120) if rng.random() > 0.15 else None, rng.randint(10, 400) if rng.random() > 0.2 else None)
            for _ in range(4)
        ]
        if Programme.objects.filter(vru=vru, reference=reference).exists():
            continue
        programme = Programme.objects.create(
            vru=vru,
            owner=owner,
            reference=reference,
            title=title,
            description=f"{title} for young people in {owner.name}{TAG}.",
            recipient=recipient,
            funding_source=sources[index % len(sources)],
            spend_category=categories[index % len(categories)],
            award_date=award_day,
            start_date=award_day + dt.timedelta(days=14),
            end_date=dt.date(year + (1 if amount_2021 is None else 2), 3, 31),
            all_areas=london_wide,
            wards=wards,
            evaluation_status=status,
            evaluator=demo.evaluators[index % len(demo.evaluators)] if status != EvaluationStatus.NONE else "",
            evaluation_method="Pre and post surveys of participants" + TAG if status != EvaluationStatus.NONE else "",
            findings="Participants reported feeling safer after six months" + TAG
            if status == EvaluationStatus.REPORTED
            else "",
            evidence_strength=strength,
            report_url="https://example.org/evaluations/" + reference.lower()
            if status == EvaluationStatus.REPORTED
            else "",
            published=index % 6 != 5,
            synthetic=True,
        )
        if owner.pk == vru.pk:
            programme.areas.set([] if london_wide else served)
        else:
            programme.areas.set([owner])
            actions = _plan_actions(owner, demo.plan_year)
            if actions:
                picked = actions[(index * 7) % len(actions)]
                programme.plan_actions.set([picked])
                programme.theme = picked.theme
                programme.save(update_fields=["theme"])
        programme.objectives.set(chosen_objectives)
        ProgrammeAmount.objects.create(programme=programme, year=year, amount=amount_2020)
        if amount_2021 is not None:
            ProgrammeAmount.objects.create(programme=programme, year=year + 1, amount=amount_2021)
        spent = Decimal("0.00")
        for quarter, (direct, indirect) in enumerate(counts, start=1):
            spent = min(amount_2020, spent + _round(float(amount_2020) / 4 * rng.uniform(0.7, 1.1), 100))
            by_age = {}
            if direct is not None:
                younger = direct // 3
                by_age = {AgeBand.AGE_10_14.value: younger, AgeBand.AGE_15_17.value: direct - younger}
            MonitoringReturn.objects.create(
                programme=programme,
                year=year,
                quarter=quarter,
                reached_direct=direct,
                reached_indirect=indirect,
                reached_by_age=by_age,
                outputs=f"{rng.randint(4, 30)} sessions delivered{TAG}",
                spend_to_date=spent,
            )
        _audit(programme, "a synthetic programme with its amounts and four quarterly returns")
        created += 1
    return created


def funder_profile_load(*, vru: Organisation) -> FunderProfile | None:
    if FunderProfile.objects.filter(vru=vru).exists():
        return None
    profile = FunderProfile.objects.create(
        vru=vru,
        # A placeholder, flagged synthetic: the VRU's host body's real org-id is not set by the demo.
        org_identifier="GB-GOR-PC390",
        funder_name="London Violence Reduction Unit",
        grant_prefix="360G-vrhub-demo",
        synthetic=True,
    )
    _audit(profile, "a synthetic 360Giving funder profile")
    return profile


def programmes_load(*, vru: Organisation) -> int:
    """The demo's funded programmes (see the module's docstring). Returns how many programmes were created."""
    budget_load(vru=vru)
    commitments_load(vru=vru)
    nodes = logic_model_load(vru=vru)
    areas = list(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("code"))
    created = priorities_load(vru=vru, nodes=nodes, areas=areas)
    created += synthetic_load(vru=vru, nodes=nodes)
    funder_profile_load(vru=vru)
    return created
