"""The programmes report: every figure of the page checked against pandas / DuckDB over the raw rows, the
seed 002 budget tables reproduced (with the £100,000 difference), and the PDF's text and the DOCX's tables
carrying the same figures.

Who sees which programme is written out here from the world's description, not asked of the code."""

import io
import shutil
import subprocess
from decimal import Decimal

import duckdb
import lxml.html
import pandas as pd
import pytest

from tests.factories import ThemeFactory, UserFactory
from tests.programmes import factories as f
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import AgeBand
from vrhub.programmes.models import Budget, IncomeLine, MonitoringReturn, Programme, ProgrammeAmount, SpendLine
from vrhub.programmes.selectors.reports import split_equally

pytestmark = pytest.mark.django_db

# Seed 002: the VRU's 2020/21 funding and expenditure (£m), and the published total.
SEED_INCOME = [
    ("Home Office", "7.6"),
    ("VRU Core Budget (Mayoral funding)", "5.0"),
    ("Mayoral Growth Funding", "5.0"),
    ("London Crime Prevention Fund Co-Commissioning", "1.6"),
    ("Reserves", "0.5"),
]
SEED_SPEND = [("VCS/Community", "8.0"), ("Local authority", "5.7"), ("Education, schools and settings", "5.9")]
PUBLISHED = Decimal("19700000")
MILLION = Decimal(1_000_000)

SEES = {
    "vru": {"LDN-1", "LDN-2", "HAV-1", "LAM-1", "LDN-5", "LDN-6", "LDN-7"},
    # Havering: London-wide programmes, Havering's own, and those naming Havering among their areas.
    "havering": {"LDN-1", "HAV-1", "LDN-5", "LDN-6"},
}


@pytest.fixture
def world(programmes_world, london, havering, lambeth):
    """The programmes world with the VRU's seed 002 budget for 2020/21 and three more programmes: LDN-5
    (synthetic) serving Havering, Lambeth and Bexley with £100,000.01 in 2020 (an odd penny to split), LDN-6
    serving Havering with a 2020 return but no 2020 amount, LDN-7 with no funding source; amounts for 2019
    and 2021 too."""
    programmes_world["vru_budget"].delete()
    budget = f.BudgetFactory(owner=london, year=2020, stated_income_total=PUBLISHED, stated_expenditure_total=PUBLISHED)
    for order, (source, millions) in enumerate(SEED_INCOME):
        f.IncomeLineFactory(budget=budget, source=source, amount=Decimal(millions) * MILLION, order=order)
    for order, (category, millions) in enumerate(SEED_SPEND):
        f.SpendLineFactory(budget=budget, category=category, amount=Decimal(millions) * MILLION, order=order)
    bexley = Organisation.objects.get(code="E09000004")
    objectives = programmes_world["logic_model"]["objectives"]
    theme = ThemeFactory(title="Preventing exclusions")
    five = f.ProgrammeFactory(
        owner=london,
        reference="LDN-5",
        title="Programme LDN-5",
        funding_source="Mayoral Growth Funding",
        spend_category="Education, schools and settings",
        theme=theme,
        synthetic=True,
    )
    five.areas.set([havering, lambeth, bexley])
    five.objectives.set(objectives)
    f.ProgrammeAmountFactory(programme=five, year=2020, amount=Decimal("100000.01"))
    f.MonitoringReturnFactory(programme=five, year=2020, quarter=1, reached_direct=30, reached_indirect=None)
    f.MonitoringReturnFactory(
        programme=five, year=2020, quarter=2, reached_direct=20, reached_indirect=70, reached_by_age={"18_24": 20}
    )
    six = f.ProgrammeFactory(owner=london, reference="LDN-6", title="Programme LDN-6", funding_source="Home Office")
    six.areas.set([havering])
    f.MonitoringReturnFactory(programme=six, year=2020, quarter=3, reached_direct=None, reached_indirect=None)
    f.ProgrammeAmountFactory(programme=six, year=2021, amount=Decimal("5000.00"))
    seven = f.ProgrammeFactory(owner=london, reference="LDN-7", title="Programme LDN-7", funding_source="")
    seven.areas.set([lambeth])
    f.ProgrammeAmountFactory(programme=seven, year=2020, amount=Decimal("7500.50"))
    f.ProgrammeAmountFactory(programme=programmes_world["vru_programme"], year=2019, amount=Decimal("42000.00"))
    f.ProgrammeAmountFactory(programme=programmes_world["havering_programme"], year=2021, amount=Decimal("9000.00"))
    return programmes_world


