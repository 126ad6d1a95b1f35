"""The Duty monitoring view: figures checked against counts taken straight from the models, query counts that do
not grow with the number of areas, access, filters, sorting, totals and the CSV download."""

import csv
import datetime as dt
import io

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.duty import factories as f
from tests.factories import AreaFactory, PlanActionFactory, TemplateFactory, UserFactory
from vrhub.accounts.models import User
from vrhub.duty.catalogue import AuthorityKind
from vrhub.duty.models import (
    Definition,
    InformationRequest,
    NeedsAssessment,
    Partnership,
    SharingAgreement,
    SnaSection,
    SpecifiedAuthority,
    Strategy,
)
from vrhub.organisations.models import Organisation

URL = "/duty/monitoring/"
CSV_URL = "/duty/monitoring/csv/"


def _today():
    return timezone.localdate()


def _ready(area, vru, template=None) -> Partnership:
    """Every element in place: a published strategy, reviewed on time, linked to a plan action."""
    p = f.complete_partnership(area=area, vru=vru)
    today = _today()
    strategy = f.StrategyFactory(
        partnership=p,
        state=Strategy.State.PUBLISHED,
        published_on=today - dt.timedelta(days=100),
        next_review=today + dt.timedelta(days=265),
    )
    extra = {"plan__template": template} if template else {}
    strategy.plan_actions.add(PlanActionFactory(plan__area=area, **extra))
    return p


@pytest.fixture
def world(london, havering, lambeth):
    """Havering ready; Lambeth part-way with overdue items; Barnet a bare partnership; the rest nothing."""
    today = _today()
    _ready(havering, london)
    lam = f.PartnershipFactory(area=lambeth, vru=london, synthetic=True)
    for kind in (AuthorityKind.POLICE, AuthorityKind.FIRE, AuthorityKind.HEALTH):
        f.SpecifiedAuthorityFactory(partnership=lam, kind=kind)
    f.SpecifiedAuthorityFactory(partnership=lam, kind=AuthorityKind.POLICE, organisation="A second police org")
    f.DefinitionFactory(partnership=lam, rationale="")
    assessment = f.AssessmentFactory(partnership=lam)
    SnaSection.objects.create(assessment=assessment, key="summary", text="Written")
    SnaSection.objects.create(assessment=assessment, key="population", text="Written")
    SnaSection.objects.create(assessment=assessment, key="problem", text="  ")
    f.StrategyFactory(
        partnership=lam,
        state=Strategy.State.PUBLISHED,
        published_on=today - dt.timedelta(days=500),
        next_review=today - dt.timedelta(days=3),
    )
    f.SharingAgreementFactory(partnership=lam, review_on=today - dt.timedelta(days=1))
    f.SharingAgreementFactory(partnership=lam, review_on=today - dt.timedelta(days=90))
    f.SharingAgreementFactory(partnership=lam, review_on=today + dt.timedelta(days=10))  # due soon: not overdue
    f.InformationRequestFactory(partnership=lam, due_on=today - dt.timedelta(days=2))
    f.InformationRequestFactory(  # answered late: never overdue
        partnership=lam,
        due_on=today - dt.timedelta(days=40),
        state=InformationRequest.State.ANSWERED,
        responded_on=today - dt.timedelta(days=30),
        answer="Sent",
    )
    f.InformationRequestFactory(partnership=lam, due_on=today + dt.timedelta(days=20))
    f.PartnershipFactory(area=Organisation.objects.get(code="E09000003"), vru=london)
    return london


def _login(client, code, role, office=""):
    user = UserFactory(organisation=Organisation.objects.get(code=code), role=role, office=office)
    client.force_login(user)
    return user


def _table(response) -> dict[str, list[str]]:
    """{area code: [area name, cell texts...]} as the page shows them (text of each cell, spaces collapsed)."""
    doc = lxml.html.fromstring(response.content.decode())
    rows = {}
    for tr in doc.xpath('//table[@data-testid="monitoring-table"]/tbody/tr'):
        rows[tr.get("data-area")] = [" ".join(c.text_content().split()) for c in tr.xpath("th|td")]
    return rows


