"""The West Midlands demo beside London's: it loads (alone and with London), is idempotent, keeps every record
in VRU-WMD with nothing of London's in it, publishes its 2024 plans, and leaves London's demo as it was.
demo_load is slow: the West Midlands checks run on ``west_midlands_load`` alone; one test loads the whole demo."""

import pytest
from django.urls import reverse

from vrhub.accounts.models import User
from vrhub.core.models import AuditEntry
from vrhub.cycle.models import QuarterlyUpdate
from vrhub.demo import governance as demo_governance
from vrhub.demo import programmes as demo_programmes
from vrhub.demo.seed import DEMO_PASSWORD, DEMO_USERS
from vrhub.demo.west_midlands import WM_USERS, west_midlands_load
from vrhub.duty.models import Partnership, SpecifiedAuthority
from vrhub.governance.models import Group, Member
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, TemplateAction
from vrhub.plans.templates import london_template
from vrhub.programmes.models import Programme
from vrhub.transparency.models import Publication

WMD = "VRU-WMD"
# The states the demo promises (README): area name -> state of its 2024 plan.
STATES = {
    "Birmingham": Plan.State.DRAFT,
    "Coventry": Plan.State.DRAFT,
    "Dudley": Plan.State.SUBMITTED,
    "Wolverhampton": Plan.State.SUBMITTED,
    "Sandwell": Plan.State.ACCEPTED,
    "Solihull": Plan.State.ACCEPTED,
    "Walsall": Plan.State.ACCEPTED,
}


def _counts() -> tuple:
    return tuple(
        m.objects.count()
        for m in (User, Plan, PlanAction, QuarterlyUpdate, Partnership, Group, Member, Programme, Publication)
    ) + (AuditEntry.objects.count(),)


def _wm_texts() -> list[str]:
    """Every text the West Midlands demo wrote that a page shows."""
    texts = []
    for a in PlanAction.objects.filter(plan__area__vru__code=WMD):
        texts += [a.title, a.outcome, a.baseline, a.progress, a.comments, a.lead_agency, a.lead_role]
    texts += list(QuarterlyUpdate.objects.filter(action__plan__area__vru__code=WMD).values_list("progress", flat=True))
    for p in Partnership.objects.filter(vru__code=WMD):
        texts += [p.lead_body, p.local_policing_body, p.governance_group]
    texts += list(SpecifiedAuthority.objects.filter(partnership__vru__code=WMD).values_list("organisation", flat=True))
    for g in Group.objects.filter(vru__code=WMD):
        texts += [g.name, g.purpose] + [m.organisation for m in g.members.all()]
        texts += [m.place for m in g.meetings.all()]
    for p in Programme.objects.filter(vru__code=WMD):
        texts += [p.title, p.description, p.evaluator, p.funding_source] + [r.postcode for r in [p.recipient] if r]
    return texts


