"""factory_boy factories for the Serious Violence Duty."""

import datetime as dt

import factory

from tests.factories import AreaFactory
from vrhub.duty import models
from vrhub.duty.catalogue import AuthorityKind, RelevantKind, SnaSectionKey


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partnership

    area = factory.SubFactory(AreaFactory)
    vru = factory.LazyAttribute(lambda p: p.area.owning_vru)
    lead_body = factory.LazyAttribute(lambda p: f"{p.area.name} Council")
    local_policing_body = "Mayor's Office for Policing and Crime"
    governance_group = factory.LazyAttribute(lambda p: f"{p.area.name} Community Safety Partnership Board")


class SpecifiedAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SpecifiedAuthority

    partnership = factory.SubFactory(PartnershipFactory)
    kind = AuthorityKind.POLICE
    organisation = factory.Sequence(lambda n: f"Authority {n}")
    lead_name = factory.Sequence(lambda n: f"Lead Person {n}")
    lead_role = "Lead officer"


class RelevantAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RelevantAuthority

    partnership = factory.SubFactory(PartnershipFactory)
    kind = RelevantKind.EDUCATION
    organisation = factory.Sequence(lambda n: f"School trust {n}")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Consultation

    authority = factory.SubFactory(RelevantAuthorityFactory)
    consulted_on = dt.date(2026, 5, 1)
    contact = "Sam Contact"
    asked = "Views on the draft strategy"
    response = "Supportive"
    responded_on = dt.date(2026, 5, 20)


class DefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Definition

    partnership = factory.SubFactory(PartnershipFactory)
    offence_types = factory.LazyFunction(lambda: ["homicide", "weapons", "county_lines"])
    factor_penalty = "Offences carrying long sentences"
    factor_victims = "Lasting harm to victims"
    factor_prevalence = "Knife crime above the London rate"
    factor_community = "Fear of crime in town centres"
    rationale = "The guidance's core plus local priorities"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.NeedsAssessment

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2026
    title = factory.LazyAttribute(lambda a: f"Strategic needs assessment {a.year}")


def assessment_with_sections(*, text: str = "Written.", **kwargs) -> models.NeedsAssessment:
    """An assessment with every section (each with ``text``)."""
    assessment = AssessmentFactory(**kwargs)
    for key in SnaSectionKey:
        models.SnaSection.objects.create(assessment=assessment, key=key, text=text)
    return assessment


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Strategy

    partnership = factory.SubFactory(PartnershipFactory)
    version = factory.Sequence(lambda n: n + 1)
    title = "Serious violence strategy"
    problem_summary = "Knife crime among under-25s is concentrated in two wards."
    working_together = "Monthly delivery group."
    interventions = "Detached youth work."
    preventative_action = "Schools programme."
    engagement_vcs = "Voluntary sector forum."
    engagement_young_people = "Youth panel."
    funding = "Home Office serious violence duty grant."


class AnnualReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnnualReview

    partnership = factory.SubFactory(PartnershipFactory)
    year = 2026
    reviewed_on = dt.date(2026, 6, 1)
    problem_changes = "Robbery rose."
    progress = "On track."
    decisions = "Keep the strategy."


class SharingAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SharingAgreement

    partnership = factory.SubFactory(PartnershipFactory)
    title = "A&E assault data sharing"
    parties = "NHS trust\nCouncil"
    purpose = "Target prevention"
    datasets = "ISTV extracts"
    lawful_basis = models.LawfulBasis.PUBLIC_TASK
    dpia_done = True
    review_on = dt.date(2027, 4, 1)


class DisclosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Disclosure

    partnership = factory.SubFactory(PartnershipFactory)
    disclosed_on = dt.date(2026, 7, 1)
    from_organisation = "Police"
    to_organisation = "Council"
    purpose = "Needs assessment"
    information = "Aggregate counts by ward"
    lawful_basis = models.LawfulBasis.NO_PERSONAL_DATA


class InformationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.InformationRequest

    partnership = factory.SubFactory(PartnershipFactory)
    requested_on = dt.date(2026, 8, 1)
    due_on = dt.date(2026, 8, 29)
    addressed_to = "Council"
    request = "Progress against the strategy's outcome measures"


def complete_partnership(**kwargs) -> models.Partnership:
    """A partnership with every element the readiness check asks for (no plan action links: add them)."""
    partnership = PartnershipFactory(**kwargs)
    for kind in AuthorityKind:
        SpecifiedAuthorityFactory(partnership=partnership, kind=kind, organisation=f"{kind.label} org")
    ConsultationFactory(authority=RelevantAuthorityFactory(partnership=partnership))
    DefinitionFactory(partnership=partnership)
    assessment_with_sections(partnership=partnership, state=models.NeedsAssessment.State.AGREED)
    return partnership


def without_demo_records(area_code: str) -> None:
    """Remove the demo's synthetic Duty records of one area, so a test can start it from nothing (test setup:
    the demo data gives every London area a partnership)."""
    models.Partnership.objects.filter(area__code=area_code, synthetic=True).delete()
