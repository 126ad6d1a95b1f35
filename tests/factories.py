"""factory_boy factories shared by the test packages."""

import factory

from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.plans.models import Plan, PlanAction, PlanTemplate, TemplateAction, Theme


class VruFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = Organisation.Kind.VRU
    code = factory.Sequence(lambda n: f"VRU-{n}")
    name = factory.Sequence(lambda n: f"Test VRU {n}")


class BcuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.BCU
    code = factory.Sequence(lambda n: f"BCU-{n}")
    name = factory.Sequence(lambda n: f"Test BCU {n}")
    vru = factory.SubFactory(VruFactory)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.AREA
    code = factory.Sequence(lambda n: f"E0990{n:04d}")
    name = factory.Sequence(lambda n: f"Test Borough {n}")
    vru = factory.SubFactory(VruFactory)
    bcu = factory.SubFactory(BcuFactory, vru=factory.SelfAttribute("..vru"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(AreaFactory)
    role = User.Role.BOROUGH_EDITOR
    office = ""
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTemplate

    vru = factory.SubFactory(VruFactory)
    year = 2021
    title = factory.LazyAttribute(lambda t: f"{t.year} template")
    published = True


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    template = factory.SubFactory(TemplateFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    title = factory.Sequence(lambda n: f"Theme {n}")
    order = factory.Sequence(lambda n: n + 1)


class TemplateActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateAction

    theme = factory.SubFactory(ThemeFactory)
    kind = TemplateAction.Kind.MANDATORY
    code = factory.Sequence(lambda n: f"A-{n}")
    title = factory.Sequence(lambda n: f"Template action {n}")
    guidance = "Say what good looks like."
    order = factory.Sequence(lambda n: n + 1)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    area = factory.SubFactory(AreaFactory)
    template = factory.SubFactory(TemplateFactory, vru=factory.SelfAttribute("..area.vru"))


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    theme = factory.SubFactory(ThemeFactory, template=factory.SelfAttribute("..plan.template"))
    source = PlanAction.Source.LOCAL
    code = factory.Sequence(lambda n: f"L-{n}")
    title = factory.Sequence(lambda n: f"Local action {n}")