def havering_viewer():
    return UserFactory(organisation=Organisation.objects.get(code="E09000016"), role=User.Role.BOROUGH_VIEWER)


def money(value) -> str:
    if value is None:
        return "No data"
    value = Decimal(value)
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


def total(series) -> Decimal | None:
    values = [Decimal(v) for v in series if v is not None and not pd.isna(v)]
    return sum(values, Decimal(0)) if values else None


# The raw rows ------------------------------------------------------------------------------------------------


def frames(who: str, year: int = 2020):
    programmes = pd.DataFrame(
        list(
            Programme.objects.values(
                "pk", "reference", "title", "funding_source", "spend_category", "all_areas", "synthetic", "theme__title"
            )
        )
    )
    programmes = programmes[programmes["reference"].isin(SEES[who])]
    amounts = pd.DataFrame(list(ProgrammeAmount.objects.values("programme__reference", "year", "amount")))
    amounts = amounts.rename(columns={"programme__reference": "reference"})
    amounts = amounts[amounts["reference"].isin(SEES[who])]
    returns = pd.DataFrame(
        list(
            MonitoringReturn.objects.values(
                "programme__reference", "year", "reached_direct", "reached_indirect", "reached_by_age"
            )
        )
    ).rename(columns={"programme__reference": "reference"})
    returns = returns[returns["reference"].isin(SEES[who])]
    in_year = set(amounts[amounts["year"] == year]["reference"]) | set(returns[returns["year"] == year]["reference"])
    year_programmes = programmes[programmes["reference"].isin(in_year)].copy()
    year_amounts = amounts[amounts["year"] == year][["reference", "amount"]]
    year_programmes = year_programmes.merge(year_amounts, on="reference", how="left")
    return programmes, amounts, returns[returns["year"] == year], year_programmes


def grouped(year_programmes, column: str, blank: str) -> dict[str, list[str]]:
    table = year_programmes.assign(group=year_programmes[column].fillna("").replace("", blank))
    found = {}
    for name, rows in table.groupby("group"):
        found[name] = [f"{len(rows):,}", money(total(rows["amount"]))]
    found["Total"] = [f"{len(table):,}", money(total(table["amount"]))]
    return found


def page_tables(client, user, year=2020):
    client.force_login(user)
    response = client.get(f"/programmes/reports/?year={year}")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    tables = {}
    for table in doc.xpath('//table[starts-with(@data-testid, "table-")]'):
        key = table.get("data-testid")[len("table-") :]
        rows = {}
        for tr in table.xpath("./tbody/tr"):
            head = tr.xpath("./th")[0]
            label = (head.text or "").strip()
            rows[label] = [td.text_content().strip() for td in tr.xpath("./td")]
            rows[label + "|synthetic"] = tr.get("data-synthetic") == "true"
        caption = table.xpath("./caption")[0].text_content()
        tables[key] = {"rows": rows, "caption": caption}
    return tables, doc


def rows_of(table) -> dict[str, list[str]]:
    return {k: v for k, v in table["rows"].items() if not k.endswith("|synthetic")}


@pytest.mark.parametrize("who", ["vru", "havering"])
def test_totals_by_source_category_theme(client, world, vru_officer, who):
    user = vru_officer if who == "vru" else havering_viewer()
    tables, _ = page_tables(client, user)
    _, _, _, year_programmes = frames(who)
    assert rows_of(tables["by_source"]) == grouped(year_programmes, "funding_source", "Not recorded")
    assert rows_of(tables["by_category"]) == grouped(year_programmes, "spend_category", "Not recorded")
    assert rows_of(tables["by_theme"]) == grouped(year_programmes, "theme__title", "No theme recorded")