def _columns(response) -> list[str]:
    doc = lxml.html.fromstring(response.content.decode())
    headings = doc.xpath('//table[@data-testid="monitoring-table"]/thead/tr/th')
    return [" ".join(th.text_content().split()) for th in headings]


def _cell(response, code: str, column: str) -> str:
    return _table(response)[code][_columns(response).index(column)]


def _independent(area: Organisation) -> dict:
    """The figures for one area, counted straight from the models (not through the monitoring selector)."""
    today = _today()
    p = Partnership.objects.filter(area=area).first()
    if p is None:
        return {"kinds": None, "agreements_overdue": 0, "requests_overdue": 0, "strategy_overdue": False}
    latest = NeedsAssessment.objects.filter(partnership=p).order_by("-year").first()
    strategy = Strategy.objects.filter(partnership=p, state="published").order_by("-version").first() or (
        Strategy.objects.filter(partnership=p, state="draft").order_by("-version").first()
    )
    return {
        "kinds": SpecifiedAuthority.objects.filter(partnership=p).values("kind").distinct().count(),
        "sections": sum(1 for s in SnaSection.objects.filter(assessment=latest) if s.text.strip()) if latest else None,
        "agreements_overdue": SharingAgreement.objects.filter(partnership=p, review_on__lt=today).count(),
        "requests_overdue": InformationRequest.objects.filter(partnership=p, state="open", due_on__lt=today).count(),
        "strategy_overdue": bool(strategy and strategy.next_review and strategy.next_review < today),
        "definition": Definition.objects.filter(partnership=p).first(),
    }


@pytest.mark.django_db
def test_every_area_of_the_vru_is_a_row_with_figures_counted_from_the_models(client, world):
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    response = client.get(URL)
    assert response.status_code == 200
    table = _table(response)
    areas = Organisation.objects.filter(kind=Organisation.Kind.AREA, vru=world)
    assert set(table) == set(areas.values_list("code", flat=True))
    assert len(table) == 32
    columns = _columns(response)
    for area in areas:
        row = dict(zip(columns, table[area.code], strict=True))
        truth = _independent(area)
        assert row["Area"] == area.name
        if truth["kinds"] is None:
            assert row["Specified authorities"] == "No record"
            assert row["Needs assessment"] == "Not started"
        else:
            assert row["Specified authorities"] == f"{truth['kinds']} of 6"
        expected_overdue = []
        if truth["strategy_overdue"]:
            expected_overdue.append("Strategy review")
        if truth["agreements_overdue"]:
            n = truth["agreements_overdue"]
            expected_overdue.append(f"{n} agreement review{'s' if n != 1 else ''}")
        if truth["requests_overdue"]:
            n = truth["requests_overdue"]
            expected_overdue.append(f"{n} information request{'s' if n != 1 else ''}")
        assert row["Overdue items"] == ("; ".join(expected_overdue) or "None")
        if truth["kinds"] is not None and truth["sections"] is not None:
            assert f"{truth['sections']} of 8 sections written" in row["Needs assessment"]
    # Lambeth, by hand: three kinds (police twice), two of eight sections, two agreements and one request overdue.
    lam = dict(zip(columns, table["E09000022"], strict=True))
    assert lam["Specified authorities"] == "3 of 6"
    assert lam["Needs assessment"] == "Draft, 2 of 8 sections written"
    assert lam["Definition"] == "Partial"
    assert lam["Overdue items"] == "Strategy review; 2 agreement reviews; 1 information request"
    assert lam["Next review"].endswith(" Overdue")
    assert lam["Data"] == "Synthetic demo data"
    hav = dict(zip(columns, table["E09000016"], strict=True))
    assert hav["Readiness"] == "Ready"
    assert hav["Definition"] == "Complete"
    assert hav["Data"] == "Recorded"
    assert "Published " in hav["Strategy"]
    # No raw codes reach the page.
    body = response.content.decode()
    for raw in ("not_started", ">draft<", ">published<", "local_authority"):
        assert raw not in body


