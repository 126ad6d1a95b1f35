"""Programme pages: the list with its filters (amounts checked against the raw rows with pandas), setting a
programme up and changing it through the pages, and what lookers and strangers get."""

import re
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse

from tests.programmes import factories as f
from vrhub.plans.services import plan_create
from vrhub.programmes.models import Programme, ProgrammeAmount

pytestmark = pytest.mark.django_db


def _rows(page: str) -> dict[str, str]:
    """``{reference: amount cell text}`` of the list's table."""
    found = {}
    for match in re.finditer(r'data-reference="([^"]+)".*?data-testid="amount">([^<]*)<', page, re.S):
        found[match.group(1)] = match.group(2).strip()
    return found


def _pounds(value) -> str:
    return f"£{Decimal(value):,.2f}"


def test_list_amounts_for_the_chosen_year(client, programmes_world, vru_officer):
    w = programmes_world
    f.ProgrammeAmountFactory(programme=w["vru_programme"], year=2021, amount=Decimal("1234567.89"))
    client.force_login(vru_officer)
    page = client.get(reverse("programmes:index") + "?year=2021").content.decode()
    raw = pd.DataFrame(list(ProgrammeAmount.objects.filter(year=2021).values("programme__reference", "amount")))
    expected = {ref: _pounds(amount) for ref, amount in zip(raw["programme__reference"], raw["amount"], strict=True)}
    rows = _rows(page)
    assert set(rows) == {"LDN-1", "LDN-2", "HAV-1", "LAM-1"}
    for reference, text in rows.items():
        assert text == expected.get(reference, "No data")
    assert rows["LDN-1"] == "£1,234,567.89"
    assert "financial year 2021/22" in page


def test_list_defaults_to_the_latest_year_and_shows_synthetic(client, programmes_world, vru_officer):
    Programme.objects.filter(reference="LDN-1").update(synthetic=True)
    client.force_login(vru_officer)
    page = client.get(reverse("programmes:index")).content.decode()
    assert _rows(page)["HAV-1"] == "£60,000.00"
    ldn = page[page.index('data-reference="LDN-1"') :]
    assert "synthetic" in ldn[: ldn.index("</tr>")]
    hav = page[page.index('data-reference="HAV-1"') :]
    assert "synthetic" not in hav[: hav.index("</tr>")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("owner=E09000016", {"HAV-1"}),
        ("owner=VRU-LDN", {"LDN-1", "LDN-2"}),
        ("area=E09000022", {"LDN-1", "LDN-2", "LAM-1"}),  # London-wide serves Lambeth too
        ("area=E09000016", {"LDN-1", "HAV-1"}),
        ("area=NOPE", set()),
        ("source=Home+Office", {"LDN-1", "LDN-2", "HAV-1", "LAM-1"}),
        ("source=Nothing", set()),
        ("evaluation=reported", {"LDN-2"}),
        ("evaluation=bogus", {"LDN-1", "LDN-2", "HAV-1", "LAM-1"}),
        ("theme=abc", {"LDN-1", "LDN-2", "HAV-1", "LAM-1"}),
    ],
)
def test_filters(client, programmes_world, vru_officer, query, expected):
    Programme.objects.filter(reference="LDN-2").update(evaluation_status="reported")
    client.force_login(vru_officer)
    response = client.get(reverse("programmes:index") + "?" + query)
    assert response.status_code == 200
    assert set(_rows(response.content.decode())) == expected


def test_theme_filter(client, programmes_world, vru_officer, template_2021):
    theme = template_2021.themes.first()
    Programme.objects.filter(reference="HAV-1").update(theme=theme)
    client.force_login(vru_officer)
    page = client.get(reverse("programmes:index") + f"?theme={theme.pk}").content.decode()
    assert set(_rows(page)) == {"HAV-1"}


def test_borough_sees_its_own_and_those_serving_it(client, programmes_world, editor):
    client.force_login(editor)
    page = client.get(reverse("programmes:index")).content.decode()
    assert set(_rows(page)) == {"LDN-1", "HAV-1"}
    assert "Lambeth" not in page.split('id="f-area"', 1)[1].split("</select>", 1)[0]