@pytest.mark.parametrize("who", ["vru", "havering"])
def test_totals_by_year_with_duckdb(client, world, vru_officer, who):
    user = vru_officer if who == "vru" else havering_viewer()
    tables, _ = page_tables(client, user)
    _, amounts, _, _ = frames(who)
    amounts = amounts.assign(pence=[int(a * 100) for a in amounts["amount"]])
    result = duckdb.sql(
        "SELECT year, count(*) AS n, sum(pence) AS pence FROM amounts GROUP BY year ORDER BY year"
    ).fetchall()
    expected = {f"{y}/{(y + 1) % 100:02d}": [f"{n:,}", money(Decimal(p) / 100)] for y, n, p in result}
    assert rows_of(tables["by_year"]) == expected


def test_by_year_by_hand(client, world, vru_officer):
    rows = rows_of(page_tables(client, vru_officer)[0]["by_year"])
    assert rows["2019/20"] == ["1", "£42,000"]
    # 2020: LDN-1, LDN-2, HAV-1, LAM-1 at £60,000, LDN-5 £100,000.01, LDN-7 £7,500.50.
    assert rows["2020/21"] == ["6", "£347,500.51"]


@pytest.mark.parametrize("who", ["vru", "havering"])
def test_by_borough_splits_named_areas_equally(client, world, vru_officer, who):
    user = vru_officer if who == "vru" else havering_viewer()
    tables, _ = page_tables(client, user)
    _, _, _, year_programmes = frames(who)
    areas = pd.DataFrame(
        list(Programme.areas.through.objects.values("programme__reference", "organisation__name")),
    ).rename(columns={"programme__reference": "reference", "organisation__name": "area"})
    parts: dict[str, list] = {}
    for _, p in year_programmes.iterrows():
        named = sorted(areas[areas["reference"] == p["reference"]]["area"])
        amount = None if pd.isna(p["amount"]) else Decimal(p["amount"])
        if p["all_areas"]:
            parts.setdefault("London-wide (all boroughs)", []).append(amount)
        elif not named:
            parts.setdefault("Area not recorded", []).append(amount)
        else:
            # Independently: whole pence each, the odd pennies to the first names alphabetically.
            pence = None if amount is None else int(amount * 100)
            for i, name in enumerate(named):
                share = None
                if pence is not None:
                    share = Decimal(pence // len(named) + (1 if i < pence % len(named) else 0)) / 100
                parts.setdefault(name, []).append(share)
    expected = {name: [f"{len(v):,}", money(total(v))] for name, v in parts.items()}
    expected["Total"] = [f"{len(year_programmes):,}", money(total(year_programmes["amount"]))]
    shown = rows_of(tables["by_borough"])
    assert shown == expected
    # The named boroughs add up to the total (the rule): no penny lost or counted twice.
    assert total(Decimal(v[1].strip("£").replace(",", "")) for k, v in shown.items() if k != "Total") == Decimal(
        shown["Total"][1].strip("£").replace(",", "")
    )


def test_by_borough_by_hand(client, world, vru_officer):
    rows = rows_of(page_tables(client, vru_officer)[0]["by_borough"])
    # LDN-5's £100,000.01 is 10,000,001 pence: three ways 3,333,333 with two odd pennies, to Bexley and Havering
    # (first alphabetically): £33,333.34, £33,333.34 and Lambeth £33,333.33.
    assert rows["Bexley"] == ["1", "£33,333.34"]
    assert rows["Havering"] == ["3", "£93,333.34"]  # HAV-1 £60,000, LDN-5's part, LDN-6 (no 2020 amount)
    assert rows["Lambeth"] == ["4", "£160,833.83"]  # LDN-2 and LAM-1 £60,000 each, LDN-5's part, LDN-7 £7,500.50
    assert rows["London-wide (all boroughs)"] == ["1", "£60,000"]
    assert split_equally(Decimal("0.02"), ["b", "a", "c"]) == {"a": Decimal("0.01"), "b": Decimal("0.01"), "c": 0}


@pytest.mark.parametrize("who", ["vru", "havering"])
def test_by_objective_counts_each_programme_under_each(client, world, vru_officer, who):
    user = vru_officer if who == "vru" else havering_viewer()
    tables, _ = page_tables(client, user)
    _, _, _, year_programmes = frames(who)
    links = pd.DataFrame(
        list(
            Programme.objectives.through.objects.values("programme__reference", "logicnode__number", "logicnode__title")
        )
    ).rename(columns={"programme__reference": "reference"})
    merged = year_programmes.merge(links, on="reference", how="left")
    expected = {}
    for number in sorted(world["logic_model"]["objectives"], key=lambda n: n.number):
        rows = merged[merged["logicnode__number"] == number.number]
        expected[f"Objective {number.number}: {number.title}"] = [f"{len(rows):,}", money(total(rows["amount"]))]
    unlinked = merged[merged["logicnode__number"].isna()]
    if len(unlinked):
        expected["Not linked to an objective"] = [f"{len(unlinked):,}", money(total(unlinked["amount"]))]
    expected["All programmes, each counted once"] = [
        f"{len(year_programmes):,}",
        money(total(year_programmes["amount"])),
    ]
    assert rows_of(tables["by_objective"]) == expected


@pytest.mark.parametrize("who", ["vru", "havering"])
def test_reach_and_cost_per_person(client, world, vru_officer, who):
    user = vru_officer if who == "vru" else havering_viewer()
    _assert_reach_tables(client, user, who)


def test_nobody_reached_has_no_cost_per_person_never_zero(client, world, vru_officer):
    # LDN-7 (£7,500.50 in 2020) reports that it reached nobody: a count of 0, but no cost per person (not £0).
    seven = Programme.objects.get(reference="LDN-7")
    f.MonitoringReturnFactory(programme=seven, year=2020, quarter=1, reached_direct=0, reached_indirect=0)
    tables = _assert_reach_tables(client, vru_officer, "vru")
    assert rows_of(tables["reach"])["LDN-7 Programme LDN-7"] == ["£7,500.50", "0", "0", "No data"]


def _assert_reach_tables(client, user, who):
    """The reach and reach-by-age tables against pandas over the raw rows; returns the page's tables."""
    tables, _ = page_tables(client, user)
    _, _, returns, year_programmes = frames(who)
    expected = {}
    paid, people = Decimal(0), 0
    for _, p in year_programmes.sort_values("reference").iterrows():
        mine = returns[returns["reference"] == p["reference"]]
        direct = [int(x) for x in mine["reached_direct"] if not pd.isna(x)]
        indirect = [int(x) for x in mine["reached_indirect"] if not pd.isna(x)]
        amount = None if pd.isna(p["amount"]) else Decimal(p["amount"])
        d = sum(direct) if direct else None
        cost = (amount / d).quantize(Decimal("0.01")) if amount is not None and d else None
        label = f"{p['reference']} {p['title']}" + (" (synthetic)" if p["synthetic"] else "")
        expected[label] = [
            money(amount),
            "Not reported" if d is None else f"{d:,}",
            "Not reported" if not indirect else f"{sum(indirect):,}",
            money(cost),
        ]
        if amount is not None and d:
            paid += amount
            people += d
    all_direct = [int(x) for x in returns["reached_direct"] if not pd.isna(x)]
    all_indirect = [int(x) for x in returns["reached_indirect"] if not pd.isna(x)]
    expected["All programmes"] = [
        money(total(year_programmes["amount"])),
        f"{sum(all_direct):,}",
        f"{sum(all_indirect):,}",
        money((paid / people).quantize(Decimal("0.01"))),
    ]
    assert rows_of(tables["reach"]) == expected
    ages: dict[str, int] = {}
    for by_age in returns["reached_by_age"]:
        for band, n in (by_age or {}).items():
            ages[band] = ages.get(band, 0) + int(n)
    assert rows_of(tables["reach_by_age"]) == {
        str(b.label): ["Not reported" if b.value not in ages else f"{ages[b.value]:,}"] for b in AgeBand
    }
    return tables


def test_reach_by_hand(client, world, vru_officer):
    rows = rows_of(page_tables(client, vru_officer)[0]["reach"])
    # LDN-5: £100,000.01 for 30 + 20 people reached directly: £2,000.00 each; indirect only Q2's 70.
    assert rows["LDN-5 Programme LDN-5 (synthetic)"] == ["£100,000.01", "50", "70", "£2,000"]
    # LDN-6: a return without counts and no 2020 amount: nothing is 0.
    assert rows["LDN-6 Programme LDN-6"] == ["No data", "Not reported", "Not reported", "No data"]


def test_seed_002_budget_tables_reproduced_with_the_difference(client, world, vru_officer):
    tables, _ = page_tables(client, vru_officer)
    income = rows_of(tables["income"])
    for source, millions in SEED_INCOME:
        assert income[source] == [money(Decimal(millions) * MILLION)]
    assert income["Total of the lines"] == ["£19,700,000"]
    assert income["Total as published"] == ["£19,700,000"]
    assert income["Difference (published less lines)"] == ["£0"]
    spend = rows_of(tables["expenditure"])
    for category, millions in SEED_SPEND:
        assert spend[category] == [money(Decimal(millions) * MILLION)]
    assert spend["Total of the lines"] == ["£19,600,000"]
    assert spend["Total as published"] == ["£19,700,000"]
    assert spend["Difference (published less lines)"] == ["£100,000"]
    assert spend["Income less expenditure (of the lines)"] == ["£100,000"]
    assert "Period: 2020/21" in tables["expenditure"]["caption"]
    assert "Unit: £" in tables["income"]["caption"]
    # The same totals and differences, independently with DuckDB over the raw budget rows.
    expected = _budget_figures_by_duckdb(2020)
    assert income["Total of the lines"] == [money(expected["income"])]
    assert spend["Total of the lines"] == [money(expected["spend"])]
    assert spend["Total as published"] == [money(expected["stated_spend"])]
    assert spend["Difference (published less lines)"] == [money(expected["stated_spend"] - expected["spend"])]
    assert spend["Income less expenditure (of the lines)"] == [money(expected["income"] - expected["spend"])]


def _budget_figures_by_duckdb(year: int) -> dict[str, Decimal]:
    """The VRU's budget totals for ``year`` summed in DuckDB over the raw IncomeLine/SpendLine rows."""
    budget = Budget.objects.get(owner__code="VRU-LDN", year=year)
    income = pd.DataFrame(list(IncomeLine.objects.filter(budget=budget).values("amount")), columns=["amount"])
    spend = pd.DataFrame(list(SpendLine.objects.filter(budget=budget).values("amount")), columns=["amount"])
    income["pence"] = [int(a * 100) for a in income["amount"]]
    spend["pence"] = [int(a * 100) for a in spend["amount"]]
    con = duckdb.connect()
    con.register("income", income[["pence"]])
    con.register("spend", spend[["pence"]])
    (i,) = con.execute("select coalesce(sum(pence), 0) from income").fetchone()
    (s,) = con.execute("select coalesce(sum(pence), 0) from spend").fetchone()
    return {
        "income": Decimal(int(i)) / 100,
        "spend": Decimal(int(s)) / 100,
        "stated_income": budget.stated_income_total,
        "stated_spend": budget.stated_expenditure_total,
    }


@pytest.mark.parametrize("case", ["all_add_up", "balanced_but_published_income_differs", "seed_002_as_is"])
def test_the_does_not_add_up_note_follows_every_difference(client, world, vru_officer, case):
    """The note appears exactly when income and expenditure differ OR a published total differs from its lines
    (computed here with DuckDB), including when income and expenditure balance but a published total does not."""
    budget = Budget.objects.get(owner__code="VRU-LDN", year=2020)
    if case != "seed_002_as_is":
        f.SpendLineFactory(budget=budget, category="Balancing line", amount=Decimal("100000.00"), order=9)
    if case == "balanced_but_published_income_differs":
        budget.stated_income_total = PUBLISHED + Decimal("0.01")
        budget.save()
    expected = _budget_figures_by_duckdb(2020)
    adds_up = (
        expected["income"] == expected["spend"]
        and expected["stated_income"] in (None, expected["income"])
        and expected["stated_spend"] in (None, expected["spend"])
    )
    assert adds_up is (case == "all_add_up")  # the scenario is what it claims
    tables, doc = page_tables(client, vru_officer)
    assert rows_of(tables["income"])["Total of the lines"] == [money(expected["income"])]
    assert rows_of(tables["expenditure"])["Total of the lines"] == [money(expected["spend"])]
    note = "The totals do not all add up: the differences are shown."
    assert (note in doc.text_content()) is (not adds_up)


def test_every_table_has_unit_source_and_period(client, world, vru_officer):
    tables, _ = page_tables(client, vru_officer)
    assert len(tables) == 10
    for key, table in tables.items():
        caption = table["caption"]
        assert "Unit: " in caption, key
        assert "Source: vrhub " in caption, key
        assert "London" in caption, key
        assert ("Period: 2020/21" in caption) if key != "by_year" else ("Period: every year recorded" in caption)
    assert "monitoring returns" in tables["reach"]["caption"]


def test_synthetic_rows_are_flagged(client, world, vru_officer):
    tables, doc = page_tables(client, vru_officer)
    assert tables["by_category"]["rows"]["Education, schools and settings|synthetic"] is True
    assert tables["by_category"]["rows"]["VCS/Community|synthetic"] is False
    assert "made-up demo data" in doc.xpath('//*[@data-testid="report-notes"]')[0].text_content()


def test_a_year_without_a_budget_says_no_data(client, world, vru_officer):
    tables, _ = page_tables(client, vru_officer, year=2021)
    assert rows_of(tables["income"]) == {"No budget recorded": ["No data"]}
    # The 2021 programme totals are still computed from the raw rows (pandas), not left at £0.
    _, _, _, year_programmes = frames("vru", 2021)
    assert rows_of(tables["by_source"]) == grouped(year_programmes, "funding_source", "Not recorded")
    assert rows_of(tables["by_source"])["Total"][1] == money(total(year_programmes["amount"]))


def test_havering_is_told_it_sees_only_its_programmes(client, world):
    _, doc = page_tables(client, havering_viewer())
    notes = doc.xpath('//*[@data-testid="report-notes"]')[0].text_content()
    assert "count only the programmes you can see" in notes


# The documents ---------------------------------------------------------------------------------------------


def _expected_rows(tables) -> list[list[str]]:
    return [[label, *cells] for table in tables.values() for label, cells in rows_of(table).items()]


def test_pdf_carries_the_same_figures(client, world, vru_officer, tmp_path):
    tables, _ = page_tables(client, vru_officer)
    response = client.get("/programmes/reports/2020.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="programmes-report-vru-ldn-2020.pdf"' in response["Content-Disposition"]
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        [shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        timeout=60,
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for row in _expected_rows(tables):
        label = row[0].split(":")[0][:25]
        wanted = " ".join([label, *row[1:]]) if len(row[0]) <= 25 else None
        found = [line for line in lines if line.startswith(label) and all(cell in line for cell in row[1:])]
        assert found, (row, wanted)
    assert "Unit: £. Source: vrhub budget records, London" in " ".join(lines)
    assert "Synthetic demo data" in text


def test_docx_tables_carry_the_same_figures(client, world, vru_officer):
    from docx import Document

    tables, _ = page_tables(client, vru_officer)
    response = client.get("/programmes/reports/2020.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert len(document.tables) == len(tables)
    for table, (key, shown) in zip(document.tables, tables.items(), strict=True):
        cells = [[c.text for c in row.cells] for row in table.rows[1:]]
        expected = []
        for label, values in rows_of(shown).items():
            flagged = shown["rows"][label + "|synthetic"] and "(synthetic)" not in label
            expected.append([label + (" (synthetic)" if flagged else ""), *values])
        assert cells == expected, key
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Unit: £ and people. Source: vrhub programme records, London" in text
    assert "Period: 2020/21" in text


def test_documents_for_havering_leave_out_what_it_cannot_see(client, world):
    client.force_login(havering_viewer())
    from docx import Document

    document = Document(io.BytesIO(client.get("/programmes/reports/2020.docx").content))
    everything = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "LDN-2" not in everything
    assert "LAM-1" not in everything
    assert "HAV-1" in everything


def test_bad_year_is_not_found(client, world, vru_officer):
    client.force_login(vru_officer)
    assert client.get("/programmes/reports/1999.pdf").status_code == 404
    assert client.get("/programmes/reports/?year=20x").status_code == 404


def test_a_year_with_an_estimated_split_says_so(client, world, vru_officer):
    from vrhub.programmes.models import ProgrammeAmount

    ProgrammeAmount.objects.filter(year=2019).update(estimated=True)
    client.force_login(vru_officer)
    text = client.get("/programmes/reports/?year=2020").content.decode()
    rows = rows_of(page_tables(client, vru_officer)[0]["by_year"])
    assert "2019/20 (includes an estimated split between years)" in rows
    assert "2020/21" in rows  # no estimated amount in 2020/21: its label is plain
    assert "include amounts whose split between years is an estimate" in text
