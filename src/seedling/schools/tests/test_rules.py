"""Pure rules of schools: grades by kind, school years and terms, roster values."""

import datetime

import pytest

from seedling.schools import rules

TODAY = datetime.date(2024, 10, 8)


@pytest.mark.parametrize(
    ("kind", "grade", "ok"),
    [
        ("primary", 1, True),
        ("primary", 6, True),
        ("primary", 7, False),
        ("junior", 8, True),
        ("junior", 5, False),
        ("nine_year", 9, True),
        ("senior", 10, True),
        ("special", 12, True),
        ("primary", 0, False),
        ("primary", 13, False),
        ("primary", None, False),
    ],
)
def test_grade_fits_kind(kind, grade, ok):
    assert (rules.grade_problem(kind, grade) is None) is ok


@pytest.mark.parametrize(
    ("day", "year", "term"),
    [
        (datetime.date(2024, 9, 1), 2024, datetime.date(2024, 9, 1)),
        (datetime.date(2024, 12, 31), 2024, datetime.date(2024, 9, 1)),
        (datetime.date(2025, 1, 20), 2024, datetime.date(2024, 9, 1)),
        (datetime.date(2025, 2, 1), 2024, datetime.date(2025, 2, 1)),
        (datetime.date(2025, 8, 31), 2024, datetime.date(2025, 2, 1)),
    ],
)
def test_school_year_and_term(day, year, term):
    assert rules.school_year_of(day) == year
    assert rules.term_start(day) == term


@pytest.mark.parametrize(
    ("raw", "sex", "bad"),
    [("男", "M", False), ("女", "F", False), ("F", "F", False), ("", "", False), ("未知", "", True)],
)
def test_parse_sex(raw, sex, bad):
    value, problem = rules.parse_sex(raw)
    assert value == sex and (problem is not None) is bad


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2014-05-01", datetime.date(2014, 5, 1)),
        ("2014/5/1", datetime.date(2014, 5, 1)),
        ("2014年5月1日", datetime.date(2014, 5, 1)),
        ("20140501", datetime.date(2014, 5, 1)),
        (datetime.datetime(2014, 5, 1, 0, 0), datetime.date(2014, 5, 1)),
        ("", None),
    ],
)
def test_birth_date_formats(raw, expected):
    day, problem = rules.parse_birth_date(raw, today=TODAY)
    assert day == expected and problem is None


@pytest.mark.parametrize("raw", ["2014-02-30", "五月一日", "2023-01-01", "1990-01-01"])
def test_birth_date_problems(raw):
    day, problem = rules.parse_birth_date(raw, today=TODAY)
    assert day is None and problem
