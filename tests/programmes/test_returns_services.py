"""Entering one quarter's monitoring return: the rules (counts, age bands, spend, the programme's dates), the
one transaction with its audit, and a stale form refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.programmes import factories as f
from vrhub.core.models import AuditEntry
from vrhub.programmes.catalogue import PEOPLE_MAX
from vrhub.programmes.models import MonitoringReturn
from vrhub.programmes.selectors.returns import return_version, returns_for
from vrhub.programmes.services.returns import return_save

pytestmark = pytest.mark.django_db

GOOD = {
    "reached_direct": "30",
    "reached_indirect": "90",
    "reached_by_age": {"10_14": "10", "15_17": "12"},
    "outputs": "Weekly mentoring",
    "spend_to_date": "25000.50",
}


@pytest.fixture
def hav(programmes_world):
    return programmes_world["havering_programme"]


def _save(programme, user, quarter=2, year=2020, **changes):
    return return_save(programme=programme, user=user, year=year, quarter=quarter, data={**GOOD, **changes})


def _error(exc_info, field):
    return " ".join(exc_info.value.message_dict[field])


def test_a_new_return_is_saved_and_audited(hav, editor):
    saved = _save(hav, editor)
    found = MonitoringReturn.objects.get(programme=hav, year=2020, quarter=2)
    assert saved.created
    assert (found.reached_direct, found.reached_indirect) == (30, 90)
    assert found.reached_by_age == {"10_14": 10, "15_17": 12}
    assert found.spend_to_date == Decimal("25000.50")
    assert found.submitted_by == editor
    entries = AuditEntry.objects.filter(object_type="programmes.monitoringreturn", object_id=str(found.pk))
    assert {e.field for e in entries} >= {"reached_direct", "spend_to_date", "reached_by_age"}
    assert all(e.actor == editor for e in entries)


def test_a_change_is_audited_old_to_new(hav, editor):
    _save(hav, editor)
    AuditEntry.objects.all().delete()
    saved = _save(hav, editor, reached_direct="35")
    assert saved.changes == {"reached_direct": (30, 35)}
    entry = AuditEntry.objects.get(object_type="programmes.monitoringreturn")
    assert (entry.field, entry.old, entry.new) == ("reached_direct", "30", "35")


def test_blank_counts_are_not_reported_never_zero(hav, editor):
    _save(hav, editor, reached_direct="", reached_indirect="", reached_by_age={}, spend_to_date="")
    found = MonitoringReturn.objects.get(programme=hav, year=2020, quarter=2)
    assert found.reached_direct is None
    assert found.reached_indirect is None
    assert found.spend_to_date is None


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("reached_direct", "-3", "cannot be negative"),
        ("reached_direct", "2.5", "whole number"),
        ("reached_direct", str(PEOPLE_MAX + 1), f"at most {PEOPLE_MAX:,}"),
        ("reached_direct", "9" * 40, f"at most {PEOPLE_MAX:,}"),
        ("reached_indirect", "lots", "whole number"),
        ("spend_to_date", "-1", "must not be negative"),
        ("spend_to_date", "10.555", "2 decimal places"),
        ("spend_to_date", "99999999999", "at most £9,999,999,999.99"),
        ("spend_to_date", "NaN", "pounds and pence"),
        ("outputs", "a\x00b", "NUL"),
        ("outputs", "x" * 2001, "limit is 2,000"),
    ],
)
def test_bad_values_are_refused_naming_the_field(hav, editor, field, value, words):
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, **{field: value})
    assert words in _error(caught, field)
    assert not MonitoringReturn.objects.filter(programme=hav, quarter=2).exists()


def test_age_bands_cannot_add_up_to_more_than_the_direct_count(hav, editor):
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, reached_direct="20", reached_by_age={"10_14": "15", "15_17": "6"})
    assert "add up to 21 people, more than the 20 people reached directly" in _error(caught, "reached_by_age")


def test_age_bands_are_agebands_only(hav, editor):
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, reached_by_age={"toddlers": "3"})
    assert "'toddlers' is not an age band" in _error(caught, "reached_by_age")


def test_age_bands_need_the_direct_count(hav, editor):
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, reached_direct="", reached_by_age={"10_14": "3"})
    assert "age bands add up to 3 people" in _error(caught, "reached_direct")


def test_spend_to_date_cannot_go_down_from_an_earlier_quarter(hav, editor):
    # The world's Q1 return reported £12,000.00.
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, spend_to_date="11999.99")
    assert "less than Q1's (£12,000.00)" in _error(caught, "spend_to_date")


def test_spend_to_date_cannot_be_above_a_later_quarter(hav, editor):
    _save(hav, editor, quarter=3, spend_to_date="30000")
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, quarter=2, spend_to_date="30000.01")
    assert "more than Q3's (£30,000.00)" in _error(caught, "spend_to_date")


def test_spend_to_date_is_checked_against_the_latest_earlier_quarter(hav, editor):
    # Q1 (the world's) £12,000.00 and Q2 £25,000.50: Q3 at £20,000 is above Q1 but below Q2, so it is refused
    # naming Q2, and nothing is saved; equal to Q2 is not going down, and is saved.
    _save(hav, editor, quarter=2, spend_to_date="25000.50")
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, quarter=3, spend_to_date="20000")
    assert "less than Q2's (£25,000.50)" in _error(caught, "spend_to_date")
    assert not MonitoringReturn.objects.filter(programme=hav, year=2020, quarter=3).exists()
    saved = _save(hav, editor, quarter=3, spend_to_date="25000.50")
    assert saved.monitoring_return.spend_to_date == Decimal("25000.50")


def test_spend_to_date_is_checked_against_the_next_later_quarter(hav, editor):
    # Q3 £30,000 and Q4 £40,000: Q2 at £35,000 is below Q4 but above Q3, so it is refused naming Q3, and nothing
    # is saved; equal to Q3 is saved.
    _save(hav, editor, quarter=3, spend_to_date="30000")
    _save(hav, editor, quarter=4, spend_to_date="40000")
    with pytest.raises(ValidationError) as caught:
        _save(hav, editor, quarter=2, spend_to_date="35000")
    assert "more than Q3's (£30,000.00)" in _error(caught, "spend_to_date")
    assert not MonitoringReturn.objects.filter(programme=hav, year=2020, quarter=2).exists()
    assert _save(hav, editor, quarter=2, spend_to_date="30000").monitoring_return.spend_to_date == Decimal("30000")


def test_spend_above_the_years_amount_is_saved_with_a_warning(hav, editor):
    saved = _save(hav, editor, spend_to_date="60000.01")  # the world's amount for 2020/21 is £60,000.00
    assert saved.monitoring_return.spend_to_date == Decimal("60000.01")
    assert saved.warnings == [
        "The spend to date (£60,000.01) is more than the programme's amount for 2020/21 (£60,000.00)."
    ]


def test_a_quarter_after_the_programme_ended_is_refused_naming_the_dates(havering, editor):
    programme = f.ProgrammeFactory(owner=havering, start_date=dt.date(2020, 4, 1), end_date=dt.date(2020, 6, 30))
    with pytest.raises(ValidationError) as caught:
        _save(programme, editor, quarter=4)
    message = _error(caught, "quarter")
    assert "Q4 2020/21 (1 January 2021 to 31 March 2021) starts after the programme ended on 30 June 2020" in message
    assert "1 April 2020" in message
    _save(programme, editor, quarter=1)  # the quarter it ran in is fine


def test_a_quarter_before_the_programme_started_is_refused(havering, editor):
    programme = f.ProgrammeFactory(owner=havering, start_date=dt.date(2021, 1, 15), end_date=None)
    with pytest.raises(ValidationError) as caught:
        _save(programme, editor, quarter=3)
    assert "ends before the programme started on 15 January 2021" in _error(caught, "quarter")


def test_a_stale_form_is_refused(hav, editor):
    _save(hav, editor)
    current = MonitoringReturn.objects.get(programme=hav, year=2020, quarter=2)
    loaded = return_version(monitoring_return=current)
    _save(hav, editor, reached_direct="31")
    with pytest.raises(ValidationError) as caught:
        return_save(
            programme=hav, user=editor, year=2020, quarter=2, data={**GOOD, "reached_direct": "40"}, version=loaded
        )
    assert "changed by someone else" in " ".join(caught.value.messages)
    assert MonitoringReturn.objects.get(pk=current.pk).reached_direct == 31


def test_a_new_return_form_is_refused_if_someone_entered_it_meanwhile(hav, editor):
    _save(hav, editor)
    with pytest.raises(ValidationError):
        return_save(programme=hav, user=editor, year=2020, quarter=2, data=GOOD, version="")


def test_a_viewer_cannot_save(programmes_world, lambeth_editor):
    with pytest.raises(PermissionDenied):
        _save(programmes_world["vru_programme"], lambeth_editor)


def test_returns_for_lists_quarters_in_order(hav, editor):
    _save(hav, editor, quarter=3, spend_to_date="40000")
    _save(hav, editor, quarter=2)
    assert [(r.year, r.quarter) for r in returns_for(programme=hav)] == [(2020, 1), (2020, 2), (2020, 3)]
