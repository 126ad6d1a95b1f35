"""factory_boy factories for funded programmes."""

import datetime as dt
from decimal import Decimal

import factory

from tests.factories import AreaFactory
from vrhub.programmes import models
from vrhub.programmes.catalogue import LogicLevel


def _vru_of(owner):
    return owner if owner.kind == "vru" else owner.owning_vru


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Budget

    owner = factory.SubFactory(AreaFactory)
    vru = factory.LazyAttribute(lambda b: _vru_of(b.owner))
    year = 2020


class IncomeLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IncomeLine

    budget = factory.SubFactory(BudgetFactory)
    source = factory.Sequence(lambda n: f"Income source {n}")
    amount = Decimal("100000.00")


class SpendLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SpendLine

    budget = factory.SubFactory(BudgetFactory)
    category = factory.Sequence(lambda n: f"Spend category {n}")
    amount = Decimal("100000.00")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Commitment

    owner = factory.SubFactory(AreaFactory)
    vru = factory.LazyAttribute(lambda c: _vru_of(c.owner))
    funder = "The Mayor of London"
    source = factory.Sequence(lambda n: f"Committed source {n}")
    year = 2021
    amount = Decimal("5000000.00")


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Recipient

    vru = factory.LazyFunction(lambda: AreaFactory().vru)
    name = factory.Sequence(lambda n: f"Youth Charity {n}")
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")


class LogicNodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LogicNode

    vru = factory.LazyFunction(lambda: AreaFactory().vru)
    level = LogicLevel.OBJECTIVE
    number = factory.Sequence(lambda n: n % 99 + 1)
    title = factory.Sequence(lambda n: f"Objective {n}")
    horizon = "2–3 years"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Programme

    owner = factory.SubFactory(AreaFactory)
    vru = factory.LazyAttribute(lambda p: _vru_of(p.owner))
    reference = factory.Sequence(lambda n: f"P{n:04d}")
    title = factory.Sequence(lambda n: f"Mentoring programme {n}")
    description = "One-to-one mentoring for young people at risk of exclusion."
    recipient = factory.LazyAttribute(lambda p: RecipientFactory(vru=p.vru))
    funding_source = "Home Office"
    spend_category = "VCS/Community"
    award_date = dt.date(2020, 4, 15)
    start_date = dt.date(2020, 5, 1)
    end_date = dt.date(2021, 3, 31)


class ProgrammeAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgrammeAmount

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2020
    amount = Decimal("50000.00")


class MonitoringReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MonitoringReturn

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2020
    quarter = 1
    reached_direct = 40
    reached_indirect = 120
    reached_by_age = factory.LazyFunction(lambda: {"10_14": 15, "15_17": 25})
    outputs = "12 mentoring sessions a week."
    spend_to_date = Decimal("12000.00")
