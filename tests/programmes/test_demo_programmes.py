"""The demo's funded programmes: the London VRU's 2020/21 budget reproduces seed 002's two tables exactly (typed
here from the seed's text, not taken from the loader), the Mayor's commitments, the logic model's shape, the
priority investments, the synthetic programmes, and loading twice changes nothing."""

from decimal import Decimal

import pandas as pd
import pytest

from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import EvaluationStatus, LogicLevel
from vrhub.programmes.models import (
    Budget,
    Commitment,
    FunderProfile,
    LogicLink,
    LogicNode,
    MonitoringReturn,
    Programme,
    ProgrammeAmount,
    Recipient,
)

pytestmark = pytest.mark.django_db

# Seed 002, "VRU 2020/21 FUNDING BUDGET £M" and "VRU 2020/21 EXPENDITURE BUDGET £M".
SEED_INCOME = {
    "Home Office": "7.6",
    "VRU Core Budget (Mayoral funding)": "5.0",
    "Mayoral Growth Funding": "5.0",
    "London Crime Prevention Fund Co-Commissioning": "1.6",
    "Reserves": "0.5",
}
SEED_SPEND = {"VCS/Community": "8.0", "Local authority": "5.7", "Education, schools and settings": "5.9"}
MILLION = Decimal("1000000")


def _m(text):
    return Decimal(text) * MILLION


@pytest.fixture
def london_budget(demo):
    return Budget.objects.get(owner__code="VRU-LDN", year=2020)


def test_budget_reproduces_seed_002_tables_exactly(london_budget):
    income = {line.source: line.amount for line in london_budget.income.all()}
    spend = {line.category: line.amount for line in london_budget.spend.all()}
    assert income == {k: _m(v) for k, v in SEED_INCOME.items()}
    assert spend == {k: _m(v) for k, v in SEED_SPEND.items()}
    assert [line.source for line in london_budget.income.all()] == list(SEED_INCOME)  # the seed's order
    assert london_budget.stated_income_total == _m("19.7")
    assert london_budget.stated_expenditure_total == _m("19.7")
    assert london_budget.synthetic is False
    assert "2020/21" in london_budget.notes
    home_office = london_budget.income.get(source="Home Office")
    assert home_office.ring_fenced is True
    assert "split is not published" in home_office.conditions


def test_the_published_expenditure_total_differs_from_its_lines_by_100000(client, london_budget, vru_officer):
    rows = pd.DataFrame(list(london_budget.spend.values("amount")))
    assert _m("19.7") - rows["amount"].sum() == Decimal("100000")
    client.force_login(vru_officer)
    body = client.get("/programmes/budgets/VRU-LDN/2020/").content.decode()
    assert "The published expenditure total is £19.7m; the lines add up to £19.6m: a difference of £100,000.00." in body
    assert "the 2020/21 budget shows £5.0m from Mayoral Growth Funding" in body


def test_commitments_as_the_seed_states_them(london_budget):
    found = {(c.source, c.year): c.amount for c in Commitment.objects.filter(owner=london_budget.owner)}
    assert found == {
        ("VRU Core Budget (Mayoral funding)", 2020): _m("5"),
        ("VRU Core Budget (Mayoral funding)", 2021): _m("5"),
        ("Mayoral Growth Funding", 2020): _m("4"),
        ("Mayoral Growth Funding", 2021): _m("5"),
    }


def test_logic_model_8_objectives_4_outcomes_3_aims_all_linked(demo):
    vru = Organisation.objects.get(code="VRU-LDN")
    nodes = LogicNode.objects.filter(vru=vru)
    counts = {level: nodes.filter(level=level).count() for level in LogicLevel.values}
    assert counts == {"objective": 8, "outcome": 4, "aim": 3}
    for node in nodes.exclude(level=LogicLevel.AIM):
        assert node.links_up.exists(), node.title
    for node in nodes.exclude(level=LogicLevel.OBJECTIVE):
        assert LogicLink.objects.filter(target=node).exists(), node.title
    for node in nodes.filter(level=LogicLevel.OBJECTIVE):
        assert 1 <= len(node.measure_list) <= 2
    assert any("3,884" in m and "5,100" in m for n in nodes for m in n.measure_list)