@pytest.mark.django_db
def test_readiness_links_to_the_area_page_and_counts_what_is_missing(client, world):
    from vrhub.duty.selectors.readiness import area_readiness

    _login(client, "VRU-LDN", User.Role.VRU_ADMIN)
    response = client.get(URL)
    doc = lxml.html.fromstring(response.content.decode())
    lambeth = Organisation.objects.get(code="E09000022")
    link = doc.xpath('//tr[@data-area="E09000022"]/td/a[@href="/duty/E09000022/"]')
    assert link, "the readiness cell links to the area page"
    missing = len(area_readiness(area=lambeth).missing)
    assert missing > 0
    assert " ".join(link[0].text_content().split()) == f"{missing} missing"


@pytest.mark.django_db
def test_totals_row_and_summary(client, world):
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    response = client.get(URL)
    doc = lxml.html.fromstring(response.content.decode())
    ready_rows = sum(1 for cells in _table(response).values() if "Ready" in cells)
    assert ready_rows == 1  # Havering only
    assert doc.xpath('//*[@data-testid="ready-total"]')[0].text_content().strip() == "1 of 32 ready"
    assert "1 of 32 areas ready" in doc.xpath('//*[@data-testid="summary"]')[0].text_content()
    totals = " ".join(doc.xpath('//*[@data-testid="totals"]')[0].text_content().split())
    assert "4 items in 1 area" in totals  # Lambeth: strategy review, two agreements, one request
    assert "1 synthetic" in totals


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("ready", {"E09000016"}),
        ("overdue", {"E09000022"}),
    ],
)
def test_filters(client, world, show, expected):
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    response = client.get(URL, {"show": show})
    assert set(_table(response)) == expected


@pytest.mark.django_db
def test_not_ready_and_not_started_filters(client, world):
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    not_ready = set(_table(client.get(URL, {"show": "not-ready"})))
    assert "E09000016" not in not_ready and len(not_ready) == 31
    not_started = set(_table(client.get(URL, {"show": "not-started"})))
    # Barnet's bare partnership and the 29 areas without one; not Havering or Lambeth.
    assert "E09000003" in not_started and len(not_started) == 30
    assert {"E09000016", "E09000022"}.isdisjoint(not_started)


@pytest.mark.django_db
def test_sorting_by_readiness_and_by_name_descending(client, world):
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    rows = list(_table(client.get(URL, {"sort": "readiness"})))
    assert rows[0] == "E09000016"  # nothing missing
    names = [cells[0] for cells in _table(client.get(URL, {"sort": "name", "dir": "desc"})).values()]
    assert names == sorted(names, reverse=True)
    overdue_first = list(_table(client.get(URL, {"sort": "overdue", "dir": "desc"})))
    assert overdue_first[0] == "E09000022"


@pytest.mark.django_db
@pytest.mark.parametrize(("param", "value"), [("sort", "colour"), ("show", "amber"), ("sort", "x" * 5000)])
def test_unknown_sort_or_filter_is_a_clear_400(client, world, param, value):
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    for url in (URL, CSV_URL):
        response = client.get(url, {param: value})
        assert response.status_code == 400
        text = response.content.decode()
        assert f"{param} must be one of:" in text
        assert len(text) < 400


