"""Synthetic Serious Violence Duty records for a VRU's partnerships, at varied readiness: London's 32 as below
(``LONDON_DUTY``); another VRU's demo passes its own ``DutyDemo`` (areas and local bodies) to ``duty_load``.

Every partnership is ``synthetic`` (pages say "Synthetic demo data"); every text says it is synthetic demo
text. Deterministic: each borough's records come from a random generator seeded with its code, and dates are
counted from the day the demo is loaded, so that what is due or overdue stays so whenever the demo is built.

* ``COMPLETE``: every element in place, the strategy published and linked to the borough's demo plan actions;
* ``NOT_STARTED``: a partnership record with nothing in it yet;
* Havering (``havering.editor``) part-way, so the demo shows the readiness check's missing elements, with the
  data-sharing records: one agreement overdue for review, disclosures, and s.17 requests from MOPAC (one
  overdue, one answered, one refused);
* ``REVIEW_OVERDUE``: a published strategy whose annual review date has passed;
* every other borough part-way, drawn at random (seeded).

Written through the models directly: the Duty's services are being written in parallel (switch to them once
they exist). Idempotent: a borough that already has a partnership record is left as it is.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from vrhub.accounts.models import User
from vrhub.core.audit import audit_changes
from vrhub.duty.catalogue import DEFAULT_OFFENCE_TYPES, FACTORS, STRATEGY_CONTENTS, AuthorityKind, SnaSectionKey
from vrhub.duty.models import (
    AnnualReview,
    Consultation,
    Definition,
    Disclosure,
    InformationRequest,
    LawfulBasis,
    NeedsAssessment,
    Partnership,
    RelevantAuthority,
    SharingAgreement,
    SnaSection,
    SpecifiedAuthority,
    Strategy,
)
from vrhub.governance.models import Group
from vrhub.organisations.models import Organisation
from vrhub.plans.models import PlanAction

COMPLETE = ("E09000012", "E09000028", "E09000007", "E09000021")  # Hackney, Southwark, Camden, Kingston
NOT_STARTED = ("E09000017", "E09000006", "E09000027")  # Hillingdon, Bromley, Richmond upon Thames
HAVERING = "E09000016"
REVIEW_OVERDUE = "E09000019"  # Islington

TAG = " (synthetic demo text)"
LEADS = [
    "Sam Patel",
    "Jo Okafor",
    "Alex Morgan",
    "Chris Nowak",
    "Priya Shah",
    "Dan Mensah",
    "Kim Walsh",
    "Nadia Hussain",
    "Tom Reid",
    "Grace Adeyemi",
    "Ollie Byrne",
    "Leah Cohen",
]


@dataclass(frozen=True)
class DutyDemo:
    """What a VRU's synthetic Duty records are built from: which areas are complete, not started, overdue for
    review and shown in detail (with the data-sharing records), and the names of the local bodies."""

    complete: tuple[str, ...]
    not_started: tuple[str, ...]
    review_overdue: str
    detailed: str
    police: str
    fire: str
    health: str
    probation: str
    council: str  # with {borough}
    prison: str
    hospital: str  # the detailed area's A&E data comes from it
    policing_body: str  # used when the VRU has no policing body organisation
    asker: str  # username of the policing body officer who makes the detailed area's s.17 requests


LONDON_DUTY = DutyDemo(
    complete=COMPLETE,
    not_started=NOT_STARTED,
    review_overdue=REVIEW_OVERDUE,
    detailed=HAVERING,
    police="Metropolitan Police Service",
    fire="London Fire Brigade",
    health="NHS North Central London Integrated Care Board",
    probation="Probation Service, London region",
    council="London Borough of {borough}",
    prison="HMP Pentonville",
    hospital="Barking, Havering and Redbridge University Hospitals NHS Trust",
    policing_body="Mayor's Office for Policing and Crime",
    asker="mopac.officer",
)


def _organisation(kind: str, borough: str, demo: DutyDemo) -> str:
    return {
        AuthorityKind.POLICE: demo.police,
        AuthorityKind.FIRE: demo.fire,
        AuthorityKind.HEALTH: demo.health,
        AuthorityKind.LOCAL_AUTHORITY: demo.council.format(borough=borough),
        AuthorityKind.YOUTH_JUSTICE: f"{borough} Youth Justice Service",
        AuthorityKind.PROBATION: demo.probation,
    }[kind]


SECTION_TEXT = {
    SnaSectionKey.SUMMARY: "Knife crime with injury among under-25s is concentrated in two town centres.",
    SnaSectionKey.POPULATION: "Young people aged 10 to 24 living in or visiting {borough}.",
    SnaSectionKey.PROBLEM: "Most incidents happen between 3pm and 9pm near transport hubs, on school days.",
    SnaSectionKey.RISK: "School exclusion, criminal exploitation and adverse childhood experiences.",
    SnaSectionKey.COHORTS: "Young people excluded from school; young adults leaving custody.",
    SnaSectionKey.WHAT_WORKS: "Mentoring in A&E and focused deterrence show the strongest evidence.",
    SnaSectionKey.DATA_GAPS: "No shared data on exploitation referrals; A&E data lacks location.",
    SnaSectionKey.RECOMMENDATIONS: "Fund a hospital youth work team; share A&E data monthly.",
}
STRATEGY_TEXT = {
    "problem_summary": "Serious violence in {borough} is concentrated among young people in two areas.",
    "working_together": "A monthly serious violence delivery group reports to the Safer {borough} board.",
    "interventions": "Detached youth work, A&E navigators and a focused deterrence programme.",
    "preventative_action": "A schools programme on healthy relationships and knife crime.",
    "engagement_vcs": "A voluntary and community sector forum meets every quarter.",
    "engagement_young_people": "A youth panel reviewed the draft strategy.",
    "funding": "Home Office Serious Violence Duty grant; the council's community safety budget.",
    "public_health": "Each principle of the public health approach is applied in the delivery plan.",
}


def _text(template: str, borough: str) -> str:
    return template.format(borough=borough) + TAG


def _authorities(
    p: Partnership, kinds: list[str], rng: random.Random, borough: str, demo: DutyDemo, unnamed: int = 0
) -> None:
    rows = []
    for i, kind in enumerate(kinds):
        rows.append(
            SpecifiedAuthority(
                partnership=p,
                kind=kind,
                organisation=_organisation(kind, borough, demo),
                lead_name="" if i < unnamed else rng.choice(LEADS),
                lead_role="Serious violence lead",
            )
        )
    SpecifiedAuthority.objects.bulk_create(rows)


def _consultations(p: Partnership, today: dt.date, borough: str, demo: DutyDemo, consulted: bool = True) -> None:
    relevant = [
        RelevantAuthority.objects.create(partnership=p, kind="education", organisation=f"{borough} schools forum"),
        RelevantAuthority.objects.create(partnership=p, kind="prison", organisation=demo.prison),
    ]
    if consulted:
        Consultation.objects.bulk_create(
            Consultation(
                authority=r,
                consulted_on=today - dt.timedelta(days=240),
                contact="Synthetic contact",
                asked="Views on the draft needs assessment" + TAG,
                response="Supportive; asked for termly updates" + TAG,
                responded_on=today - dt.timedelta(days=220),
            )
            for r in relevant
        )


def _definition(p: Partnership, rng: random.Random, borough: str, factors: int, today: dt.date) -> None:
    extra = rng.sample(["robbery", "vawg", "domestic_abuse", "violence_with_injury"], k=rng.randint(0, 2))
    values = {name: _text(f"{label} was weighed for each offence type.", borough) for name, label in FACTORS}
    for name, _label in FACTORS[factors:]:
        values[name] = ""
    Definition.objects.create(
        partnership=p,
        offence_types=[*DEFAULT_OFFENCE_TYPES, *extra],
        rationale=_text("The guidance's core offences plus the local priorities in the needs assessment.", borough)
        if factors == len(FACTORS)
        else "",
        agreed_on=today - dt.timedelta(days=300) if factors == len(FACTORS) else None,
        **values,
    )


def _assessment(p: Partnership, borough: str, written: int, agreed: bool, today: dt.date) -> NeedsAssessment:
    a = NeedsAssessment.objects.create(
        partnership=p,
        year=today.year,
        title=f"{borough} strategic needs assessment {today.year}",
        state=NeedsAssessment.State.AGREED if agreed else NeedsAssessment.State.DRAFT,
        agreed_on=today - dt.timedelta(days=200) if agreed else None,
    )
    SnaSection.objects.bulk_create(
        SnaSection(assessment=a, key=key, text=_text(SECTION_TEXT[key], borough) if i < written else "")
        for i, key in enumerate(SnaSectionKey)
    )
    return a


def _strategy(
    p: Partnership,
    borough: str,
    assessment: NeedsAssessment | None,
    contents: int,
    published: dt.date | None,
    next_review: dt.date | None,
) -> Strategy:
    fields = [name for name, _label, _message in STRATEGY_CONTENTS]
    values = {name: _text(STRATEGY_TEXT[name], borough) if i < contents else "" for i, name in enumerate(fields)}
    return Strategy.objects.create(
        partnership=p,
        version=1,
        title=f"{borough} serious violence strategy",
        assessment=assessment,
        state=Strategy.State.PUBLISHED if published else Strategy.State.DRAFT,
        published_on=published,
        next_review=next_review,
        public_health=_text(STRATEGY_TEXT["public_health"], borough) if contents == len(fields) else "",
        **values,
    )


def _link_plan_actions(strategy: Strategy, area: Organisation, rng: random.Random) -> None:
    actions = list(
        PlanAction.objects.filter(plan__area=area, plan__is_current=True).order_by("plan__template__year", "code")
    )
    if actions:
        strategy.plan_actions.add(*rng.sample(actions, k=min(5, len(actions))))


def _complete(p: Partnership, area: Organisation, rng: random.Random, today: dt.date, demo: DutyDemo) -> None:
    borough = area.name
    _authorities(p, list(AuthorityKind), rng, borough, demo)
    _consultations(p, today, borough, demo)
    _definition(p, rng, borough, len(FACTORS), today)
    assessment = _assessment(p, borough, len(SnaSectionKey), True, today)
    published = today - dt.timedelta(days=150 + rng.randint(0, 60))
    strategy = _strategy(p, borough, assessment, len(STRATEGY_CONTENTS), published, published + dt.timedelta(days=365))
    _link_plan_actions(strategy, area, rng)
    SharingAgreement.objects.create(
        partnership=p,
        title=f"{borough} serious violence data sharing agreement",
        parties=f"{demo.police}\n" + f"{demo.council.format(borough=borough)}\nNHS trust (synthetic demo data)",
        purpose="Producing and reviewing the strategic needs assessment" + TAG,
        datasets="Recorded crime by ward\nA&E assault attendances (aggregate)",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        dpia_done=True,
        dpia_on=today - dt.timedelta(days=400),
        signed_on=today - dt.timedelta(days=380),
        review_on=today + dt.timedelta(days=200 + rng.randint(0, 100)),
    )


def _part_way(p: Partnership, area: Organisation, rng: random.Random, today: dt.date, demo: DutyDemo) -> None:
    borough = area.name
    kinds = list(AuthorityKind)
    present = rng.sample(kinds, k=rng.randint(2, 6))
    _authorities(p, [k for k in kinds if k in present], rng, borough, demo, unnamed=int(rng.random() < 0.25))
    if rng.random() < 0.7:
        _consultations(p, today, borough, demo, consulted=rng.random() < 0.6)
    if rng.random() < 0.85:
        _definition(p, rng, borough, rng.randint(0, len(FACTORS)), today)
    assessment = None
    if rng.random() < 0.8:
        written = rng.randint(1, len(SnaSectionKey))
        assessment = _assessment(p, borough, written, written == len(SnaSectionKey) and rng.random() < 0.5, today)
    if assessment is not None and rng.random() < 0.6:
        strategy = _strategy(p, borough, assessment, rng.randint(2, len(STRATEGY_CONTENTS)), None, None)
        if rng.random() < 0.5:
            _link_plan_actions(strategy, area, rng)


def _detailed(p: Partnership, area: Organisation, rng: random.Random, today: dt.date, demo: DutyDemo) -> None:
    """Part-way: two authorities missing, one lead unnamed, definition without its rationale, five sections
    written, a draft strategy; and the data-sharing records the demo shows (London: Havering)."""
    borough = area.name
    council = demo.council.format(borough=borough)
    youth_justice = f"{borough} Youth Justice Service"
    _authorities(
        p,
        [AuthorityKind.POLICE, AuthorityKind.LOCAL_AUTHORITY, AuthorityKind.HEALTH, AuthorityKind.YOUTH_JUSTICE],
        rng,
        borough,
        demo,
        unnamed=1,
    )
    _consultations(p, today, borough, demo, consulted=True)
    _definition(p, rng, borough, 3, today)
    assessment = _assessment(p, borough, 5, False, today)
    strategy = _strategy(p, borough, assessment, 5, None, None)
    _link_plan_actions(strategy, area, rng)
    overdue = SharingAgreement.objects.create(
        partnership=p,
        title=f"{borough} community safety information sharing agreement",
        parties=f"{demo.police}\n{council}\n{youth_justice}",
        purpose="Identifying young people at risk of serious violence" + TAG,
        datasets="Police intelligence referrals\nYouth justice caseload (pseudonymised)",
        lawful_basis=LawfulBasis.LAW_ENFORCEMENT,
        dpia_done=True,
        dpia_on=today - dt.timedelta(days=800),
        signed_on=today - dt.timedelta(days=760),
        review_on=today - dt.timedelta(days=30),  # overdue for review
    )
    SharingAgreement.objects.create(
        partnership=p,
        title=f"{borough} A&E assault data sharing",
        parties=f"{demo.hospital}\n{council}",
        purpose="Locating violence that is not reported to the police" + TAG,
        datasets="A&E assault attendances by location and hour (aggregate)",
        lawful_basis=LawfulBasis.NO_PERSONAL_DATA,
        dpia_done=False,
        signed_on=today - dt.timedelta(days=300),
        review_on=today + dt.timedelta(days=40),  # due soon
    )
    Disclosure.objects.bulk_create(
        [
            Disclosure(
                partnership=p,
                disclosed_on=today - dt.timedelta(days=90),
                from_organisation=demo.police,
                to_organisation=council,
                purpose="Needs assessment problem profile" + TAG,
                information="Counts of knife crime with injury by ward and month" + TAG,
                agreement=overdue,
                lawful_basis=LawfulBasis.LAW_ENFORCEMENT,
            ),
            Disclosure(
                partnership=p,
                disclosed_on=today - dt.timedelta(days=45),
                from_organisation=youth_justice,
                to_organisation=demo.police,
                purpose="Planning a focused deterrence call-in" + TAG,
                information="Number of young people on the caseload with a weapons offence" + TAG,
                agreement=overdue,
                lawful_basis=LawfulBasis.NO_PERSONAL_DATA,
            ),
        ]
    )
    asker = User.objects.filter(username=demo.asker).first()
    InformationRequest.objects.bulk_create(
        [
            InformationRequest(
                partnership=p,
                requested_on=today - dt.timedelta(days=60),
                due_on=today - dt.timedelta(days=10),  # overdue
                addressed_to=council,
                request="Progress against the strategy's outcome measures this year" + TAG,
                requested_by=asker,
            ),
            InformationRequest(
                partnership=p,
                requested_on=today - dt.timedelta(days=120),
                due_on=today - dt.timedelta(days=90),
                addressed_to=demo.police,
                request="Knife crime with injury by ward for the last two years" + TAG,
                requested_by=asker,
                state=InformationRequest.State.ANSWERED,
                responded_on=today - dt.timedelta(days=95),
                answer="Sent as an aggregate table by ward and quarter" + TAG,
            ),
            InformationRequest(
                partnership=p,
                requested_on=today - dt.timedelta(days=100),
                due_on=today - dt.timedelta(days=70),
                addressed_to=youth_justice,
                request="Names of young people referred to the exploitation panel" + TAG,
                requested_by=asker,
                state=InformationRequest.State.REFUSED,
                responded_on=today - dt.timedelta(days=75),
                refusal_reason=InformationRequest.RefusalReason.DATA_PROTECTION,
                refusal_detail="Names are not needed for monitoring; counts were offered instead" + TAG,
            ),
        ]
    )


def _review_overdue(p: Partnership, area: Organisation, rng: random.Random, today: dt.date, demo: DutyDemo) -> None:
    """Complete a year ago, but the annual review has not happened: the strategy's review is overdue."""
    _complete(p, area, rng, today, demo)
    strategy = p.strategies.get()
    Strategy.objects.filter(pk=strategy.pk).update(
        published_on=today - dt.timedelta(days=420), next_review=today - dt.timedelta(days=55)
    )
    AnnualReview.objects.create(
        partnership=p,
        year=today.year - 1,
        reviewed_on=today - dt.timedelta(days=430),
        problem_changes="Robbery of young people rose" + TAG,
        progress="Most actions on track" + TAG,
        decisions="Keep the strategy; add robbery to the local definition" + TAG,
        strategy=strategy,
    )