def test_priority_investments_total_the_seed_with_estimated_splits(demo):
    seed = {"LDN-PI-1": "4", "LDN-PI-2": "4.7", "LDN-PI-3": "1", "LDN-PI-4": "1.4", "LDN-PI-5": "2.4",
            "LDN-PI-6": "8.8", "LDN-PI-7": "6.6"}  # fmt: skip
    rows = pd.DataFrame(
        list(ProgrammeAmount.objects.filter(programme__reference__startswith="LDN-PI-").values(
            "programme__reference", "year", "amount", "estimated"))
    )  # fmt: skip
    totals = rows.groupby("programme__reference")["amount"].sum().to_dict()
    assert totals == {k: _m(v) for k, v in seed.items()}
    assert set(rows["year"]) == {2019, 2020}
    assert rows["estimated"].all()
    assert Programme.objects.get(reference="LDN-PI-2").areas.count() == 16
    assert Programme.objects.get(reference="LDN-PI-3").areas.count() == 7
    assert not Programme.objects.filter(reference__startswith="LDN-PI-", synthetic=True).exists()


def test_synthetic_programmes_are_varied_and_flagged(demo):
    synthetic = Programme.objects.filter(synthetic=True, vru__code="VRU-LDN")
    assert 20 <= synthetic.count() <= 30
    assert set(synthetic.values_list("owner__code", flat=True)) == {"VRU-LDN", "E09000016", "E09000022", "E09000012"}
    assert set(synthetic.values_list("evaluation_status", flat=True)) == set(EvaluationStatus.values)
    assert synthetic.filter(evidence_strength__isnull=True).exists()
    assert synthetic.filter(published=False).exists()
    assert synthetic.filter(plan_actions__isnull=False, theme__isnull=False).exists()
    returns = MonitoringReturn.objects.filter(programme__in=synthetic, year=2020)
    assert returns.count() == 4 * synthetic.count()
    assert returns.filter(reached_direct__isnull=True).exists()
    recipients = Recipient.objects.filter(programmes__in=synthetic).distinct()
    assert recipients.exclude(charity_number="").exists()
    assert recipients.filter(charity_number="").exclude(company_number="").exists()
    assert recipients.filter(charity_number="", company_number="").exists()
    profile = FunderProfile.objects.get(vru__code="VRU-LDN")
    assert profile.synthetic and profile.grant_prefix == "360G-vrhub-demo"


def test_loading_twice_changes_nothing(demo):
    from vrhub.demo.seed import demo_load

    def snapshot():
        return (
            list(Programme.objects.order_by("pk").values()),
            list(ProgrammeAmount.objects.order_by("pk").values()),
            list(MonitoringReturn.objects.order_by("pk").values_list("pk", "reached_direct", "spend_to_date")),
            list(Budget.objects.order_by("pk").values()),
            Commitment.objects.count(),
            LogicNode.objects.count(),
            LogicLink.objects.count(),
            Recipient.objects.count(),
        )

    before, entries = snapshot(), AuditEntry.objects.count()
    assert demo_load()["programmes_created"] == 0
    assert snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_summary_command_on_the_demo_reproduces_the_seed(demo, capsys):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("programmes_summary", "--vru", "london", "--year", "2020", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["income"] == {k: float(_m(v)) for k, v in SEED_INCOME.items()}
    assert summary["expenditure"] == {k: float(_m(v)) for k, v in SEED_SPEND.items()}
    assert summary["total"] == 19_700_000.0
    amounts = pd.DataFrame(list(ProgrammeAmount.objects.filter(programme__vru__code="VRU-LDN").values()))
    in_2020 = set(amounts.loc[amounts["year"] == 2020, "programme_id"])
    assert summary["programmes"] == len(in_2020) == 32  # 7 priority investments and 25 synthetic programmes
    returns = pd.DataFrame(list(MonitoringReturn.objects.filter(programme_id__in=in_2020, year=2020).values()))
    assert summary["reached"] == {
        "direct": int(returns["reached_direct"].sum()),
        "indirect": int(returns["reached_indirect"].sum()),
    }
    assert "synthetic" in capsys.readouterr().err
