"""What the permission matrix cannot show: with London and the West Midlands both holding plans, updates and tokens,
lists, searches, suggestions, counts and exports computed for one VRU hold nothing of the other, and they hold all
of their own (each checked against a count made here from the fixture)."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.isolation.conftest import LONDON_AREAS, OUTCOMES, Q2, WM_AREAS
from tests.isolation.london import london_in, london_markers
from vrhub.learning.selectors import emerging_themes, library_search, similar_work
from vrhub.plans.models import Plan
from vrhub.transparency.models import ApiToken, Publication
from vrhub.transparency.services import publication_publish

pytestmark = pytest.mark.django_db


def _bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_lists_and_fetches_only_its_own_vrus_plans(client, two_vrus):
    for mine, theirs in (("wm", "london"), ("london", "wm")):
        own_ids = set(
            Plan.objects.filter(area__vru=two_vrus[mine]["vru"], is_current=True).values_list("pk", flat=True)
        )
        assert len(own_ids) == 4
        for key in (two_vrus[mine]["admin_key"], two_vrus[mine]["key"]):
            listed = client.get(reverse("transparency:api_plans"), **_bearer(key)).json()["plans"]
            # The VRU's admin reads its four plans; a borough's editor its own and its peers' accepted ones: the same.
            assert {p["id"] for p in listed} == own_ids, mine
            for plan in two_vrus[theirs]["plans"].values():
                response = client.get(reverse("transparency:api_plan", args=[plan.pk]), **_bearer(key))
                assert response.status_code == 404
                assert plan.area.name not in response.content.decode()
        summary = client.get(
            reverse("transparency:api_london_summary", args=[2021]), **_bearer(two_vrus[mine]["admin_key"])
        )
        assert summary.status_code == 200
        codes = set(LONDON_AREAS if mine == "london" else WM_AREAS)
        text = summary.content.decode()
        assert all(code in text for code in codes)
        assert not any(code in text for code in (WM_AREAS if mine == "london" else LONDON_AREAS))


def test_a_vru_admin_sees_and_revokes_only_its_own_vrus_tokens(client, two_vrus):
    for mine, theirs in (("london", "wm"), ("wm", "london")):
        client.force_login(two_vrus[mine]["admin"])
        page = client.get(reverse("accounts:vru_tokens")).content.decode()
        assert two_vrus[mine]["token"].name in page
        assert two_vrus[theirs]["token"].name not in page
        for token in (two_vrus[theirs]["token"], two_vrus[theirs]["admin_token"]):
            assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
            assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
            assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    # Their own editor's token, the admin may revoke (the check above could fail).
    response = client.post(reverse("accounts:token_revoke", args=[two_vrus["wm"]["token"].pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=two_vrus["wm"]["token"].pk).revoked_at is not None


@pytest.mark.parametrize("who", ["admin", "viewer"])
def test_library_search_finds_only_the_own_vrus_actions(client, two_vrus, who):
    for mine in ("london", "wm"):
        codes = LONDON_AREAS if mine == "london" else WM_AREAS
        # Independently: the areas of this VRU whose outcome speaks of e-scooters (all four) and none of the other's.
        expected = {c for c in codes if "e-scooter" in OUTCOMES[c].lower()}
        user = two_vrus[mine][who]
        found = library_search(user=user, q="e-scooter")
        assert {row["action"].plan.area.code for row in found} == expected
        client.force_login(user)
        page = client.get(reverse("learning:library"), {"q": "e-scooter"}).content.decode()
        other = WM_AREAS if mine == "london" else LONDON_AREAS
        assert not any(OUTCOMES[c] in page for c in other)
        assert all(OUTCOMES[c] in page for c in expected)


def test_similar_work_suggests_only_the_own_vrus_actions(client, two_vrus):
    wm = two_vrus["wm"]
    action = wm["plans"]["E22000335"].actions.get(code="GOV-M1")
    rows = similar_work(action=action, user=wm["editor"])["rows"]
    # Coventry, Dudley and Sandwell write of towpaths, canals and e-scooters too; London only of e-scooters.
    assert {r["action"].plan.area.code for r in rows} == set(WM_AREAS) - {"E22000335"}
    client.force_login(wm["editor"])
    page = client.get(reverse("learning:similar", args=[action.plan_id, action.pk]))
    assert page.status_code == 200
    assert london_in(page.content, london_markers(extra=tuple(OUTCOMES[c] for c in LONDON_AREAS))) == []


def test_emerging_themes_are_counted_per_vru(client, two_vrus):
    for mine, word, other_word in (("london", "zombie", "towpath"), ("wm", "towpath", "zombie")):
        vru = two_vrus[mine]["vru"]
        rows = emerging_themes(vru=vru, year=2021, quarter=2)
        theme = next(r for r in rows if word in r["term"].lower())
        # Independently: the areas of this VRU whose quarter 2 updates use the word (none did in quarter 1).
        plans = two_vrus[mine]["plans"].values()
        writers = {
            p.area.name
            for p in plans
            for u in p.actions.get(code="GOV-M1").quarterly_updates.all()
            if word in u.progress.lower()
        }
        assert len(writers) == 4
        assert sorted(theme["boroughs"]) == sorted(writers)
        assert theme["count"] == len(writers) and theme["previous"] == 0
        assert not any(other_word in r["term"].lower() for r in rows)
        client.force_login(two_vrus[mine]["reviewer"])
        page = client.get(reverse("learning:emerging", args=[2021]), {"quarter": 2}).content.decode()
        assert other_word not in page.lower()
        assert word in page.lower()


def test_exports_of_a_west_midlands_plan_hold_nothing_of_london(client, two_vrus):
    wm = two_vrus["wm"]
    markers = london_markers(extra=tuple(OUTCOMES[c] for c in LONDON_AREAS))
    plan = wm["plans"]["E22000335"]
    client.force_login(wm["editor"])
    # Each export holds Birmingham's own words (so that it is not empty), and nothing of London.
    for url, own in (
        (reverse("workbooks:download", args=[plan.pk]), OUTCOMES["E22000335"]),
        (reverse("workbooks:updates_download", args=[plan.pk, 2]), Q2["wm"][0].format(name="Birmingham")),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        book = load_workbook(io.BytesIO(response.content))
        cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
        assert own in cells, url
        assert london_in(cells, markers) == [], url
    action = plan.actions.get(code="GOV-M1")
    history = client.get(reverse("cycle:history", args=[plan.pk, action.pk]) + "?format=csv")
    assert history.status_code == 200
    assert (
        ",Created,GOV-M1 " in history.content.decode()
    )  # the action's own history (the fixture's edits are not audited)
    assert london_in(history.content, markers) == []


def test_publishing_through_londons_url_acts_on_the_admins_own_vru(client, two_vrus):
    london, wm = two_vrus["london"], two_vrus["wm"]
    publication_publish(vru=london["vru"], year=2021, user=london["admin"])
    client.force_login(wm["admin"])
    # Ids of London's plans sent as "what I saw": refused, naming none of London's boroughs.
    response = client.post(
        reverse("transparency:publish", args=[2021]),
        {"confirm": "yes", "plans": ",".join(str(p.pk) for p in london["plans"].values())},
        follow=True,
    )
    body = response.content.decode()
    assert "The preview is out of date" in body
    assert london_in(body, london_markers()) == []
    assert not Publication.objects.filter(vru=wm["vru"]).exists()
    # The West Midlands admin's confirmed preview publishes the West Midlands' plans, and London's stay as they were.
    preview = client.get(reverse("transparency:publish", args=[2021])).content.decode()
    assert london_in(preview, london_markers(extra=tuple(OUTCOMES[c] for c in LONDON_AREAS))) == []
    wm_ids = ",".join(str(pk) for pk in sorted(p.pk for p in wm["plans"].values()))
    client.post(reverse("transparency:publish", args=[2021]), {"confirm": "yes", "plans": wm_ids})
    assert Publication.objects.filter(vru=wm["vru"], year=2021).exists()
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("transparency:csv", args=["VRU-WMD", 2021])).content.decode()))
    )
    text = json.dumps(rows)
    assert {r["area_code"] for r in rows} == set(WM_AREAS)
    assert all(OUTCOMES[c] in text for c in WM_AREAS)
    assert london_in(text, london_markers()) == []
    # Withdrawing through the same URL takes the West Midlands' year down, never London's.
    client.post(reverse("transparency:withdraw", args=[2021]), {"reason": "Published too early"})
    assert not Publication.objects.filter(vru=wm["vru"], year=2021).exists()
    assert Publication.objects.filter(vru=london["vru"], year=2021).exists()
