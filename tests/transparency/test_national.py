"""The national view (/public/national/, its CSV and /api/v1/public/national): every CSP area with what it has
published, across two VRUs and areas in none. Every figure is checked against a computation made here from the
database rows; drafts, plans not yet published, unpublished strategies and people's names never appear."""

import csv
import io
import json

import lxml.html
import pytest
from django.urls import reverse

from tests.duty import factories as duty_factories
from tests.factories import PlanFactory, TemplateFactory
from vrhub.cycle.palette import contrast_ratio
from vrhub.duty.models import Strategy
from vrhub.organisations.models import Boundary, Organisation
from vrhub.plans.models import Plan
from vrhub.transparency.models import Publication
from vrhub.transparency.national_map import STYLES

pytestmark = pytest.mark.django_db

PAGE = reverse("transparency:national")
CSV_URL = reverse("transparency:national_csv")
API = reverse("transparency:api_national")
AREA = Organisation.Kind.AREA
# Areas of England in no VRU on vrhub (valid ONS CSP codes), one of them in a police force area.
UNASSIGNED = {"E22000290": "Adur", "E22000031": "Allerdale", "E22000037": "Amber Valley"}


def square(lon: float, lat: float, size: float = 0.05) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def world(london, west_midlands, template_2021):
    """London (2021 published: Havering and Lambeth accepted, Hackney a draft; 2022 accepted but not published),
    the West Midlands (2022 published: Birmingham accepted, synthetic), three unassigned areas; strategies:
    Havering's published (a draft version 2 beside it), Lambeth only a draft, Solihull only superseded, Dudley
    published, and the West Midlands' published footprint strategy covering Walsall."""
    area = {a.code: a for a in Organisation.objects.filter(kind=AREA)}
    PlanFactory(area=area["E09000016"], template=template_2021, state=Plan.State.ACCEPTED)
    PlanFactory(area=area["E09000022"], template=template_2021, state=Plan.State.ACCEPTED)
    PlanFactory(area=area["E09000012"], template=template_2021, state=Plan.State.DRAFT)
    london_2022 = TemplateFactory(vru=london, year=2022)
    PlanFactory(area=area["E09000016"], template=london_2022, state=Plan.State.ACCEPTED)
    Publication.objects.create(vru=london, year=2021)
    wm_2022 = TemplateFactory(vru=west_midlands, year=2022)
    PlanFactory(area=area["E22000335"], template=wm_2022, state=Plan.State.ACCEPTED, synthetic=True)
    PlanFactory(area=area["E22000336"], template=wm_2022, state=Plan.State.SUBMITTED)
    Publication.objects.create(vru=west_midlands, year=2022)

    sussex = Organisation.objects.create(kind=Organisation.Kind.POLICE_FORCE, code="E23000033", name="Sussex Police")
    for code, name in UNASSIGNED.items():
        Organisation.objects.create(
            kind=AREA, code=code, csp_code=code, name=name, police_force=sussex if code == "E22000290" else None
        )

    def strategy(code, state, version=1, title=None, **kwargs):
        partnership = duty_factories.PartnershipFactory(area=Organisation.objects.get(code=code), **kwargs)
        dates = {"published_on": "2025-04-01", "next_review": "2026-04-01"} if state != Strategy.State.DRAFT else {}
        return duty_factories.StrategyFactory(
            partnership=partnership, state=state, version=version, title=title or f"Strategy of {code}", **dates
        )

    havering = strategy("E09000016", Strategy.State.PUBLISHED, title="Havering strategy in force")
    duty_factories.StrategyFactory(partnership=havering.partnership, version=2, title="Havering DRAFT v2")
    strategy("E09000022", Strategy.State.DRAFT, title="Lambeth DRAFT strategy")
    strategy("E22000339", Strategy.State.SUPERSEDED, title="Solihull SUPERSEDED strategy")
    strategy("E22000337", Strategy.State.PUBLISHED, title="Dudley strategy")
    footprint = strategy(
        "VRU-WMD", Strategy.State.PUBLISHED, title="West Midlands footprint strategy", vru=west_midlands
    )
    footprint.partnership.covers.add(area["E22000340"])
    duty_factories.SpecifiedAuthorityFactory(partnership=havering.partnership, lead_name="Secret Leadperson")
    return {"london": london, "west_midlands": west_midlands}


# An independent computation from the database rows -----------------------------------------------------------


