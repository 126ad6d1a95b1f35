"""Property-based tests of every place plans read dates from text: the action form's date fields and
the workbook import's ``parse_date``. Any text gives a date or a clear error; real dates come back."""

import calendar
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vrhub.plans.forms import PlanActionForm
from vrhub.workbooks.parsing import ParsedDate, ParseError, parse_date

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
ANY_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789/-. QqEeSsTt()cC", max_size=20),
    st.from_regex(r"\A(Q[0-9]|[A-Za-z]{3,9}\.?|[0-9]{1,2}/[0-9]{1,2}/)?\s?[0-9]{1,5}(/[0-9]{1,4})?\Z"),
    st.builds(lambda n: "1" * n, st.integers(0, 5000)),
)
MONTHS = [m for m in calendar.month_name if m] + [m for m in calendar.month_abbr if m]


@SETTINGS
@given(value=st.one_of(st.none(), ANY_TEXT, st.integers(), st.floats(), DATES, st.datetimes()))
@pytest.mark.parametrize("end", [False, True])
def test_any_cell_gives_a_date_a_note_or_a_clear_error(value, end):
    try:
        parsed = parse_date(value, end=end)
    except ParseError as exc:
        assert len(str(exc)) < 300
        return
    assert isinstance(parsed, ParsedDate)
    assert parsed.value is None or isinstance(parsed.value, date)
    assert parsed.value is None or not parsed.note


@SETTINGS
@given(day=DATES, end=st.booleans(), estimated=st.booleans())
def test_real_dates_written_as_people_write_them_come_back(day, end, estimated):
    y, m, d = day.year, day.month, day.day
    written = [day, datetime(y, m, d, 9, 30), f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}-{m}-{d}"]
    written += [f"{d}/{m}/{y:04d}", f"{d:02d}.{m:02d}.{y:04d}", f"{d:02d}-{m:02d}-{y:04d}"]
    if 2000 <= y <= 2099:
        written.append(f"{d:02d}/{m:02d}/{y % 100:02d}")
    for value in written:
        text = f"{value} (est)" if estimated and isinstance(value, str) else value
        parsed = parse_date(text, end=end)
        assert (parsed.value, parsed.estimated) == (day, estimated and isinstance(value, str)), text


@SETTINGS
@given(year=st.integers(1, 9999), month=st.integers(1, 12), end=st.booleans(), abbreviated=st.booleans())
def test_a_month_stands_for_its_first_or_last_day(year, month, end, abbreviated):
    name = (calendar.month_abbr if abbreviated else calendar.month_name)[month]
    last = calendar.monthrange(year, month)[1]
    parsed = parse_date(f"{name} {year:04d}", end=end)
    assert parsed.value == date(year, month, last if end else 1)


@SETTINGS
@given(first_year=st.integers(1, 9998), quarter=st.integers(1, 4), end=st.booleans())
def test_a_financial_quarter_stands_for_its_first_or_last_day(first_year, quarter, end):
    start_month = {1: 4, 2: 7, 3: 10, 4: 1}[quarter]
    year = first_year + 1 if quarter == 4 else first_year
    month = start_month + 2 if end else start_month
    expected = date(year, month, calendar.monthrange(year, month)[1] if end else 1)
    text = f"Q{quarter} {first_year:04d}/{(first_year + 1) % 100:02d}"
    assert parse_date(text, end=end).value == expected


@pytest.mark.parametrize("text", ["March 0000", "Sept 0000", "Q4 9999/00", "Q1 0000/01"])
def test_years_outside_the_calendar_are_a_clear_error_not_a_crash(text):
    with pytest.raises(ParseError, match="is not a real date"):
        parse_date(text, end=True)


def form_for(action, **dates):
    data = {f"a{action.pk}-version": action.version} | {f"a{action.pk}-{k}": v for k, v in dates.items()}
    return PlanActionForm(data, action=action)


@pytest.mark.django_db
@SETTINGS
@given(start=ANY_TEXT, end=ANY_TEXT)
def test_the_action_forms_dates_accept_any_text_without_failing(plan, start, end):
    form = form_for(plan.actions.get(code="GOV-M1"), start_date=start, end_date=end)
    if form.is_valid():
        assert all(
            form.cleaned_data[k] is None or isinstance(form.cleaned_data[k], date) for k in ("start_date", "end_date")
        )
    else:
        for key in ("start_date", "end_date"):
            assert set(form.errors.get(key, [])) <= {"Start date must be a real date", "End date must be a real date"}


@pytest.mark.django_db
@SETTINGS
@given(day=st.dates(min_value=date(1000, 1, 1)), style=st.sampled_from(["%Y-%m-%d", "%d/%m/%Y"]))
def test_the_action_forms_dates_round_trip(plan, day, style):
    action = plan.actions.get(code="GOV-M1")
    form = form_for(action, start_date=day.strftime(style), end_date=day.strftime(style))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] == form.cleaned_data["end_date"] == day
