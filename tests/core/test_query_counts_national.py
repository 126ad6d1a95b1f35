"""Issue 16 at national scale: the pages benchmarks/bench_national_scale.py measures read the same number of
queries whatever the data's size, here at two sizes (one London plan; then more London plans, a bigger plan
with quarterly updates, and a second VRU with its own template, plan and publication). One test, so that the
data is built once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.test_query_counts import SW_AREAS, grow, start_plans
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.cycle.services import quarterly_update_save
from vrhub.organisations.models import Organisation
from vrhub.plans.services import plan_create, template_create_from_content
from vrhub.plans.templates import london_template
from vrhub.transparency.models import Publication
from vrhub.transparency.services import api_token_issue

pytestmark = pytest.mark.django_db


def counts(pages: dict[str, tuple[Client, str, dict]]) -> dict[str, int]:
    out = {}
    for name, (client, url, extra) in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **extra)
        assert response.status_code == 200, name
        out[name] = len(captured.captured_queries)
    return out


def test_the_national_pages_read_as_many_queries_with_more_data(london, template_2021, west_midlands):
    reviewer = UserFactory(organisation=london, role=User.Role.VRU_REVIEWER)
    (plan,) = start_plans([template_2021], ["E09000016"])
    grow(plan)  # quarters and some updates from the start: the plan page then shows its progress section
    Publication.objects.create(vru=london, year=2021, published_by=reviewer)
    _, key = api_token_issue(user=reviewer, name="counts")
    signed_in, api, anonymous = Client(), Client(), Client()
    signed_in.force_login(reviewer)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    pages = {
        "dashboard": (signed_in, reverse("dashboard:overview", args=[2021]), {}),
        "borough overdue": (signed_in, reverse("dashboard:borough", args=[2021, "E09000016"]) + "?show=overdue", {}),
        "borough not started": (
            signed_in,
            reverse("dashboard:borough", args=[2021, "E09000016"]) + "?show=not-started",
            {},
        ),
        "plan page": (signed_in, reverse("plans:detail", args=[plan.pk]), {}),
        "library": (signed_in, reverse("learning:library") + "?q=knife+crime", {}),
        "library, one year": (signed_in, reverse("learning:library") + "?q=knife&year=2021", {}),
        "api plans": (api, reverse("transparency:api_plans"), bearer),
        "api plans of a year": (api, reverse("transparency:api_plans") + "?year=2021", bearer),
        "api plan": (api, reverse("transparency:api_plan", args=[plan.pk]), bearer),
        "api summary": (api, reverse("transparency:api_london_summary", args=[2021]), bearer),
        "public index": (anonymous, reverse("transparency:index"), {}),
    }
    counts(pages)  # warm the sessions and caches
    small = counts(pages)

    more = start_plans([template_2021], SW_AREAS[:3])
    grow(plan)
    grow(more[0])
    quarterly_update_save(
        action=plan.actions.order_by("-pk")[0],
        quarter=template_2021.quarters.last(),
        user=None,
        progress="Late",
        status="red",
    )
    wmd_template = template_create_from_content(
        vru=west_midlands, year=2021, title="WMD 2021", themes=london_template().themes_2021, published=True
    )
    plan_create(area=Organisation.objects.get(code="E22000335"), template=wmd_template, user=None)
    Publication.objects.create(vru=west_midlands, year=2021, published_by=None)
    large = counts(pages)

    assert plan.actions.count() > 20 and plan.actions.filter(quarterly_updates__quarter__number=4).exists()
    assert large == small