@pytest.mark.django_db
def test_csv_is_the_same_table(client, world):
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    for params in ({}, {"show": "not-ready", "sort": "readiness", "dir": "desc"}):
        page = client.get(URL, params)
        download = client.get(CSV_URL, params)
        assert download.status_code == 200
        assert download["Content-Type"].startswith("text/csv")
        assert "attachment" in download["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(download.content.decode())))
        assert rows[0] == ["Code", *_columns(page)]
        table = _table(page)
        assert [r[0] for r in rows[1:]] == list(table)  # the same areas in the same order
        assert [r[1:] for r in rows[1:]] == list(table.values())


@pytest.mark.django_db
def test_csv_neutralises_formulae_in_names(client, london):
    area = AreaFactory(vru=london, name="=HYPERLINK(1)")
    f.PartnershipFactory(area=area, vru=london)
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    rows = list(csv.reader(io.StringIO(client.get(CSV_URL).content.decode())))
    assert [r[1] for r in rows if r[0] == area.code] == ["'=HYPERLINK(1)"]


# Access --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_policing_body_sees_its_vrus_areas(client, world, mopac_officer):
    client.force_login(mopac_officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert len(_table(response)) == 32
    assert client.get(CSV_URL).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [Organisation.Kind.VRU, Organisation.Kind.POLICING_BODY])
def test_another_vrus_staff_and_policing_body_see_none_of_londons_areas(client, world, kind):
    other = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    own_area = AreaFactory(vru=other, name="Elsewhere")
    f.PartnershipFactory(area=own_area, vru=other)
    if kind == Organisation.Kind.VRU:
        org, role = other, User.Role.VRU_REVIEWER
    else:
        org = Organisation.objects.create(kind=kind, code="PCC-X", name="Other PCC", vru=other)
        role = User.Role.POLICING_BODY
    client.force_login(UserFactory(organisation=org, role=role))
    response = client.get(URL)
    assert response.status_code == 200
    assert set(_table(response)) == {own_area.code}
    rows = list(csv.reader(io.StringIO(client.get(CSV_URL).content.decode())))
    assert [r[0] for r in rows[1:]] == [own_area.code]
    assert "Havering" not in response.content.decode() + client.get(CSV_URL).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "role", "office"),
    [
        ("E09000016", User.Role.BOROUGH_EDITOR, ""),
        ("E09000016", User.Role.BOROUGH_VIEWER, ""),
        ("E09000016", User.Role.SIGNATORY, User.Office.CHIEF_EXECUTIVE),
        ("MPS-EA", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    ],
)
def test_boroughs_are_refused(client, world, code, role, office):
    _login(client, code, role, office)
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, world):
    for url in (URL, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_a_vru_footprint_partnership_is_a_row(client, world):
    f.PartnershipFactory(area=world, vru=world)
    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    table = _table(client.get(URL))
    assert "VRU-LDN" in table and len(table) == 33


# Queries -------------------------------------------------------------------------------------------------


def _vru_with_areas(n: int) -> Organisation:
    vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code=f"VRU-{n}", name=f"VRU of {n}")
    today = _today()
    template = TemplateFactory(vru=vru)
    for i in range(n):
        area = AreaFactory(vru=vru, name=f"Area {n}-{i}")
        p = _ready(area, vru, template) if i % 2 else f.PartnershipFactory(area=area, vru=vru)
        f.SharingAgreementFactory(partnership=p, review_on=today - dt.timedelta(days=i + 1))
        f.InformationRequestFactory(partnership=p, due_on=today - dt.timedelta(days=i + 1))
    return vru


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_areas(client, django_assert_max_num_queries):
    counts = {}
    for n in (5, 32):
        vru = _vru_with_areas(n)
        client.force_login(UserFactory(organisation=vru, role=User.Role.VRU_REVIEWER))
        client.get(URL)  # session and user caches warm
        for url in (URL, CSV_URL):
            with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            counts[(n, url)] = len(ctx.captured_queries)
        assert len(_table(client.get(URL))) == n
    assert counts[(5, URL)] == counts[(32, URL)]
    assert counts[(5, CSV_URL)] == counts[(32, CSV_URL)]


@pytest.mark.django_db
def test_every_sort_orders_by_its_column_and_keeps_every_row(client, world):
    from vrhub.duty.selectors.monitoring import SORTS

    _login(client, "VRU-LDN", User.Role.VRU_REVIEWER)
    for key in SORTS:
        for direction in ("asc", "desc"):
            response = client.get(URL, {"sort": key, "dir": direction})
            assert response.status_code == 200
            assert len(_table(response)) == 32
            doc = lxml.html.fromstring(response.content.decode())
            sorted_heading = doc.xpath('//table[@data-testid="monitoring-table"]/thead/tr/th[@aria-sort!="none"]')
            assert len(sorted_heading) == 1
            assert sorted_heading[0].get("aria-sort") == ("descending" if direction == "desc" else "ascending")
    # Partnership, descending: Havering (six kinds) before Lambeth (three) before the areas with no record.
    order = list(_table(client.get(URL, {"sort": "partnership", "dir": "desc"})))
    assert order.index("E09000016") < order.index("E09000022") < order.index("E09000002")