def expected() -> dict[str, dict]:
    """Each area's published plan years and published strategy, read row by row (not through the selectors)."""
    published = set(Publication.objects.values_list("vru_id", "year"))
    out = {}
    for area in Organisation.objects.filter(kind=AREA).select_related("vru", "police_force"):
        years = {
            p.template.year
            for p in Plan.objects.filter(area=area).select_related("template")
            if p.state == "accepted" and (area.vru_id, p.template.year) in published
        }
        strategies = [s for s in Strategy.objects.filter(partnership__area=area) if s.state == "published"]
        footprint = [s for s in Strategy.objects.filter(partnership__covers=area) if s.state == "published"]
        chosen = (strategies or footprint or [None])[0]
        out[area.code] = {
            "name": area.name,
            "vru": area.vru.code if area.vru else None,
            "vru_name": area.vru.name if area.vru else "Not in a VRU on vrhub",
            "force": area.police_force.code if area.police_force else None,
            "force_name": area.police_force.name if area.police_force else "Not recorded",
            "years": years,
            "latest": max(years) if years else None,
            "strategy": chosen,
            "strategy_url": reverse(
                "transparency:duty_strategy", args=[chosen.partnership.vru.code, chosen.partnership.area.code]
            )
            if chosen
            else None,
        }
    return out


def label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def sentence(n: int, m: int, one: str, many: str, rest: str) -> str:
    return f"{n} of {m} area{'' if m == 1 else 's'} {one if n == 1 else many} {rest}"


def expected_totals(rows: dict[str, dict]) -> list[str]:
    m = len(rows)
    years = sorted(set(Publication.objects.values_list("year", flat=True)), reverse=True)
    words = [
        sentence(sum(y in r["years"] for r in rows.values()), m, "has", "have", f"a published plan for {label(y)}")
        for y in years
    ]
    if len(years) > 1:
        with_plan = sum(bool(r["years"]) for r in rows.values())
        words.append(sentence(with_plan, m, "has", "have", "a published plan for at least one year"))
    with_strategy = sum(r["strategy"] is not None for r in rows.values())
    words.append(sentence(with_strategy, m, "has", "have", "a published Serious Violence Duty strategy"))
    words.append(sentence(sum(r["vru"] is None for r in rows.values()), m, "is", "are", "not in a VRU on vrhub"))
    return words


def page_rows(doc) -> dict[str, dict]:
    rows = {}
    for tr in doc.xpath("//table[@data-testid='areas']/tbody/tr"):
        cells = tr.xpath("./td")
        rows[tr.get("data-area")] = {
            "vru": cells[0].text_content().strip(),
            "force": cells[1].text_content().strip(),
            "plan": cells[2].text_content().strip(),
            "plan_href": [a.get("href") for a in cells[2].xpath(".//a")],
            "strategy": cells[3].text_content().strip(),
            "strategy_href": [a.get("href") for a in cells[3].xpath(".//a")],
            "status": tr.get("data-status"),
        }
    return rows


def get_doc(client, query: str = "", status: int = 200):
    response = client.get(PAGE + query)
    assert response.status_code == status
    return lxml.html.fromstring(response.content.decode()), response.content.decode()


# The page ------------------------------------------------------------------------------------------------------


def test_every_area_with_what_it_has_published_and_nothing_else(client, world):
    doc, body = get_doc(client)
    want = expected()
    rows = page_rows(doc)
    assert set(rows) == set(want) and len(rows) == 32 + 7 + 3
    for code, w in want.items():
        row = rows[code]
        if w["latest"] is None:
            assert row["plan"] == "No published plan" and row["plan_href"] == []
        else:
            assert row["plan"].startswith(label(w["latest"]))
            assert row["plan_href"] == [reverse("transparency:plans", args=[w["vru"], w["latest"]])]
        if w["strategy"] is None:
            assert row["strategy"] == "None published" and row["strategy_href"] == []
        else:
            assert row["strategy"].startswith(w["strategy"].title) and row["strategy_href"] == [w["strategy_url"]]
        assert (row["vru"], row["force"]) == (w["vru_name"], w["force_name"]), code
    # the cases the world was built for, by name
    assert rows["E09000016"]["plan"].startswith("2021/22")  # its accepted 2022 plan is not published
    assert rows["E09000012"]["plan"] == "No published plan"  # Hackney: a draft
    assert rows["E22000336"]["plan"] == "No published plan"  # Coventry: submitted, not accepted
    assert rows["E09000022"]["strategy"] == "None published"  # Lambeth: a draft only
    assert rows["E22000339"]["strategy"] == "None published"  # Solihull: superseded only
    assert "covering the area" in rows["E22000340"]["strategy"]  # Walsall: the VRU's footprint strategy
    assert rows["E22000290"]["force"] == "Sussex Police" and rows["E22000031"]["force"] == "Not recorded"
    for secret in ("DRAFT", "SUPERSEDED", "Secret Leadperson"):
        assert secret not in body
    # the synthetic plan is labelled, on its row and at the top
    assert "Synthetic" in doc.xpath("//tr[@data-area='E22000335']/th")[0].text_content()
    assert "Synthetic" not in doc.xpath("//tr[@data-area='E09000016']/th")[0].text_content()
    assert doc.xpath("//*[@data-testid='synthetic']")
    # totals in words, against the computation above
    assert [li.text_content().strip() for li in doc.xpath("//*[@data-testid='totals']//li")] == expected_totals(want)
    assert "3 of 42 areas have a published plan for at least one year" in body  # what the world was built with
    check_vrus(doc)


