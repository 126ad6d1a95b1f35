"""Programme services: validation naming the field, the VRU's own links only, dates and financial years,
money in pounds and pence, stale forms, and every change audited (many-to-many as old -> new lists)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.programmes import factories as f
from vrhub.core.models import AuditEntry
from vrhub.organisations.models import Organisation
from vrhub.plans.services import plan_create
from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.models import Programme, ProgrammeAmount
from vrhub.programmes.services import programmes as services

pytestmark = pytest.mark.django_db

DETAILS = {
    "reference": "HAV-2020-01",
    "title": "Detached youth work",
    "description": "Youth workers in Romford town centre.",
    "funding_source": "VRU grant",
    "start_date": dt.date(2020, 4, 1),
    "end_date": dt.date(2021, 3, 31),
    "award_date": dt.date(2020, 3, 15),
}


def _errors(exc) -> dict:
    return exc.value.message_dict


def _entries(obj, field=None):
    entries = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return entries.filter(field=field) if field is not None else entries


def test_create_saves_and_audits(havering, editor, london):
    programme = services.programme_create(owner=havering, user=editor, data=DETAILS)
    assert programme.vru == london
    assert programme.owner == havering
    assert programme.reference == "HAV-2020-01"
    created = _entries(programme).filter(action=AuditEntry.Action.CREATE)
    assert set(created.values_list("field", flat=True)) >= {"reference", "title", "start_date", "owner"}
    assert created.get(field="title").new == "Detached youth work"
    assert created.get(field="title").actor == editor


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"reference": ""}, "reference", "Enter the reference"),
        ({"reference": "HAV 2020/01"}, "reference", "letters, digits and single hyphens"),
        ({"reference": "HAV--1"}, "reference", "letters, digits and single hyphens"),
        ({"reference": "X" * 41}, "reference", "40"),
        ({"title": ""}, "title", "Enter the title"),
        ({"title": "T" * 201}, "title", "200"),
        ({"title": "Bad\x00title"}, "title", "NUL"),
        ({"description": "D" * 20_001}, "description", "20,000"),
        ({"end_date": dt.date(2020, 3, 31)}, "end_date", "on or after the start date"),
        ({"award_date": dt.date(2021, 4, 1)}, "award_date", "on or before the end date"),
        ({"start_date": "2020-02-30"}, "start_date", "real date"),
        ({"funding_source": "S" * 151}, "funding_source", "150"),
        ({"recipient": "999999"}, "recipient", "Choose the recipient"),
    ],
)
def test_create_refuses_bad_details_naming_the_field(havering, editor, change, field, words):
    with pytest.raises(ValidationError) as exc:
        services.programme_create(owner=havering, user=editor, data={**DETAILS, **change})
    assert field in _errors(exc)
    assert words in " ".join(_errors(exc)[field])
    assert not Programme.objects.filter(owner=havering).exists()


def test_reference_unique_in_the_vru_ignoring_case(havering, editor, london):
    f.ProgrammeFactory(owner=london, reference="hav-2020-01")
    with pytest.raises(ValidationError) as exc:
        services.programme_create(owner=havering, user=editor, data=DETAILS)
    assert "already used" in _errors(exc)["reference"][0]


def test_recipient_of_another_vru_refused(havering, editor):
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    stranger = f.RecipientFactory(vru=other_vru)
    with pytest.raises(ValidationError) as exc:
        services.programme_create(owner=havering, user=editor, data={**DETAILS, "recipient": stranger.pk})
    assert "recipient" in _errors(exc)


def test_create_for_another_area_refused(editor, london):
    lambeth = Organisation.objects.get(code="E09000022")
    with pytest.raises(PermissionDenied):
        services.programme_create(owner=lambeth, user=editor, data=DETAILS)


def test_update_refuses_stale_version_and_saves_nothing(havering, editor):
    programme = services.programme_create(owner=havering, user=editor, data=DETAILS)
    with pytest.raises(ValidationError) as exc:
        services.programme_update(programme=programme, user=editor, data={**DETAILS, "title": "New"}, version=99)
    assert "version" in _errors(exc)
    programme.refresh_from_db()
    assert programme.title == "Detached youth work"


def test_update_audits_old_and_new(havering, editor):
    programme = services.programme_create(owner=havering, user=editor, data=DETAILS)
    saved = services.programme_update(programme=programme, user=editor, data={**DETAILS, "title": "New"}, version=1)
    assert saved.version == 2
    entry = _entries(programme, "title").get(action=AuditEntry.Action.UPDATE)
    assert (entry.old, entry.new) == ("Detached youth work", "New")


# Amounts -----------------------------------------------------------------------------------------------------


@pytest.fixture
def programme(havering, editor):
    return services.programme_create(owner=havering, user=editor, data=DETAILS)


def test_amount_saved_in_pounds_and_pence_and_audited(programme, editor):
    row = services.programme_amount_save(programme=programme, user=editor, year=2020, amount="£60,000.50", version=1)
    assert row.amount == Decimal("60000.50")
    assert _entries(row, "amount").get().new == "60000.50"
    programme.refresh_from_db()
    assert programme.version == 2
    assert _entries(programme, "amounts").get().new == "2020/21: 60000.50"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("-1", "must not be negative"),
        ("10.001", "at most 2 decimal places"),
        ("ten pounds", "pounds and pence"),
        ("10000000000.00", "at most"),
        ("NaN", "pounds and pence"),
        ("1\x00", "NUL"),
        (1.5, "pounds and pence"),
        ("", "Enter the amount"),
    ],
)
def test_bad_amounts_refused(programme, editor, amount, words):
    with pytest.raises(ValidationError) as exc:
        services.programme_amount_save(programme=programme, user=editor, year=2020, amount=amount, version=1)
    assert words in _errors(exc)["amount"][0]
    assert not ProgrammeAmount.objects.filter(programme=programme).exists()


def test_amount_outside_the_programmes_dates_refused(programme, editor):
    with pytest.raises(ValidationError) as exc:
        services.programme_amount_save(programme=programme, user=editor, year=2021, amount="100", version=1)
    assert "2021/22 is outside the programme's dates" in _errors(exc)["year"][0]
    with pytest.raises(ValidationError):
        services.programme_amount_save(programme=programme, user=editor, year=2019, amount="100", version=1)


def test_amount_any_year_when_no_dates(havering, editor):
    programme = services.programme_create(
        owner=havering, user=editor, data={**DETAILS, "start_date": None, "end_date": None, "award_date": None}
    )
    row = services.programme_amount_save(programme=programme, user=editor, year=2024, amount="5", version=1)
    assert row.year == 2024


def test_dates_cannot_leave_an_amount_outside(programme, editor):
    services.programme_amount_save(programme=programme, user=editor, year=2020, amount="100", version=1)
    with pytest.raises(ValidationError) as exc:
        services.programme_update(
            programme=programme,
            user=editor,
            data={**DETAILS, "start_date": dt.date(2021, 4, 1), "end_date": dt.date(2022, 3, 31)},
            version=2,
        )
    assert "2020/21" in _errors(exc)["start_date"][0]


def test_amount_change_and_estimated_flag_and_remove(programme, editor):
    services.programme_amount_save(programme=programme, user=editor, year=2020, amount="100", version=1)
    row = services.programme_amount_save(
        programme=programme, user=editor, year=2020, amount="150.25", estimated=True, version=2
    )
    assert (row.amount, row.estimated) == (Decimal("150.25"), True)
    assert _entries(row, "amount").filter(action=AuditEntry.Action.UPDATE).get().old == "100.00"
    services.programme_amount_remove(programme=programme, user=editor, year=2020, version=3)
    assert not ProgrammeAmount.objects.filter(programme=programme).exists()
    assert _entries(row).filter(action=AuditEntry.Action.DELETE).exists()
    with pytest.raises(ValidationError) as exc:
        services.programme_amount_remove(programme=programme, user=editor, year=2020, version=4)
    assert "no amount for 2020/21" in _errors(exc)["year"][0]


def test_stale_amount_refused(programme, editor):
    with pytest.raises(ValidationError) as exc:
        services.programme_amount_save(programme=programme, user=editor, year=2020, amount="1", version=7)
    assert "version" in _errors(exc)


# Areas, links, publication ---------------------------------------------------------------------------------


def test_areas_only_the_vrus_and_audited_as_lists(programme, editor, havering):
    lambeth = Organisation.objects.get(code="E09000022")
    saved = services.programme_areas_set(
        programme=programme,
        user=editor,
        all_areas=False,
        areas=[havering.pk, lambeth.pk],
        wards="Romford\n\n",
        version=1,
    )
    assert set(saved.areas.all()) == {havering, lambeth}
    assert saved.wards == ["Romford"]
    entry = _entries(programme, "areas").get()
    assert entry.old == ""
    assert entry.new == "; ".join(f"{o.pk}: {o}" for o in sorted([havering, lambeth], key=lambda o: o.pk))
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    elsewhere = Organisation.objects.create(kind=Organisation.Kind.AREA, code="X1", name="Elsewhere", vru=other_vru)
    for bad in ([elsewhere.pk], ["abc"], [other_vru.pk]):
        with pytest.raises(ValidationError) as exc:
            services.programme_areas_set(
                programme=programme, user=editor, all_areas=False, areas=bad, wards="", version=2
            )
        assert "areas" in _errors(exc)


def test_wards_limits(programme, editor):
    with pytest.raises(ValidationError) as exc:
        services.programme_areas_set(
            programme=programme, user=editor, all_areas=True, areas=[], wards=["W" * 101], version=1
        )
    assert "100 characters" in _errors(exc)["wards"][0]
    with pytest.raises(ValidationError) as exc:
        services.programme_areas_set(
            programme=programme, user=editor, all_areas=True, areas=[], wards=[f"W{i}" for i in range(101)], version=1
        )
    assert "at most 100 wards" in _errors(exc)["wards"][0]


@pytest.fixture
def linkable(programme, editor, havering, london, plan):
    services.programme_areas_set(
        programme=programme, user=editor, all_areas=False, areas=[havering.pk], wards="", version=1
    )
    objective = f.LogicNodeFactory(vru=london, level=LogicLevel.OBJECTIVE, number=1, title="Stronger families")
    outcome = f.LogicNodeFactory(vru=london, level=LogicLevel.OUTCOME, number=1)
    programme.refresh_from_db()
    return {"objective": objective, "outcome": outcome, "action": plan.actions.first(), "plan": plan}


def test_links_set_and_audited(programme, editor, linkable, template_2021):
    theme = template_2021.themes.first()
    saved = services.programme_links_set(
        programme=programme,
        user=editor,
        objectives=[linkable["objective"].pk],
        plan_actions=[linkable["action"].pk],
        theme=theme.pk,
        version=2,
    )
    assert list(saved.objectives.all()) == [linkable["objective"]]
    assert list(saved.plan_actions.all()) == [linkable["action"]]
    assert saved.theme == theme
    assert _entries(programme, "objectives").get().new == f"{linkable['objective'].pk}: Stronger families"
    assert _entries(programme, "theme").get().new == str(theme.pk)


def test_links_refuse_what_is_not_the_vrus(programme, editor, linkable, london):
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    foreign = f.LogicNodeFactory(vru=other_vru, level=LogicLevel.OBJECTIVE, number=1)
    lambeth = Organisation.objects.get(code="E09000022")
    lambeth_plan = plan_create(area=lambeth, template=linkable["plan"].template, user=None).plan
    cases = [
        ({"objectives": [foreign.pk]}, "objectives"),
        ({"objectives": [linkable["outcome"].pk]}, "objectives"),  # an outcome is not an objective
        ({"plan_actions": [lambeth_plan.actions.first().pk]}, "plan_actions"),  # Lambeth is not served
        ({"theme": 999999}, "theme"),
        ({"theme": "x"}, "theme"),
        ({"objectives": ["1; drop"]}, "objectives"),
    ]
    for change, field in cases:
        args = {"objectives": [], "plan_actions": [], "theme": None, **change}
        with pytest.raises(ValidationError) as exc:
            services.programme_links_set(programme=programme, user=editor, version=2, **args)
        assert field in _errors(exc), change
    assert not programme.objectives.exists()


def test_no_longer_served_area_unlinks_its_actions(programme, editor, linkable, london):
    services.programme_links_set(
        programme=programme, user=editor, objectives=[], plan_actions=[linkable["action"].pk], theme=None, version=2
    )
    lambeth = Organisation.objects.get(code="E09000022")
    saved = services.programme_areas_set(
        programme=programme, user=editor, all_areas=False, areas=[lambeth.pk], wards="", version=3
    )
    assert not saved.plan_actions.exists()
    assert _entries(programme, "plan_actions").order_by("pk").last().new == ""


def test_publication_and_permission(programme, editor, london):
    saved = services.programme_publication_set(programme=programme, user=editor, published=True, version=1)
    assert saved.published is True
    assert _entries(programme, "published").get().new == "yes"
    vru_programme = f.ProgrammeFactory(owner=london)
    with pytest.raises(PermissionDenied):
        services.programme_publication_set(programme=vru_programme, user=editor, published=True, version=1)


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="the database has no row locks")
def test_changes_lock_the_programme_row(programme, editor):
    with CaptureQueriesContext(connection) as queries:
        services.programme_amount_save(programme=programme, user=editor, year=2020, amount="1", version=1)
    assert any("FOR UPDATE" in q["sql"] and "programmes_programme" in q["sql"] for q in queries.captured_queries)
