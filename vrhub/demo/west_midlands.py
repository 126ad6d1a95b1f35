"""Demo data for the second VRU: the West Midlands Violence Reduction Partnership (VRU-WMD) beside London.

Built on the reference data (``organisations.services.west_midlands_load``: the VRP, its PCC, West Midlands
Police, four local policing areas and seven CSPs) with the same builders as London's demo, given the VRP and
its own words:

* **its own template** (2024/25, five themes with mandatory and optional actions), nothing of London's, so
  that a London theme or action showing up on a West Midlands page is a leak anyone can see; its title says
  it is a synthetic demo template;
* **users** (password ``vrhub-demo-only``, see the README): ``wm.admin``, ``wm.reviewer``,
  ``birmingham.editor``, ``coventry.editor``, ``birmingham.viewer``, ``birmingham.chiefexec``,
  ``be.commander`` (Birmingham Local Policing Area) and ``wmpcc.officer`` (the PCC's office);
* **synthetic plans** for the seven CSPs (``Plan.synthetic``): Birmingham and Coventry in draft, Dudley and
  Wolverhampton submitted, Sandwell, Solihull and Walsall accepted; two quarters of updates; the 2024 plans
  **published** (the accepted ones appear on ``/public/VRU-WMD/2024/``);
* **governance**: the synthetic "West Midlands VRP Strategic Board" and Birmingham's CSP board;
* **Duty**: synthetic partnerships for the seven CSPs (Solihull complete, Birmingham part-way with the
  data-sharing records, Sandwell's review overdue, Wolverhampton not started);
* **programmes**: three synthetic programmes (two of the VRP, one of Birmingham).

Idempotent like the rest of the demo: what exists is left as it is.
"""

from datetime import date, datetime

from django.utils import timezone

from vrhub.accounts.models import User
from vrhub.core.audit import audit_changes
from vrhub.cycle import services as cycle_services
from vrhub.cycle.services import quarters_create
from vrhub.demo.duty import DutyDemo, duty_load
from vrhub.demo.governance import TAG, board_load
from vrhub.demo.programmes import ProgrammesDemo, synthetic_load
from vrhub.demo.seed import DemoContent, plans_load, updates_load, users_load
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import west_midlands_load as wm_organisations_load
from vrhub.plans import services as plan_services
from vrhub.plans.models import Plan, PlanTemplate
from vrhub.transparency.models import Publication
from vrhub.transparency.services import publication_publish

VRU_CODE = "VRU-WMD"
YEAR = 2024
TEMPLATE_TITLE = "2024/25 Serious Violence Delivery Plan, West Midlands VRP (synthetic demo template)"
BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL, SOLIHULL, WALSALL, WOLVERHAMPTON = (
    "E22000335",
    "E22000336",
    "E22000337",
    "E22000338",
    "E22000339",
    "E22000340",
    "E22000341",
)

