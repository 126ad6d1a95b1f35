from datetime import date

import pytest

from vrhub.workbooks.parsing import ParseError, neutralise, parse_date, parse_status, parse_tick, status_from_colour


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("R", "red"),
        ("red", "red"),
        ("Amber", "amber"),
        (" GREEN ", "green"),
        ("g", "green"),
        ("Not started", "not_started"),
        ("NOT  STARTED", "not_started"),
        ("Completed", "complete"),
        ("Not being undertaken", "not_undertaken"),
        ("", ""),
        (None, ""),
    ],
)
def test_status_words(value, expected):
    assert parse_status(value) == expected


def test_status_unknown_word_names_the_choices():
    with pytest.raises(ParseError, match="use Red, Amber, Green"):
        parse_status("purple")


@pytest.mark.parametrize(
    ("rgb", "expected"),
    [
        ("FFFF0000", "red"),
        ("FFC00000", "red"),
        ("FFFFC000", "amber"),
        ("FFFFFF00", "amber"),
        ("FF00B050", "green"),
        ("FF92D050", "green"),
        ("FFFFFFFF", ""),
        ("FFD9D9D9", ""),
    ],
)
def test_status_from_fill_colour(rgb, expected):
    assert status_from_colour(rgb) == expected
    assert parse_status(None, rgb) == expected


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        ("31/03/2022", True, (date(2022, 3, 31), False, "")),
        ("1/4/21", False, (date(2021, 4, 1), False, "")),
        ("2021-04-01", False, (date(2021, 4, 1), False, "")),
        ("March 2022", True, (date(2022, 3, 31), False, "")),
        ("March 2022", False, (date(2022, 3, 1), False, "")),
        ("Sept 2021", False, (date(2021, 9, 1), False, "")),
        ("Q4 2021/22", True, (date(2022, 3, 31), False, "")),
        ("Q4 2021/22", False, (date(2022, 1, 1), False, "")),
        ("Q1 2022/23", True, (date(2022, 6, 30), False, "")),
        ("Ongoing", True, (None, False, "Ongoing")),
        ("TBC", False, (None, False, "TBC")),
        ("March 2022 (est)", True, (date(2022, 3, 31), True, "")),
        ("estimated 31/03/2022", True, (date(2022, 3, 31), True, "")),
        (date(2021, 5, 6), False, (date(2021, 5, 6), False, "")),
        (None, False, (None, False, "")),
    ],
)
def test_dates_people_write(value, end, expected):
    parsed = parse_date(value, end=end)
    assert (parsed.value, parsed.estimated, parsed.note) == expected


@pytest.mark.parametrize("value", ["31/02/2022", "next year", "2022", 44651])
def test_bad_dates_say_what_is_expected(value):
    with pytest.raises(ParseError):
        parse_date(value, end=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Yes", True), ("✓", True), ("x", True), (True, True), ("", False), (None, False), ("No", False)],
)
def test_ticks(value, expected):
    assert parse_tick(value) is expected


def test_neutralise_formula_like_text():
    assert neutralise("=SUM(A1)") == "'=SUM(A1)"
    assert neutralise("-10% knife crime") == "'-10% knife crime"
    assert neutralise("Fewer injuries") == "Fewer injuries"
