from decimal import Decimal

import pytest

from tests.factories import UserFactory
from tests.programmes import factories as f
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.programmes.catalogue import LogicLevel


@pytest.fixture
def lambeth(london):
    return Organisation.objects.get(code="E09000022")


@pytest.fixture
def mopac_officer(london):
    return UserFactory(
        username="mopac.officer", organisation=Organisation.objects.get(code="MOPAC"), role=User.Role.POLICING_BODY
    )


@pytest.fixture
def vru_officer(london):
    return UserFactory(username="vru.officer", organisation=london, role=User.Role.VRU_ADMIN)


@pytest.fixture
def lambeth_editor(lambeth):
    return UserFactory(username="lambeth.editor", organisation=lambeth, role=User.Role.BOROUGH_EDITOR)


@pytest.fixture
def logic_model(london):
    """A small logic model of London's VRU: two objectives -> one outcome -> one aim."""
    aim = f.LogicNodeFactory(vru=london, level=LogicLevel.AIM, number=1, title="Londoners feel safer", horizon="")
    outcome = f.LogicNodeFactory(
        vru=london, level=LogicLevel.OUTCOME, number=1, title="Young people have increased skills", horizon="5 years"
    )
    first = f.LogicNodeFactory(vru=london, level=LogicLevel.OBJECTIVE, number=1, title="Supporting stronger families")
    second = f.LogicNodeFactory(
        vru=london, level=LogicLevel.OBJECTIVE, number=2, title="Giving young people every chance to succeed"
    )
    from vrhub.programmes.models import LogicLink

    LogicLink.objects.create(source=first, target=outcome)
    LogicLink.objects.create(source=second, target=outcome)
    LogicLink.objects.create(source=outcome, target=aim)
    return {"aim": aim, "outcome": outcome, "objectives": [first, second]}


def _budget(owner, *, income, spend):
    budget = f.BudgetFactory(owner=owner, year=2020)
    for order, (source, amount) in enumerate(income):
        f.IncomeLineFactory(budget=budget, source=source, amount=Decimal(amount), order=order)
    for order, (category, amount) in enumerate(spend):
        f.SpendLineFactory(budget=budget, category=category, amount=Decimal(amount), order=order)
    return budget


def _programme(owner, reference, *, areas=(), all_areas=False, objectives=(), published=True):
    programme = f.ProgrammeFactory(
        owner=owner, reference=reference, title=f"Programme {reference}", all_areas=all_areas, published=published
    )
    programme.areas.set(areas)
    programme.objectives.set(objectives)
    f.ProgrammeAmountFactory(programme=programme, year=2020, amount=Decimal("60000.00"))
    f.MonitoringReturnFactory(programme=programme, year=2020, quarter=1)
    return programme


@pytest.fixture
def programmes_world(london, havering, lambeth, logic_model):
    """Budgets of the VRU, Havering and Lambeth for 2020/21; programmes: the VRU's London-wide one, the VRU's
    one serving Lambeth only, Havering's own and Lambeth's own (each with a 2020/21 amount and a Q1 return)."""
    objectives = logic_model["objectives"]
    return {
        "vru_budget": _budget(
            london,
            income=[("Home Office", "7600000"), ("Mayoral growth funding", "5000000")],
            spend=[("VCS/Community", "8000000"), ("Local authority", "4600000")],
        ),
        "havering_budget": _budget(havering, income=[("VRU grant", "250000")], spend=[("Youth work", "250000")]),
        "lambeth_budget": _budget(lambeth, income=[("VRU grant", "300000")], spend=[("Youth work", "300000")]),
        "vru_programme": _programme(london, "LDN-1", all_areas=True, objectives=objectives),
        "vru_lambeth_programme": _programme(london, "LDN-2", areas=[lambeth], objectives=objectives[:1]),
        "havering_programme": _programme(havering, "HAV-1", areas=[havering], objectives=objectives[1:]),
        "lambeth_programme": _programme(lambeth, "LAM-1", areas=[lambeth], published=False),
        "logic_model": logic_model,
    }
