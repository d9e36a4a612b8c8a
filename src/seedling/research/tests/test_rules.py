"""De-identification rules and pseudonyms: pure functions, tables of cases."""

import datetime
import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seedling.research import rules
from seedling.research.pseudonym import pseudonym, research_key

D = datetime.date


@pytest.mark.parametrize(
    ("birth", "day", "band"),
    [
        (D(2011, 4, 5), D(2024, 5, 10), "12–14"),  # 13
        (D(2011, 4, 5), D(2020, 4, 4), "6–8"),  # 8, a day before turning 9
        (D(2011, 4, 5), D(2020, 4, 5), "9–11"),  # 9 on the birthday
        (D(2006, 1, 1), D(2024, 1, 1), "18+"),
        (D(2007, 1, 2), D(2024, 1, 1), "15–17"),
        (D(2022, 1, 1), D(2024, 1, 1), "0–5"),
        (None, D(2024, 1, 1), "unknown"),
        (D(2025, 1, 1), D(2024, 1, 1), "unknown"),  # a birth date after the response is an error
        (D(2012, 2, 29), D(2024, 2, 28), "9–11"),  # 11 until the 29th
    ],
)
def test_age_band_at_the_time_of_the_response(birth, day, band):
    assert rules.age_band(birth, day) == band


@given(birth=st.dates(D(1990, 1, 1), D(2024, 1, 1)), day=st.dates(D(2000, 1, 1), D(2030, 1, 1)))
def test_every_age_has_exactly_one_band(birth, day):
    band = rules.age_band(birth, day)
    assert band in rules.AGE_BAND_LABELS
    if birth <= day:
        age = rules.age_on(birth, day)
        low, high, _label = next(b for b in rules.AGE_BANDS if b[2] == band)
        assert age >= low and (high is None or age <= high)


def test_month_not_day():
    assert rules.year_month(D(2024, 5, 10)) == "2024-05"


def test_county_is_the_first_six_digits():
    assert rules.county_of("330723101201") == "330723"
    assert rules.county_of("3307") == "3307"
    assert rules.county_of(None) == ""


def test_small_counties_are_pooled_into_their_city_then_province_then_nowhere():
    counts = {"330723": 50, "330781": 3, "330782": 4, "331081": 2, "3307": 1, "110112": 9, "": 2}
    published = rules.area_generalise(counts, 5)
    assert published["330723"] == "330723" and published["110112"] == "110112"
    # 3 + 4 (+1 already at city level) rows of 金华市 pool to 3307; 温岭市's 2 rows alone in 台州市
    # and in the province's leftovers, so they lose their area.
    assert published["330781"] == published["330782"] == published["3307"] == "3307"
    assert published["331081"] == "" and published[""] == ""


@given(counts=st.dictionaries(st.from_regex(r"\A(11|33)(0[1-3])(0[1-4])\Z"), st.integers(1, 12), max_size=12))
def test_every_published_area_holds_at_least_the_minimum(counts):
    published = rules.area_generalise(counts, 5)
    totals: dict[str, int] = {}
    for code, n in counts.items():
        assert counts and code.startswith(published[code])
        totals[published[code]] = totals.get(published[code], 0) + n
    assert all(n >= 5 for code, n in totals.items() if code)


SPEC = {
    "children": [
        {"kind": "field", "type": "note", "name": "intro"},
        {"kind": "field", "type": "text", "name": "friend"},
        {"kind": "field", "type": "date", "name": "dob"},
        {"kind": "field", "type": "meta", "name": "start", "meta": "start"},
        {"kind": "field", "type": "integer", "name": "sleep"},
        {"kind": "field", "type": "calculate", "name": "calc", "calculate": "${sleep} * 2"},
        {
            "kind": "group",
            "name": "feelings",
            "children": [
                {"kind": "field", "type": "select_one", "name": "mood", "list": "m"},
                {"kind": "field", "type": "select_multiple", "name": "worries", "list": "w"},
                {"kind": "field", "type": "text", "name": "why"},
            ],
        },
        {
            "kind": "repeat",
            "name": "siblings",
            "children": [{"kind": "field", "type": "integer", "name": "age"}],
        },
    ]
}


def test_only_choice_and_number_questions_are_exported():
    assert rules.answer_columns(SPEC) == [
        ("q_sleep", ("sleep",)),
        ("q_feelings/mood", ("feelings", "mood")),
        ("q_feelings/worries", ("feelings", "worries")),
    ]
    assert rules.dropped_questions(SPEC) == ["friend", "dob", "calc", "feelings/why", "siblings"]


@pytest.mark.parametrize(
    ("answers", "path", "value"),
    [
        ({"sleep": 8}, ("sleep",), 8),
        ({"h": 1.5}, ("h",), 1.5),
        ({"item_9": "2"}, ("item_9",), 2),  # instrument options are numbers
        ({"g": {"mood": "sad"}}, ("g", "mood"), "sad"),
        ({"g": {"w": ["school", "home"]}}, ("g", "w"), "school home"),
        ({}, ("sleep",), ""),
        ({"g": "x"}, ("g", "mood"), ""),
    ],
)
def test_answer_values(answers, path, value):
    assert rules.answer_value(answers, path) == value


def test_pseudonyms_are_stable_per_key_and_unrelated_across_keys():
    one, two = research_key("a" * 64), research_key("b" * 64)
    assert pseudonym(one, child_id=7) == pseudonym(one, child_id=7)
    assert pseudonym(one, child_id=7) != pseudonym(two, child_id=7)
    assert pseudonym(one, child_id=7) != pseudonym(one, child_id=8)
    assert len(pseudonym(one, child_id=7)) == 24
    # Keyed: the plain hash of the id (which anyone could compute for every id) is not it.
    assert pseudonym(one, child_id=7) != hashlib.sha256(b"child:7").hexdigest()[:24]
    # A response without a child is its own subject; ids and uuids never collide.
    assert pseudonym(one, response_uuid="7") != pseudonym(one, child_id=7)
    with pytest.raises(ValueError):
        pseudonym(one)


def test_the_key_needs_the_servers_secret():
    assert research_key("s" * 64, secret_key="one") != research_key("s" * 64, secret_key="two")