def test_set_up_a_programme_through_the_pages(client, programmes_world, editor, havering, plan):
    client.force_login(editor)
    recipient = f.RecipientFactory(vru=havering.vru, name="Romford Youth", charity_number="1123456")
    response = client.post(
        reverse("programmes:programme_new"),
        {
            "reference": "HAV-2",
            "title": "Knife crime workshops",
            "recipient": str(recipient.pk),
            "funding_source": "__other__",
            "funding_source_other": "Council reserves",
            "start_date": "2020-04-01",
            "end_date": "2021-03-31",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get(reference="HAV-2")
    assert programme.funding_source == "Council reserves"
    assert response["Location"] == reverse("programmes:programme_amounts", args=[programme.pk])
    amounts = reverse("programmes:programme_amounts", args=[programme.pk])
    response = client.post(amounts, {"year": "2021", "amount": "100", "version": "1"})
    assert "outside the programme&#x27;s dates" in response.content.decode()
    response = client.post(amounts, {"year": "2020", "amount": "45,000.00", "estimated": "on", "version": "1"})
    assert response.status_code == 302
    page = client.get(amounts).content.decode()
    assert "estimated split" in page and "£45,000.00" in page
    response = client.post(
        reverse("programmes:programme_areas", args=[programme.pk]), {"areas": [str(havering.pk)], "version": "2"}
    )
    assert response.status_code == 302
    action = plan.actions.first()
    links = client.get(reverse("programmes:programme_links", args=[programme.pk])).content.decode()
    assert f'value="{action.pk}"' in links
    response = client.post(
        reverse("programmes:programme_links", args=[programme.pk]),
        {
            "plan_actions": [str(action.pk)],
            "objectives": [str(programmes_world["logic_model"]["objectives"][0].pk)],
            "version": "3",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("programmes:programme_detail", args=[programme.pk])).content.decode()
    assert "Charity number 1123456" in page
    assert "Supporting stronger families" in page
    assert action.code in page
    assert "£45,000.00" in page


def test_links_page_offers_only_the_served_areas_actions(client, programmes_world, editor, plan, template_2021):
    from vrhub.organisations.models import Organisation

    lambeth_plan = plan_create(area=Organisation.objects.get(code="E09000022"), template=template_2021, user=None).plan
    client.force_login(editor)
    page = client.get(
        reverse("programmes:programme_links", args=[programmes_world["havering_programme"].pk])
    ).content.decode()
    assert f'value="{plan.actions.first().pk}"' in page
    assert f'value="{lambeth_plan.actions.first().pk}"' not in page
    response = client.post(
        reverse("programmes:programme_links", args=[programmes_world["havering_programme"].pk]),
        {"plan_actions": [str(lambeth_plan.actions.first().pk)], "version": "1"},
    )
    assert response.status_code == 200
    assert "Choose the plan actions from the list" in response.content.decode()


def test_stale_form_refused_with_a_message(client, programmes_world, editor):
    programme = programmes_world["havering_programme"]
    client.force_login(editor)
    response = client.post(
        reverse("programmes:programme_edit", args=[programme.pk]),
        {"reference": "HAV-1", "title": "Changed", "version": "0"},
    )
    assert response.status_code == 200
    assert "Someone else changed this programme" in response.content.decode()
    programme.refresh_from_db()
    assert programme.title == "Programme HAV-1"


def test_lambeth_editor_cannot_reach_havering_programme(client, programmes_world, lambeth_editor):
    client.force_login(lambeth_editor)
    pk = programmes_world["havering_programme"].pk
    for name in ("programme_detail", "programme_edit", "programme_amounts", "programme_evaluation"):
        assert client.get(reverse(f"programmes:{name}", args=[pk])).status_code == 404
    assert client.get(reverse("programmes:programme_detail", args=[2**40])).status_code == 404


def test_detail_no_data_when_no_amount(client, programmes_world, editor):
    programme = programmes_world["havering_programme"]
    ProgrammeAmount.objects.filter(programme=programme).delete()
    client.force_login(editor)
    page = client.get(reverse("programmes:programme_detail", args=[programme.pk])).content.decode()
    assert "No data: no amount is recorded" in page