def duty_load(*, vru: Organisation, today: dt.date | None = None, demo: DutyDemo = LONDON_DUTY) -> int:
    """Synthetic Duty records for every area of ``vru`` that has none yet, as ``demo`` describes them (London's
    by default). Returns the partnerships created."""
    today = today or timezone.localdate()
    mopac = Organisation.objects.filter(kind=Organisation.Kind.POLICING_BODY, vru=vru).first()
    existing = set(Partnership.objects.filter(vru=vru).values_list("area_id", flat=True))
    created = 0
    for area in Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru).order_by("code"):
        if area.pk in existing:
            continue
        rng = random.Random(f"duty-{area.code}")
        started = area.code not in demo.not_started
        named = started and (rng.random() < 0.9 or area.code in (*demo.complete, demo.review_overdue))
        # A borough with a demo board (demo.governance) names it; the others name their board in words.
        board = Group.objects.filter(owner=area).order_by("pk").first() if started else None
        p = Partnership.objects.create(
            area=area,
            vru=vru,
            lead_body=demo.council.format(borough=area.name) if started else "",
            local_policing_body=(mopac.name if mopac else demo.policing_body) if started else "",
            governance_group=f"Safer {area.name} Partnership Board" if named and board is None else "",
            owning_group=board,
            synthetic=True,
        )
        if area.code in demo.complete:
            _complete(p, area, rng, today, demo)
        elif area.code == demo.detailed:
            _detailed(p, area, rng, today, demo)
        elif area.code == demo.review_overdue:
            _review_overdue(p, area, rng, today, demo)
        elif started:
            _part_way(p, area, rng, today, demo)
        audit_changes(actor=None, obj=p, changes={"content": ("", "synthetic demo Duty records loaded by seed_demo")})
        created += 1
    return created
