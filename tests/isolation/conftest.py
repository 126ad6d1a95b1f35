"""Two VRUs holding data side by side: London (Havering, Lambeth, Barnet, Camden) and the West Midlands
(Birmingham, Coventry, Dudley, Sandwell), each with an accepted 2021 plan per area on its own template, quarterly
updates in two quarters, a people set and an API token. What each VRU wrote is told apart by its own words: London's
actions speak of schools and zombie knives, the West Midlands' of canal towpaths; both speak of e-scooters."""

import pytest

from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.cycle.services import quarters_create
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan
from vrhub.plans.services import plan_create, template_create_from_content
from vrhub.plans.templates import london_template
from vrhub.transparency.services import api_token_issue

LONDON_AREAS = ["E09000016", "E09000022", "E09000003", "E09000007"]
WM_AREAS = ["E22000335", "E22000336", "E22000337", "E22000338"]
ACTIONS = ["GOV-M1", "GOV-M2"]

# Each area's own outcome for GOV-M1 (all different: no sentence is shared, so none is set aside as boilerplate).
OUTCOMES = {
    "E09000016": "E-scooter patrols outside Havering schools after the summer robberies.",
    "E09000022": "Lambeth youth workers meet e-scooter riders at the school gates each Friday.",
    "E09000003": "Barnet mentors run a zombie knives amnesty with e-scooter outreach at schools.",
    "E09000007": "Camden safer schools officers track e-scooter phone snatches.",
    "E22000335": "Birmingham canal towpath patrols stop e-scooter phone snatches by the locks.",
    "E22000336": "Coventry towpath wardens and e-scooter outreach along the canal basin.",
    "E22000337": "Dudley canal towpath lighting and e-scooter checks near the tunnel.",
    "E22000338": "Sandwell towpath rangers follow e-scooter robberies along the canal.",
}
# Quarter 2 progress that rises against quarter 1 in every area (one theme a VRU): London writes of zombie knives,
# the West Midlands of towpath robberies. Quarter 1 holds neither.
Q1 = "{name} partners agreed the delivery plan for {n} projects."
Q2 = {
    "london": [
        "Zombie knives were found in a park in {name} during a weapons sweep.",
        "Shops in {name} were visited after zombie knives were sold online.",
        "An amnesty bin in {name} collected zombie knives this quarter.",
        "Officers in {name} seized zombie knives from a car after a stop.",
    ],
    "wm": [
        "Towpath robberies near {name} locks fell after new lighting.",
        "Wardens recorded towpath robberies on the {name} canal at night.",
        "Two towpath robberies in {name} were linked to one group.",
        "Towpath robberies reported by {name} boaters rose in the summer.",
    ],
}


def _vru_world(*, vru, template, codes: list[str], q2: list[str], token_name: str) -> dict:
    quarters = quarters_create(template=template)
    plans = {}
    for i, code in enumerate(codes):
        area = Organisation.objects.get(code=code)
        plan = plan_create(area=area, template=template, user=None).plan
        plan.actions.filter(code="GOV-M1").update(outcome=OUTCOMES[code])
        for action in plan.actions.filter(code__in=ACTIONS).order_by("code"):
            QuarterlyUpdate.objects.create(
                action=action, quarter=quarters[0], progress=Q1.format(name=area.name, n=i + 2), status="green"
            )
            text = q2[i].format(name=area.name) if action.code == "GOV-M1" else Q1.format(name=area.name, n=i + 2)
            QuarterlyUpdate.objects.create(action=action, quarter=quarters[1], progress=text, status="green")
        plans[code] = plan
    Plan.objects.filter(pk__in=[p.pk for p in plans.values()]).update(state=Plan.State.ACCEPTED)
    first = Organisation.objects.get(code=codes[0])
    people = {
        "admin": UserFactory(organisation=vru, role=User.Role.VRU_ADMIN),
        "reviewer": UserFactory(organisation=vru, role=User.Role.VRU_REVIEWER),
        "editor": UserFactory(organisation=first, role=User.Role.BOROUGH_EDITOR),
        "viewer": UserFactory(organisation=first, role=User.Role.BOROUGH_VIEWER),
    }
    token, key = api_token_issue(user=people["editor"], name=token_name)
    admin_token, admin_key = api_token_issue(user=people["admin"], name=f"{token_name} (VRU)")
    return {
        "vru": vru,
        "template": template,
        "plans": plans,
        **people,
        "token": token,
        "key": key,
        "admin_token": admin_token,
        "admin_key": admin_key,
    }


@pytest.fixture
def two_vrus(template_2021, west_midlands):
    wm_template = template_create_from_content(
        vru=west_midlands, year=2021, title="WM 2021", themes=london_template().themes_2021, published=True
    )
    return {
        "london": _vru_world(
            vru=template_2021.vru, template=template_2021, codes=LONDON_AREAS, q2=Q2["london"], token_name="Havering BI"
        ),
        "wm": _vru_world(
            vru=west_midlands, template=wm_template, codes=WM_AREAS, q2=Q2["wm"], token_name="Birmingham BI"
        ),
    }