# username -> (first, last, organisation code, role, office)
WM_USERS = {
    "wm.admin": ("Wren", "Admin", VRU_CODE, User.Role.VRU_ADMIN, ""),
    "wm.reviewer": ("Rafi", "Reviewer", VRU_CODE, User.Role.VRU_REVIEWER, ""),
    "birmingham.editor": ("Bea", "Editor", BIRMINGHAM, User.Role.BOROUGH_EDITOR, ""),
    "coventry.editor": ("Cory", "Editor", COVENTRY, User.Role.BOROUGH_EDITOR, ""),
    "birmingham.viewer": ("Bo", "Viewer", BIRMINGHAM, User.Role.BOROUGH_VIEWER, ""),
    "birmingham.chiefexec": ("Chris", "Chief", BIRMINGHAM, User.Role.SIGNATORY, User.Office.CHIEF_EXECUTIVE),
    "be.commander": ("Blake", "Commander", "WMP-BE", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    "wmpcc.officer": ("Pat", "Officer", "PCC-WMD", User.Role.POLICING_BODY, ""),
}

SYN = " (synthetic demo text)"

# (code, title, description, [(title, guidance, outcome, baseline, lead role, lead agency, progress)]):
# mandatory actions first, then optional ones; numbered in order.
_THEMES = [
    (
        "PGV",
        "Partnership and Governance",
        "How the CSP and its partners plan, lead and account for their work on serious violence.",
        [
            ("Agree the CSP's serious violence delivery plan with the VRP's strategic board",
             "Bring the plan to the board before the submission deadline.",
             "A delivery plan agreed by every specified authority", "2023/24: plan agreed by 4 of 6 authorities",
             "Community Safety Partnership Manager", "Council", "The draft was shared with the board in May."),
            ("Name a senior lead for the Serious Violence Duty in each specified authority",
             "A named post, not a team, for each authority.",
             "Every authority has a named senior lead", "2023/24: 3 of 6 leads named",
             "Head of Community Safety", "Council", "Five leads are named; health is still to confirm."),
        ],
        [
            ("Hold a joint tasking meeting on violence hotspots every month",
             "Police, council and youth services together, with the latest hotspot map.",
             "Monthly tasking with actions tracked", "2023/24: 7 meetings held",
             "Neighbourhood Inspector", "West Midlands Police", "Meetings held in April, May and June."),
            ("Publish a public summary of the partnership's progress twice a year",
             "Plain English, no personal data.",
             "Two public summaries a year", "2023/24: none published",
             "Communications Officer", "Council", "The first summary is being drafted."),
        ],
    ),
    (
        "DIN",
        "Data and Insight",
        "Sharing and using data to understand where, when and to whom serious violence happens.",
        [
            ("Share A&E assault data with the VRP's data hub every month",
             "Aggregate counts by location and hour; no personal data.",
             "Monthly A&E data in the data hub", "2023/24: 5 of 12 months shared",
             "Information Governance Lead", "NHS trust", "April and May were shared on time."),
            ("Refresh the local profile of serious violence each year",
             "Use the VRP's common profile structure.",
             "An annual profile agreed by the board", "2023/24: profile 18 months old",
             "Senior Analyst", "Council", "The analyst has the police and A&E extracts."),
        ],
        [
            ("Map exploitation referrals by ward with children's services",
             "Counts by ward and quarter.",
             "A quarterly ward map of referrals", "2023/24: no ward breakdown",
             "Exploitation Co-ordinator", "Children's services", "Ward codes are being added to referrals."),
            ("Add a survey of young people's views to the evidence base",
             "Run it through schools and youth services.",
             "A survey of 500 young people each year", "2023/24: 0 surveyed",
             "Youth Participation Officer", "Council", "Questions agreed with the youth panel."),
        ],
    ),
    (
        "EDU",
        "Education and Inclusion",
        "Keeping young people in education and supported when they are at risk of exclusion.",
        [
            ("Offer a reduced-exclusions programme to every secondary school",
             "Schools choose from the VRP's menu of inclusion support.",
             "Every secondary school offered the programme", "2023/24: 12 schools took part",
             "Inclusion Lead", "Council", "Twenty schools have signed up."),
            ("Place a mentor with each pupil moved to alternative provision",
             "Within four weeks of the move.",
             "Every pupil in alternative provision has a mentor", "2023/24: 40% had a mentor",
             "Alternative Provision Manager", "Council", "Mentors recruited for two of three sites."),
        ],
        [
            ("Teach a violence-prevention lesson series in Year 7",
             "Six lessons, co-written with young people.",
             "Lessons taught in half of secondary schools", "2023/24: 6 schools",
             "PSHE Adviser", "Council", "Teachers trained in the spring term."),
            ("Train school staff in trauma-informed practice",
             "A half-day session for pastoral staff.",
             "Pastoral staff trained in every secondary school", "2023/24: 150 staff trained",
             "Educational Psychologist", "Council", "Sessions booked for the autumn term."),
        ],
    ),
    (
        "NBH",
        "Neighbourhoods and Places",
        "Making the places where violence happens safer, with the people who live and work there.",
        [
            ("Fund community-led projects in the three wards with the most violence",
             "Small grants decided with residents.",
             "Projects running in three wards", "2023/24: 1 ward",
             "Community Development Officer", "Council", "Grants panel met in June."),
            ("Agree a night-time economy safety plan with licensed premises",
             "Cover transport, street pastors and welfare points.",
             "A plan agreed with the licensees' forum", "2023/24: no plan",
             "Licensing Manager", "Council", "The forum discussed a first draft."),
        ],
        [
            ("Install bleed-control kits in public places with community guardians",
             "Each kit has a named guardian who checks it monthly.",
             "Kits in 20 public places", "2023/24: 4 kits",
             "Community Safety Officer", "Council", "Eight sites agreed with businesses."),
            ("Open youth spaces on Friday and Saturday evenings",
             "Staffed by detached youth workers.",
             "Two youth spaces open at weekends", "2023/24: 0 spaces",
             "Youth Service Manager", "Council", "One space opens in September."),
        ],
    ),
    (
        "PTH",
        "Pathways out of Violence",
        "Support for young people and adults involved in violence, as victims or as those who harm.",
        [
            ("Offer a navigator to every young person arrested for a weapons offence",
             "The offer is made in custody or within two days.",
             "Every young person arrested offered a navigator", "2023/24: 55% offered",
             "Custody Navigator Lead", "Voluntary sector", "The navigators now cover weekends."),
            ("Run a focused deterrence call-in at least twice a year",
             "With the offer of support at the heart of it.",
             "Two call-ins a year", "2023/24: 1 call-in",
             "Detective Inspector", "West Midlands Police", "The first call-in is planned for October."),
        ],
        [
            ("Support young adults leaving custody with a housing and job offer",
             "Start planning three months before release.",
             "Every young adult released has a housing plan", "2023/24: 30% had one",
             "Resettlement Manager", "Probation Service", "Housing officers join the planning meetings."),
            ("Refer victims of violence to specialist support within 48 hours",
             "Referral from A&E, police or school.",
             "Referrals made within 48 hours", "2023/24: 60% within 48 hours",
             "Victim Services Manager", "Police and Crime Commissioner", "The referral form is online."),
        ],
    ),
]  # fmt: skip


def _actions(code: str, kind: str, prefix: str, rows: list[tuple]) -> list[dict]:
    return [
        {
            "code": f"{code}-{prefix}{n}",
            "kind": kind,
            "title": title,
            "guidance": guidance + SYN,
            "example": {
                "outcome": outcome + SYN,
                "baseline": baseline,
                "lead_role": lead_role,
                "lead_agency": lead_agency,
                "progress": progress + SYN,
            },
        }
        for n, (title, guidance, outcome, baseline, lead_role, lead_agency, progress) in enumerate(rows, start=1)
    ]


def wm_template_themes() -> list[dict]:
    """The West Midlands demo template's five themes, in the form ``template_create_from_content`` takes."""
    return [
        {
            "code": code,
            "title": title,
            "description": description + SYN,
            "actions": _actions(code, "mandatory", "M", mandatory) + _actions(code, "optional", "O", optional),
        }
        for code, title, description, mandatory, optional in _THEMES
    ]


WM_CONTENT = DemoContent(
    examples={a["code"]: a["example"] for t in wm_template_themes() for a in t["actions"]},
    local_actions=[
        {
            "theme": "NBH",
            "title": "Canal towpath safety walks with residents",
            "description": "Monthly walks with residents and the Canal & River Trust to find unsafe spots" + SYN,
            "outcome": "Unsafe spots reported and fixed" + SYN,
            "progress": "Two walks held; lighting repaired at one bridge" + SYN,
        },
        {
            "theme": "PTH",
            "title": "Boxing club mentoring for young people on bail",
            "description": "A local boxing club mentors young people on bail for a weapons offence" + SYN,
            "outcome": "Young people on bail engaged every week" + SYN,
            "progress": "Eight young people attend" + SYN,
        },
        {
            "theme": "EDU",
            "title": "Summer transition camp for pupils moving to secondary school",
            "description": "A week of activities for Year 6 pupils identified by their primary schools" + SYN,
            "outcome": "Fewer exclusions in Year 7 among those who took part" + SYN,
            "progress": "Forty places booked" + SYN,
        },
    ],
    progress_updates=[
        "On schedule: the quarter's milestones were met" + SYN,
        "Started late; the partners have agreed a revised timetable" + SYN,
        "Waiting for data from a partner; chased at the last tasking meeting" + SYN,
        "Good early take-up; figures will follow at the end of the quarter" + SYN,
        "Paused while a new provider is commissioned" + SYN,
    ],
    not_undertaken="Not being undertaken this year: covered by a force-wide VRP programme (synthetic demo text).",
)

# The plans' states after loading (the others stay in draft), and the day each was submitted: all by the
# deadline (28 June 2024) but Wolverhampton's.
SUBMITTED = (DUDLEY, WOLVERHAMPTON)
ACCEPTED = (SANDWELL, SOLIHULL, WALSALL)
SUBMITTED_ON = {
    DUDLEY: date(YEAR, 6, 24),
    WOLVERHAMPTON: date(YEAR, 7, 5),
    SANDWELL: date(YEAR, 6, 14),
    SOLIHULL: date(YEAR, 6, 27),
    WALSALL: date(YEAR, 6, 20),
}

WM_DUTY = DutyDemo(
    complete=(SOLIHULL,),
    not_started=(WOLVERHAMPTON,),
    review_overdue=SANDWELL,
    detailed=BIRMINGHAM,
    police="West Midlands Police",
    fire="West Midlands Fire Service",
    health="NHS Birmingham and Solihull Integrated Care Board",
    probation="Probation Service, West Midlands region",
    council="{borough} Council",
    prison="HMP Birmingham",
    hospital="University Hospitals Birmingham NHS Foundation Trust",
    policing_body="West Midlands Police and Crime Commissioner",
    asker="wmpcc.officer",
)
WM_BODIES = {
    "council": "{borough} Council",
    "police": "West Midlands Police",
    "probation": "Probation Service, West Midlands region",
}
BOARD_SLUG = "wmvrp-strategic-board"
BOARD_NAME = "West Midlands VRP Strategic Board"
BIRMINGHAM_BOARD_SLUG = "birmingham-csp"

WM_PROGRAMMES = ProgrammesDemo(
    vru_prefix="WMD-S",
    vru_count=2,
    areas={BIRMINGHAM: "BHM"},
    area_count=1,
    wards={BIRMINGHAM: ["Ladywood", "Aston", "Lozells", "Sparkbrook & Balsall Heath East"]},
    recipients=[
        # (name, charity number, company number, other identifier, postcode) — all invented.
        ("Black Country Youth Futures", "1199001", "", "", "WS1 1AA"),
        ("Brum Street Mentors CIC", "", "11990020", "", "B6 4AB"),
        ("Coventry Safe Spaces Trust", "1199003", "", "", "CV1 2AC"),
    ],
    sources=["Home Office VRU grant", "Police and Crime Commissioner community safety fund"],
    categories=["VCS/Community", "Local authority"],
    evaluators=["University of the West Midlands (synthetic)", "In house"],
    titles=["Custody navigators for young people", "Detached youth work at weekends", "Mentoring in schools"],
    year=YEAR,
    plan_year=YEAR,
    seed="programmes-synthetic-wm-2024",
)


def wm_template_load(*, vru: Organisation) -> PlanTemplate:
    template = PlanTemplate.objects.filter(vru=vru, year=YEAR).first()
    if template is None:
        template = plan_services.template_create_from_content(
            vru=vru,
            year=YEAR,
            title=TEMPLATE_TITLE,
            themes=wm_template_themes(),
            published=True,
            submission_deadline=date(YEAR, 6, 28),
        )
    return template


def wm_plan_states_load(*, template: PlanTemplate) -> None:
    """Move the synthetic plans still in draft to the states the demo shows: submitted directly (a synthetic
    plan has no signatures, as London's returned plan), then accepted through the cycle's service."""
    reviewer = User.objects.get(username="wm.reviewer")
    plans = Plan.objects.filter(template=template, is_current=True, synthetic=True, area__code__in=SUBMITTED + ACCEPTED)
    for plan in plans.select_related("area"):
        if plan.state != Plan.State.DRAFT:
            continue
        day = SUBMITTED_ON[plan.area.code]
        submitted_at = timezone.make_aware(datetime(day.year, day.month, day.day, 11))
        Plan.objects.filter(pk=plan.pk).update(
            state=Plan.State.SUBMITTED, submitted_at=submitted_at, last_submitted_at=submitted_at
        )
        audit_changes(
            actor=None, obj=plan, changes={"state": (Plan.State.DRAFT, Plan.State.SUBMITTED)}, plan_id=plan.pk
        )
        if plan.area.code in ACCEPTED:
            plan.refresh_from_db()
            cycle_services.plan_accept(plan=plan, user=reviewer, comment="Accepted (synthetic demo text).")


def wm_publication_load(*, vru: Organisation) -> Publication:
    """Publish the 2024 plans (the accepted ones show on the public pages), through the publishing service."""
    found = Publication.objects.filter(vru=vru, year=YEAR).first()
    if found is not None:
        return found
    return publication_publish(vru=vru, year=YEAR, user=User.objects.get(username="wm.admin"))


def wm_governance_load(*, vru: Organisation, today: date | None = None) -> int:
    """The VRP's synthetic strategic board and Birmingham's CSP board. Returns how many groups were created."""
    today = today or timezone.localdate()
    created = [
        board_load(
            area=vru,
            slug=BOARD_SLUG,
            today=today,
            bodies=WM_BODIES | {"council": "Birmingham City Council"},
            vote=False,
            agenda_published=True,
            name=BOARD_NAME,
            purpose="To lead the West Midlands Violence Reduction Partnership's response to serious violence "
            "across the force area's seven community safety partnerships." + TAG,
            place="Lloyd House, Birmingham",
        )
    ]
    birmingham = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru, code=BIRMINGHAM).first()
    if birmingham is not None:
        created.append(
            board_load(
                area=birmingham,
                slug=BIRMINGHAM_BOARD_SLUG,
                today=today,
                bodies=WM_BODIES,
                vote=True,
                agenda_published=False,
            )
        )
    return sum(1 for g in created if g is not None)


def west_midlands_load() -> dict:
    """The West Midlands demo (see the module docstring). Returns counts, keys prefixed ``wm_``."""
    vru = wm_organisations_load()
    template = wm_template_load(vru=vru)
    quarters_create(template=template)
    users = users_load(users=WM_USERS, operators=False)  # /admin/ is the service operator's, not a VRU's
    plans = plans_load(template=template, content=WM_CONTENT)
    updates_load(template=template, content=WM_CONTENT)
    wm_plan_states_load(template=template)
    wm_publication_load(vru=vru)
    groups = wm_governance_load(vru=vru)
    partnerships = duty_load(vru=vru, demo=WM_DUTY)
    programmes = synthetic_load(vru=vru, nodes={}, demo=WM_PROGRAMMES)
    return {
        "wm_users": len(users),
        "wm_plans_created": plans,
        "wm_governance_groups_created": groups,
        "wm_duty_partnerships_created": partnerships,
        "wm_programmes_created": programmes,
    }
