"""The synthetic Duty demo data: London's 32 partnerships at varied readiness, labelled synthetic, deterministic
and idempotent; the states checked against the models directly."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.demo_snapshot import demo_data
from vrhub.demo import duty as demo_duty
from vrhub.duty.catalogue import AuthorityKind, SnaSectionKey
from vrhub.duty.models import (
    Disclosure,
    InformationRequest,
    NeedsAssessment,
    Partnership,
    SharingAgreement,
    SnaSection,
    SpecifiedAuthority,
    Strategy,
)
from vrhub.duty.selectors.readiness import readiness_many
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan


def _snapshot() -> dict:
    """Everything the demo wrote, keyed by area code, without database ids."""
    out = {}
    for p in Partnership.objects.select_related("area").order_by("area__code"):
        strategy = p.strategies.order_by("version").values(
            "version", "state", "published_on", "next_review", "problem_summary", "funding"
        )
        out[p.area.code] = {
            "partnership": (
                p.lead_body,
                p.local_policing_body,
                p.governance_group,
                p.owning_group.slug if p.owning_group else "",
                p.synthetic,
            ),
            "authorities": sorted(p.specified_authorities.values_list("kind", "organisation", "lead_name")),
            "definition": list(p.__class__.objects.filter(pk=p.pk).values_list("definition__offence_types")),
            "sections": sorted(
                SnaSection.objects.filter(assessment__partnership=p).values_list("assessment__year", "key", "text")
            ),
            "strategies": list(strategy),
            "linked": sorted(
                Strategy.plan_actions.through.objects.filter(strategy__partnership=p).values_list(
                    "planaction__plan__area__code", "planaction__code"
                )
            ),
            "agreements": sorted(p.agreements.values_list("title", "review_on")),
            "requests": sorted(p.information_requests.values_list("state", "due_on", "refusal_reason")),
        }
    return out


@pytest.fixture
def demo(db):
    demo_data()
    return Organisation.objects.get(code="VRU-LDN")


@pytest.mark.django_db
def test_32_partnerships_all_synthetic(demo):
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=demo)
    assert areas.count() == 32
    partnerships = Partnership.objects.filter(vru=demo)
    assert partnerships.count() == 32
    assert set(partnerships.values_list("area_id", flat=True)) == set(areas.values_list("pk", flat=True))
    assert not partnerships.filter(synthetic=False).exists()


@pytest.mark.django_db
def test_readiness_is_varied(demo):
    areas = list(Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=demo))
    readiness = readiness_many(areas=areas)
    ready = {a.code for a in areas if readiness[a.pk].ready}
    assert ready == set(demo_duty.COMPLETE)
    assert 3 <= len(ready) <= 4
    # Not started: no authority, definition, assessment or strategy (counted from the models).
    empty = {
        p.area.code
        for p in Partnership.objects.filter(vru=demo).select_related("area")
        if not p.specified_authorities.exists()
        and not hasattr(p, "definition")
        and not p.assessments.exists()
        and not p.strategies.exists()
    }
    assert empty == set(demo_duty.NOT_STARTED)
    part_way = 32 - len(ready) - len(empty)
    assert part_way >= 20
    # Part-way areas differ from each other: several distinct counts of authority kinds and written sections.
    kinds = {
        p.pk: SpecifiedAuthority.objects.filter(partnership=p).values("kind").distinct().count()
        for p in Partnership.objects.filter(vru=demo)
    }
    assert len(set(kinds.values())) >= 4
    written = [
        sum(1 for s in SnaSection.objects.filter(assessment=a) if s.text.strip())
        for a in NeedsAssessment.objects.filter(partnership__vru=demo, state="draft")
    ]
    assert len(set(written)) >= 4
    assert Strategy.objects.filter(partnership__vru=demo, state="draft").count() >= 5


@pytest.mark.django_db
def test_complete_boroughs_publish_strategies_linked_to_their_own_plan(demo):
    today = timezone.localdate()
    for code in demo_duty.COMPLETE:
        p = Partnership.objects.get(area__code=code)
        strategy = p.strategies.get()
        assert strategy.state == Strategy.State.PUBLISHED
        assert strategy.published_on <= today < strategy.next_review
        linked = list(strategy.plan_actions.select_related("plan__area"))
        assert linked and {a.plan.area.code for a in linked} == {code}
        assert all(a.plan.synthetic for a in linked)
        assert set(p.specified_authorities.values_list("kind", flat=True)) == {k.value for k in AuthorityKind}
        assert not p.specified_authorities.filter(lead_name="").exists()
        assert p.assessments.get().state == NeedsAssessment.State.AGREED
    # The complete boroughs are Met boroughs with a demo plan.
    assert Plan.objects.filter(area__code__in=demo_duty.COMPLETE, synthetic=True).count() == len(demo_duty.COMPLETE)
    assert not Organisation.objects.filter(code__in=demo_duty.COMPLETE, bcu__isnull=True).exists()


@pytest.mark.django_db
def test_havering_is_part_way_and_shows_what_is_missing(demo):
    havering = Organisation.objects.get(code="E09000016")
    r = readiness_many(areas=[havering])[havering.pk]
    assert not r.ready
    elements = {m.element for m in r.missing}
    assert {"partnership.fire", "partnership.probation", "sna.agreed", "strategy.published"} <= elements
    assert r.sna_state == "draft" and r.sections_complete == 5 and r.sections == len(SnaSectionKey)
    assert r.strategy_state == "draft"


@pytest.mark.django_db
def test_data_sharing_records(demo):
    today = timezone.localdate()
    agreements = SharingAgreement.objects.filter(partnership__vru=demo)
    assert agreements.filter(review_on__lt=today).count() == 1
    assert Disclosure.objects.filter(partnership__vru=demo).count() >= 2
    requests = InformationRequest.objects.filter(partnership__vru=demo)
    assert requests.filter(state="open", due_on__lt=today).count() == 1
    assert requests.filter(state="answered").exclude(answer="").count() == 1
    refused = requests.get(state="refused")
    assert refused.refusal_reason and refused.responded_on
    assert set(requests.values_list("requested_by__username", flat=True)) == {"mopac.officer"}
    # Islington's strategy review is overdue.
    islington = Strategy.objects.get(partnership__area__code=demo_duty.REVIEW_OVERDUE)
    assert islington.state == "published" and islington.next_review < today


@pytest.mark.django_db
def test_texts_say_they_are_synthetic(demo):
    texts = [
        getattr(s, name)
        for s in Strategy.objects.filter(partnership__vru=demo)
        for name in ("problem_summary", "working_together")
        if getattr(s, name)
    ]
    sections = list(SnaSection.objects.filter(assessment__partnership__vru=demo).exclude(text=""))
    assert texts and sections  # the demo writes both: the checks below are not over nothing
    assert [t for t in texts if "synthetic demo" not in t] == []
    assert [s.key for s in sections if "synthetic demo" not in s.text] == []


@pytest.mark.django_db
def test_deterministic_and_idempotent(demo):
    first = _snapshot()
    assert demo_duty.duty_load(vru=demo) == 0  # nothing twice
    assert _snapshot() == first
    Partnership.objects.filter(vru=demo).delete()
    assert demo_duty.duty_load(vru=demo) == 32
    assert _snapshot() == first


@pytest.mark.django_db
def test_demo_mopac_officer_and_command_output(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "32 Serious Violence Duty partnership records created (synthetic demo data)" in out.getvalue()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 Serious Violence Duty partnership records created" in out.getvalue()
    from vrhub.accounts.models import User
    from vrhub.duty.selectors.access import monitoring_vru

    officer = User.objects.get(username="mopac.officer")
    assert officer.is_policing_body
    assert monitoring_vru(user=officer).code == "VRU-LDN"


@pytest.mark.django_db
def test_dates_count_from_the_day_the_demo_is_loaded(london):
    later = dt.date(2031, 6, 1)
    demo_duty.duty_load(vru=london, today=later)
    agreement = SharingAgreement.objects.get(review_on__lt=later)
    assert agreement.review_on == later - dt.timedelta(days=30)