def check_vrus(doc):
    """Each VRU's row: its areas, the years it has published (links) and its areas with a strategy."""
    vrus = {tr.get("data-vru"): tr for tr in doc.xpath("//table[@data-testid='vrus']/tbody/tr")}
    assert set(vrus) == set(Organisation.objects.filter(kind="vru").values_list("code", flat=True))
    want = expected()
    for code, tr in vrus.items():
        cells = tr.xpath("./td")
        areas = Organisation.objects.filter(kind=AREA, vru__code=code).count()
        assert cells[0].text_content().strip() == str(areas)
        years = sorted(Publication.objects.filter(vru__code=code).values_list("year", flat=True))
        assert [a.get("href") for a in cells[1].xpath(".//a")] == [
            reverse("transparency:plans", args=[code, y]) for y in years
        ]
        with_strategy = sum(1 for w in want.values() if w["vru"] == code and w["strategy"] is not None)
        assert cells[2].text_content().strip().startswith(f"{with_strategy} of {areas} area")
        assert [a.get("href") for a in cells[2].xpath(".//a")] == [reverse("transparency:duty_strategies", args=[code])]


FILTERS = [
    ("?vru=VRU-WMD", lambda w: w["vru"] == "VRU-WMD"),
    ("?vru=none", lambda w: w["vru"] is None),
    ("?police_force=E23000033", lambda w: w["force"] == "E23000033"),
    ("?police_force=none", lambda w: w["force"] is None),
    ("?status=plan-only", lambda w: w["latest"] is not None and w["strategy"] is None),
    ("?status=plan-and-strategy", lambda w: w["latest"] is not None and w["strategy"] is not None),
    ("?status=strategy-only", lambda w: w["latest"] is None and w["strategy"] is not None),
    ("?vru=VRU-LDN&status=neither", lambda w: w["vru"] == "VRU-LDN" and not w["latest"] and not w["strategy"]),
]


def test_filters_and_sorting_and_bad_values(client, world):
    want = expected()
    for query, keep in FILTERS:
        doc, _ = get_doc(client, query)
        shown = {code: w for code, w in want.items() if keep(w)}
        assert shown, f"{query}: the world has no such area, so the filter is not tested"
        assert set(page_rows(doc)) == set(shown), query
        totals = [li.text_content().strip() for li in doc.xpath("//*[@data-testid='totals']//li")]
        assert totals == expected_totals(shown), query
    # a filter matching nothing says so
    doc, _ = get_doc(client, "?vru=none&status=plan-only")
    assert doc.xpath("//*[@data-testid='no-rows']") and not doc.xpath("//table[@data-testid='areas']")
    check_bad_filters(client)
    check_sorting(client)


BAD = [
    ("?vru=VRU-NOPE", "“VRU-NOPE” is not a VRU on vrhub"),
    ("?police_force=E23999999", "“E23999999” is not a police force area code"),
    ("?sort=secret", "“secret” is not a column of the table"),
    ("?dir=sideways", "“sideways” is not asc or desc"),
    ("?vru=" + "X" * 5000, "“" + "X" * 60 + "” is not a VRU on vrhub"),
    ("?vru=%00VRU-LDN", "is not a VRU on vrhub"),
]


def check_bad_filters(client):
    """Each bad value is named (400), on the page and for the CSV; the good filter beside it still applies."""
    for query, message in [*BAD, ("?status=published", "“published” is not one of the choices")]:
        good = "" if "status" in query else "&status=plan-only"
        doc, _ = get_doc(client, query + good, status=400)
        assert message in doc.xpath("//div[@class='govuk-error-summary']")[0].text_content(), query
        if good:
            assert {r["status"] for r in page_rows(doc).values()} == {"plan-only"}, query
        csv_response = client.get(CSV_URL + query)
        assert csv_response.status_code == 400 and message in csv_response.content.decode(), query


