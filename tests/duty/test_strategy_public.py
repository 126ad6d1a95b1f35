"""Published strategies on the public pages: the version in force only, never drafts, never personal data."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.duty import factories as f
from vrhub.duty.models import Consultation, SpecifiedAuthority, Strategy
from vrhub.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(havering, london):
    p = f.complete_partnership(area=havering, vru=london)
    SpecifiedAuthority.objects.filter(partnership=p).update(lead_email="lead.person@example.gov.uk")
    return p


def _strategy(partnership, version, state, **kwargs):
    dates = {"published_on": dt.date(2026, 4, 1), "next_review": dt.date(2027, 4, 1)} if state != "draft" else {}
    return f.StrategyFactory(
        partnership=partnership, version=version, state=state, title=f"Strategy v{version}", **dates, **kwargs
    )


def _list_url():
    return reverse("transparency:duty_strategies", args=["VRU-LDN"])


def _detail_url(code="E09000016"):
    return reverse("transparency:duty_strategy", args=["VRU-LDN", code])


def test_the_published_version_is_public_and_drafts_and_superseded_ones_are_not(client, partnership):
    _strategy(partnership, 1, Strategy.State.SUPERSEDED, funding="Old funding text")
    _strategy(partnership, 2, Strategy.State.PUBLISHED, funding="Current funding text")
    _strategy(partnership, 3, Strategy.State.DRAFT, funding="Draft funding text")
    listing = client.get(_list_url()).content.decode()
    assert "Strategy v2" in listing and "Strategy v1" not in listing and "Strategy v3" not in listing
    page = client.get(_detail_url()).content.decode()
    assert "Strategy v2" in page and "Version 2" in page and "Current funding text" in page
    assert "Draft funding text" not in page and "Old funding text" not in page
    assert "1 April 2026" in page and "1 April 2027" in page
    index = client.get(reverse("transparency:index")).content.decode()
    assert _list_url() in index


def test_an_area_with_only_a_draft_has_no_public_page(client, partnership, lambeth, london):
    _strategy(partnership, 1, Strategy.State.DRAFT)
    assert client.get(_detail_url()).status_code == 404
    assert "No area has published its strategy yet" in client.get(_list_url()).content.decode()
    # Nothing is published anywhere: the public index says so rather than linking to an empty page.
    assert "No strategy has been published yet" in client.get(reverse("transparency:index")).content.decode()
    assert client.get(_detail_url("E09000022")).status_code == 404
    assert client.get(reverse("transparency:duty_strategies", args=["NOPE"])).status_code == 404


def test_no_personal_data_on_the_public_pages(client, partnership):
    _strategy(partnership, 1, Strategy.State.PUBLISHED)
    pages = client.get(_list_url()).content.decode() + client.get(_detail_url()).content.decode()
    leads = SpecifiedAuthority.objects.filter(partnership=partnership)
    assert leads.count() == 6
    for authority in leads:
        assert authority.organisation in pages  # the organisations are shown ...
        assert authority.lead_name not in pages  # ... not the people
        assert authority.lead_email not in pages
    for consultation in Consultation.objects.filter(authority__partnership=partnership):
        assert consultation.contact not in pages


def test_linked_actions_of_accepted_plans_are_shown_with_status_others_counted(client, partnership, plan):
    strategy = _strategy(partnership, 1, Strategy.State.PUBLISHED)
    first, second = plan.actions.order_by("pk")[:2]
    first.status = "amber"
    first.save()
    strategy.plan_actions.add(first, second)
    page = client.get(_detail_url()).content.decode()
    assert first.title not in page
    assert "2 further linked actions belong to an action plan the VRU has not yet accepted" in page
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.ACCEPTED)
    page = client.get(_detail_url()).content.decode()
    assert first.title in page and second.title in page
    assert "Amber" in page and "No status reported yet" in page  # the label, never the raw value
    assert ">amber<" not in page and "further linked" not in page


def test_synthetic_strategies_are_labelled(client, partnership):
    partnership.synthetic = True
    partnership.save()
    _strategy(partnership, 1, Strategy.State.PUBLISHED)
    assert "synthetic demo data" in client.get(_list_url()).content.decode()
    assert "synthetic demo data" in client.get(_detail_url()).content.decode()
