"""Links: a plan's page lists the funded programmes behind its actions (only those the viewer may see), and
the Serious Violence Duty strategy's "funding and resources" lists the programmes serving its area (published,
or the area's own), with amounts for the strategy's financial years. The public strategy page shows no
unpublished programme."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.duty import factories as duty_f
from tests.factories import UserFactory
from tests.programmes import factories as f
from vrhub.accounts.models import User
from vrhub.duty.models import Strategy
from vrhub.duty.selectors.strategy import funded_programmes
from vrhub.organisations.models import Organisation
from vrhub.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(programmes_world, plan, havering):
    """Havering's plan's first action supported by the London-wide LDN-1 and Havering's HAV-1; LDN-2 (serving
    Lambeth only) is linked too (as if it had been), to prove Havering's people never see it."""
    action = plan.actions.first()
    for key in ("vru_programme", "havering_programme", "vru_lambeth_programme"):
        programmes_world[key].plan_actions.add(action)
    f.ProgrammeAmountFactory(programme=programmes_world["havering_programme"], year=2021, amount=Decimal("12345.67"))
    return {"plan": plan, "action": action, **programmes_world}


def test_plan_page_lists_visible_programmes(client, linked, havering):
    viewer = UserFactory(organisation=havering, role=User.Role.BOROUGH_VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("plans:detail", args=[linked["plan"].pk])).content.decode()
    assert "Funded programmes behind this plan" in page
    section = page[page.index('data-testid="plan-funded-programmes"') :]
    section = section[: section.index("</table>")]
    assert 'data-reference="HAV-1"' in section
    assert 'data-reference="LDN-1"' in section
    assert 'data-reference="LDN-2"' not in section
    hav = section[section.index('data-reference="HAV-1"') :]
    hav = hav[: hav.index("</tr>")]
    assert "£12,345.67" in hav  # the plan's year, 2021/22
    assert "£72,345.67" in hav  # every year: 60,000.00 + 12,345.67
    assert "Amount 2021/22" in section
    ldn = section[section.index('data-reference="LDN-1"') :]
    assert "No data" in ldn[: ldn.index("</tr>")]


def test_plan_page_without_programmes_has_no_section(client, plan, editor):
    client.force_login(editor)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Funded programmes behind" not in page


def _strategy(area, **kwargs):
    partnership = duty_f.PartnershipFactory(area=area)
    return duty_f.StrategyFactory(partnership=partnership, **kwargs)


def test_strategy_funded_programmes_for_lambeth(programmes_world, lambeth):
    strategy = _strategy(
        lambeth,
        state=Strategy.State.PUBLISHED,
        published_on=dt.date(2020, 6, 1),
        next_review=dt.date(2021, 6, 1),
    )
    f.ProgrammeAmountFactory(programme=programmes_world["vru_lambeth_programme"], year=2021, amount=Decimal("5.00"))
    f.ProgrammeAmountFactory(programme=programmes_world["vru_programme"], year=2022, amount=Decimal("7.00"))
    rows = {r["programme"].reference: r for r in funded_programmes(strategy=strategy)}
    # LDN-1 London-wide, LDN-2 serves Lambeth, LAM-1 Lambeth's own (unpublished, but the area's own);
    # HAV-1 serves Havering only.
    assert set(rows) == {"LDN-1", "LDN-2", "LAM-1"}
    assert rows["LDN-2"]["amount"] == Decimal("60005.00")  # 2020/21 and 2021/22
    assert rows["LDN-1"]["amount"] == Decimal("60000.00")  # 2022/23 is outside the strategy's years
    assert rows["LDN-1"]["years"] == "2020/21 to 2021/22"


def test_strategy_leaves_out_another_bodys_unpublished_programme(programmes_world, havering):
    Programme.objects.filter(reference="LDN-1").update(published=False)
    strategy = _strategy(havering, published_on=None)
    assert {r["programme"].reference for r in funded_programmes(strategy=strategy)} == {"HAV-1"}


def test_strategy_amount_no_data(programmes_world, havering):
    strategy = _strategy(havering, state=Strategy.State.PUBLISHED, published_on=dt.date(2024, 5, 1))
    rows = funded_programmes(strategy=strategy)
    assert rows and all(r["amount"] is None for r in rows)


def test_strategy_page_shows_funding_and_resources(client, programmes_world, havering, editor):
    _strategy(havering, state=Strategy.State.PUBLISHED, published_on=dt.date(2020, 6, 1))
    client.force_login(editor)
    page = client.get(reverse("duty:strategy", args=[havering.code])).content.decode()
    section = page[page.index('data-testid="funded-programmes"') :]
    section = section[: section.index("</table>")]
    assert "Programme HAV-1" in section and "Programme LDN-1" in section
    assert "£60,000.00" in section
    assert "Home Office" in section
    assert "Programme LDN-2" not in section


def test_public_strategy_page_shows_no_unpublished_programme(client, programmes_world, lambeth, london):
    _strategy(lambeth, state=Strategy.State.PUBLISHED, published_on=dt.date(2020, 6, 1))
    response = client.get(reverse("transparency:duty_strategy", args=[london.code, lambeth.code]))
    assert response.status_code == 200
    assert "Programme LAM-1" not in response.content.decode()


def test_footprint_strategy_lists_programmes_of_the_areas_it_covers(programmes_world, london, lambeth):
    partnership = duty_f.PartnershipFactory(area=london, vru=london)
    partnership.covers.set([lambeth])
    strategy = duty_f.StrategyFactory(partnership=partnership, published_on=None)
    refs = {r["programme"].reference for r in funded_programmes(strategy=strategy)}
    assert refs == {"LDN-1", "LDN-2"}  # LAM-1 is Lambeth's and unpublished: not the footprint's own
    assert Organisation.objects.filter(pk=lambeth.pk).exists()