def check_sorting(client):
    want = expected()
    names = {code: w["name"] for code, w in want.items()}
    doc, _ = get_doc(client, "?sort=plan&dir=desc")
    order = list(page_rows(doc))
    with_plan = sorted((c for c in want if want[c]["latest"]), key=lambda c: (-want[c]["latest"], names[c]))
    without = sorted((c for c in want if not want[c]["latest"]), key=lambda c: names[c])
    assert order == with_plan + without  # newest first, then A to Z; areas without a plan last, A to Z
    assert doc.xpath("//th[@aria-sort='descending']")[0].text_content().strip() == "Latest published plan"
    doc, _ = get_doc(client, "?sort=area")
    assert list(page_rows(doc)) == sorted(want, key=lambda c: (names[c], c))
    doc, _ = get_doc(client, "?sort=vru&vru=VRU-WMD")
    # the column links keep the filter and offer the other order
    link = doc.xpath("//th[@aria-sort='ascending']/a")[0].get("href")
    assert "vru=VRU-WMD" in link and "dir=desc" in link


# Map -----------------------------------------------------------------------------------------------------------


def test_the_map_draws_each_area_by_status_with_a_legend(client, world):
    want = expected()
    codes = sorted(want)
    for i, code in enumerate(codes[:-1]):  # the last area has no boundary
        area = Organisation.objects.get(code=code)
        Boundary.objects.create(organisation=area, geometry=square(-2 + (i % 7) * 0.1, 52 + (i // 7) * 0.1), source="t")
    doc, _ = get_doc(client)
    svg = doc.xpath("//*[@data-testid='map']//svg")[0]
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "national-map-title national-map-desc"
    assert svg.xpath(".//title[@id='national-map-title']") and svg.xpath(".//desc[@id='national-map-desc']")
    paths = {p.get("data-area"): p.get("data-status") for p in svg.xpath(".//path[@data-area]")}
    rows = page_rows(doc)
    assert paths == {code: rows[code]["status"] for code in codes[:-1]}
    assert want[codes[-1]]["name"] in doc.xpath("//*[@data-testid='without-boundary']")[0].text_content()
    legend = [li.text_content() for li in doc.xpath("//*[@data-testid='legend']/li")]
    for style, text in zip(STYLES, legend, strict=True):
        n = sum(1 for s in paths.values() if s == style.status)
        assert text.strip().startswith(style.label) and text.strip().endswith(f": {n} area{'' if n == 1 else 's'}")
        assert style.words in text
    # filtered, the map shows the filtered areas only
    doc, _ = get_doc(client, "?vru=VRU-WMD")
    assert {p.get("data-area") for p in doc.xpath("//*[@data-testid='map']//path[@data-area]")} == {
        c for c in codes[:-1] if want[c]["vru"] == "VRU-WMD"
    }


def test_without_boundaries_the_page_says_so_instead_of_an_empty_map(client, world):
    doc, _ = get_doc(client)
    assert not doc.xpath("//*[@data-testid='map']//svg")
    assert "boundaries have not been loaded" in doc.xpath("//*[@data-testid='no-map']")[0].text_content()
    # a malformed stored geometry is no map either, never a 500
    Boundary.objects.create(
        organisation=Organisation.objects.get(code="E09000016"), geometry={"type": "Polygon", "coordinates": "x"}
    )
    doc, _ = get_doc(client)
    assert not doc.xpath("//*[@data-testid='map']//svg") and doc.xpath("//*[@data-testid='no-map']")


def test_each_status_differs_by_pattern_and_by_shade_not_colour_alone():
    # shades: each at least 1.5:1 from the next, darkest first, so they are told apart in greyscale too
    for darker, lighter in zip(STYLES, STYLES[1:], strict=False):
        assert contrast_ratio(darker.fill, lighter.fill) >= 1.5, (darker.status, lighter.status)
    # patterns: no two statuses share one (solid and plain white differ by shade: darkest and white)
    patterns = [s.words.split(",")[0] for s in STYLES]
    assert len(set(patterns)) == len(STYLES)
    assert contrast_ratio(STYLES[0].fill, "#ffffff") >= 3


# CSV and API -----------------------------------------------------------------------------------------------------


def test_csv_is_the_table_with_formulas_made_inert(client, world):
    want = expected()
    response = client.get(CSV_URL + "?vru=VRU-WMD")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["area_code"] for r in rows} == {c for c, w in want.items() if w["vru"] == "VRU-WMD"}
    for r in rows:
        w = want[r["area_code"]]
        assert r["latest_published_plan_year"] == (str(w["latest"]) if w["latest"] else "")
        assert r["strategy_url"] == ("http://testserver" + w["strategy_url"] if w["strategy"] else "")
        assert r["synthetic"] == ("yes" if r["area_code"] == "E22000335" else "no")
    everything = list(csv.DictReader(io.StringIO(client.get(CSV_URL).content.decode())))
    assert len(everything) == len(want)
    # a formula in a name is made inert
    Organisation.objects.filter(code="E22000290").update(name='=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(client.get(CSV_URL + "?vru=none").content.decode())))
    assert '\'=HYPERLINK("http://evil")' in {r["area"] for r in rows}


def test_open_data_json_shape_and_values(client, world):
    response = client.get(API)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert set(data) == {"generated_at", "vrus", "areas"}
    want = expected()
    assert {a["code"] for a in data["areas"]} == set(want)
    for a in data["areas"]:
        w = want[a["code"]]
        assert {"code", "csp_code", "name", "vru", "police_force", "latest_published_plan", "strategy"} <= set(a)
        assert (a["vru"], a["police_force"]) == (w["vru"], w["force"])
        if w["latest"] is None:
            assert a["latest_published_plan"] is None
        else:
            assert a["latest_published_plan"]["year"] == w["latest"]
            assert a["latest_published_plan"]["url"] == "http://testserver" + reverse(
                "transparency:plans", args=[w["vru"], w["latest"]]
            )
        if w["strategy"] is None:
            assert a["strategy"] is None
        else:
            assert a["strategy"]["url"] == "http://testserver" + w["strategy_url"]
            assert a["strategy"]["published_at"] == w["strategy"].published_on.isoformat()
    for v in data["vrus"]:
        assert {"code", "name", "areas", "published_plan_years", "url"} <= set(v)
        assert v["areas"] == Organisation.objects.filter(kind=AREA, vru__code=v["code"]).count()
        assert v["published_plan_years"] == sorted(
            Publication.objects.filter(vru__code=v["code"]).values_list("year", flat=True)
        )
    text = response.content.decode()
    for secret in ("DRAFT", "SUPERSEDED", "Secret Leadperson"):
        assert secret not in text
    # declared in the OpenAPI document, without a token
    spec = client.get(reverse("transparency:api_openapi")).json()
    assert "security" not in spec["paths"]["/public/national"]["get"]


def test_the_public_index_links_to_the_national_view(client, db):
    body = client.get(reverse("transparency:index")).content.decode()
    assert f'href="{PAGE}"' in body


# Queries ---------------------------------------------------------------------------------------------------------


def grow(start: int, n: int) -> None:
    """n more VRUs, each with three areas (boundaries, an accepted published plan each, a published strategy)."""
    for i in range(start, start + n):
        vru = Organisation.objects.create(kind="vru", code=f"VRU-T{i}", name=f"Test VRU {i}")
        template = TemplateFactory(vru=vru, year=2023)
        Publication.objects.create(vru=vru, year=2023)
        for j in range(3):
            code = f"E22{900000 + i * 10 + j}"
            area = Organisation.objects.create(kind=AREA, code=code, csp_code=code, name=f"T{i}-{j}", vru=vru)
            Boundary.objects.create(organisation=area, geometry=square(-1 + j * 0.1, 51 + i * 0.1), source="t")
            PlanFactory(area=area, template=template, state=Plan.State.ACCEPTED)
            partnership = duty_factories.PartnershipFactory(area=area, vru=vru)
            duty_factories.StrategyFactory(
                partnership=partnership, state="published", published_on="2025-01-01", next_review="2026-01-01"
            )


# The page reads: published plans, strategies, footprints' areas, publications, areas, VRUs, police forces and
# the shown areas' boundaries. The CSV and the API read the same but the boundaries.
QUERIES = {PAGE: 8, CSV_URL: 7, API: 7}


def test_queries_do_not_grow_with_vrus_areas_and_plans(client, world, django_assert_num_queries):
    grow(0, 1)
    for url, n in QUERIES.items():
        with django_assert_num_queries(n):
            assert client.get(url).status_code == 200
    grow(1, 4)
    assert Organisation.objects.filter(kind="vru").count() == 7
    for url, n in QUERIES.items():
        with django_assert_num_queries(n):
            assert client.get(url).status_code == 200