@pytest.mark.django_db
def test_west_midlands_demo_loads_its_own_records_and_is_idempotent(client, settings):
    result = west_midlands_load()
    vru = Organisation.objects.get(code=WMD)
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=vru)
    assert sorted(areas.values_list("name", flat=True)) == sorted(STATES)
    assert result["wm_plans_created"] == result["wm_duty_partnerships_created"] == areas.count()
    assert result["wm_users"] == len(WM_USERS)
    assert result["wm_governance_groups_created"] == Group.objects.filter(vru=vru).count() == 2
    assert result["wm_programmes_created"] == Programme.objects.filter(vru=vru).count() == 3

    # Its own template: five themes, each with mandatory and optional actions, nothing of London's.
    template = PlanTemplate.objects.get(vru=vru)
    assert template.published and "synthetic" in template.title
    themes = list(template.themes.all())
    assert len(themes) == 5
    for theme in themes:
        kinds = set(theme.template_actions.values_list("kind", flat=True))
        assert kinds == {TemplateAction.Kind.MANDATORY, TemplateAction.Kind.OPTIONAL}, theme.code
    content = london_template()
    london_themes = content.themes_2021 + [content.vawg_theme]
    london_titles = {a["title"] for t in london_themes for a in t["actions"]} | {t["title"] for t in london_themes}
    wm_titles = set(TemplateAction.objects.filter(theme__template=template).values_list("title", flat=True))
    assert wm_titles and not wm_titles & london_titles
    assert not {t.title for t in themes} & london_titles
    assert not {t.code for t in themes} & {t["code"] for t in london_themes}

    # Every record belongs to VRU-WMD, and each kind is flagged synthetic.
    plans = Plan.objects.filter(template=template)
    assert {p.area.name: p.state for p in plans.select_related("area")} == STATES
    assert not plans.filter(synthetic=False).exists()
    assert set(plans.values_list("area__vru__code", flat=True)) == {WMD}
    assert QuarterlyUpdate.objects.filter(action__plan__in=plans).exists()
    assert set(Partnership.objects.values_list("vru__code", "synthetic")) == {(WMD, True)}
    assert set(Group.objects.values_list("vru__code", "synthetic")) == {(WMD, True)}
    assert set(Programme.objects.values_list("vru__code", "synthetic")) == {(WMD, True)}
    assert Group.objects.filter(owner=vru, name="West Midlands VRP Strategic Board").exists()
    assert Group.objects.get(owner=vru).meetings.exists() and Group.objects.get(owner=vru).members.count() >= 5
    users = User.objects.filter(username__in=WM_USERS).select_related("organisation")
    assert {u.username: u.organisation.owning_vru.code for u in users} == dict.fromkeys(WM_USERS, WMD)
    # Nothing London's in what it wrote (the builders are London's demo, given the VRP's words).
    texts = _wm_texts()
    assert len(texts) > 100
    assert [t for t in texts if "London" in t or "Metropolitan" in t or "MOPAC" in t or "Havering" in t] == []

    # Published: the public pages show the accepted plans, labelled synthetic.
    assert Publication.objects.filter(vru=vru, year=2024).exists()
    body = client.get(reverse("transparency:plans", args=[WMD, 2024])).content.decode()
    assert "Synthetic demo data" in body and "West Midlands Violence Reduction Partnership" in body
    assert "West Midlands" in client.get(reverse("transparency:index")).content.decode()

    # The demo users sign in; the admin skips the second factor in a local demo, as London's do.
    settings.DEBUG, settings.VRHUB_DEMO_SKIP_2FA = True, True
    signed_in = client.post(reverse("login"), {"username": "wm.admin", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    response = client.get(reverse("dashboard:latest"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:overview", args=[2024])

    # Idempotent: a second load creates nothing and changes nothing.
    before = _counts()
    again = west_midlands_load()
    assert {k: v for k, v in again.items() if k.endswith("_created")} == dict.fromkeys(
        ["wm_plans_created", "wm_governance_groups_created", "wm_duty_partnerships_created", "wm_programmes_created"],
        0,
    )
    assert _counts() == before


@pytest.mark.django_db
def test_london_demo_is_unchanged_beside_west_midlands(demo):
    london = Organisation.objects.get(code="VRU-LDN")
    boroughs = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=london).count()
    assert boroughs == 32
    # London's counts, each computed from the demo's own definitions.
    assert demo["plans_created"] == Plan.objects.filter(area__vru=london).count() == boroughs
    assert demo["duty_partnerships_created"] == Partnership.objects.filter(vru=london).count() == boroughs
    assert demo["governance_groups_created"] == Group.objects.filter(vru=london).count()
    assert Group.objects.filter(vru=london).count() == 1 + len(demo_governance.BOARDS)
    synthetic = demo_programmes.LONDON_PROGRAMMES
    expected = len(demo_programmes.PRIORITIES) + synthetic.vru_count + synthetic.area_count * len(synthetic.areas)
    assert demo["programmes_created"] == Programme.objects.filter(vru=london).count() == expected
    assert demo["users"] == len(DEMO_USERS)
    assert not Publication.objects.filter(vru=london).exists()
    # West Midlands beside it, and no record of one VRU in the other.
    wmd = Organisation.objects.get(code=WMD)
    assert demo["wm_plans_created"] == Plan.objects.filter(area__vru=wmd).count() == 7
    assert not Plan.objects.filter(area__vru=london, template__vru=wmd).exists()
    assert not Plan.objects.filter(area__vru=wmd, template__vru=london).exists()
    assert not Partnership.objects.filter(vru=london, area__vru=wmd).exists()
    assert not Partnership.objects.filter(vru=wmd, area__vru=london).exists()
    assert not Programme.objects.filter(vru=wmd, areas__vru=london).exists()
    assert not Programme.objects.filter(vru=london, areas__vru=wmd).exists()
