import datetime as dt

import pytest

from tests.duty import factories as f
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.duty.catalogue import AuthorityKind, SnaSectionKey
from vrhub.duty.models import SnaSection
from vrhub.organisations.models import Organisation


@pytest.fixture
def lambeth(london):
    return Organisation.objects.get(code="E09000022")


@pytest.fixture
def mopac(london):
    return Organisation.objects.get(code="MOPAC")


@pytest.fixture
def mopac_officer(mopac):
    return UserFactory(username="mopac.officer", organisation=mopac, role=User.Role.POLICING_BODY)


@pytest.fixture
def duty_reviewer(london):
    return UserFactory(username="ldn.reviewer", organisation=london, role=User.Role.VRU_REVIEWER)


def duty_records(area, vru) -> dict:
    """A partnership for ``area`` with one of every kind of Duty record."""
    p = f.PartnershipFactory(area=area, vru=vru)
    relevant = f.RelevantAuthorityFactory(partnership=p)
    assessment = f.AssessmentFactory(partnership=p)
    for key in SnaSectionKey:
        SnaSection.objects.create(assessment=assessment, key=key, text="")
    strategy = f.StrategyFactory(partnership=p)
    agreement = f.SharingAgreementFactory(partnership=p)
    return {
        "partnership": p,
        "authority": f.SpecifiedAuthorityFactory(partnership=p, kind=AuthorityKind.POLICE),
        "relevant": relevant,
        "consultation": f.ConsultationFactory(authority=relevant),
        "definition": f.DefinitionFactory(partnership=p),
        "assessment": assessment,
        "strategy": strategy,
        "review": f.AnnualReviewFactory(partnership=p, strategy=strategy),
        "agreement": agreement,
        "disclosure": f.DisclosureFactory(partnership=p, agreement=agreement),
        "request": f.InformationRequestFactory(partnership=p, due_on=dt.date(2026, 1, 1)),
    }


@pytest.fixture
def duty_world(london, havering, lambeth):
    """Havering's and Lambeth's Duty records, one of every kind each."""
    return {"havering": duty_records(havering, london), "lambeth": duty_records(lambeth, london)}
