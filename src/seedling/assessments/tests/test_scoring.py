"""Scoring tables for every shipped instrument: hand-checked totals, bands and the actions they trigger."""

import pytest

from seedling.assessments import scoring
from seedling.assessments.definitions import definition_read
from seedling.assessments.services import BUILTIN_DIR


def load(name: str) -> dict:
    return definition_read(BUILTIN_DIR / f"{name}.json")


def answers(values, start: int = 1) -> dict:
    """Item id -> value for items start, start+1, ...; None leaves an item unanswered."""
    return {str(i): v for i, v in enumerate(values, start) if v is not None}


def check(name, given, total, band, action, days=None):
    result = scoring.score(load(name), given)
    assert result.scales["total"] == total
    assert result.band == band
    assert result.action == action
    assert result.within_days == days
    return result


PHQ9 = [
    # item 1..9 answers, total, band, action, days
    ([0] * 9, 0, "green", "none", None),
    ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "yellow", "watch", None),
    ([2, 2, 2, 2, 1, 0, 0, 0, 0], 9, "yellow", "watch", None),
    ([2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "orange", "counsellor_within_days", 7),
    ([3, 3, 3, 2, 2, 1, 0, 0, 0], 14, "orange", "counsellor_within_days", 7),
    ([3, 3, 3, 3, 2, 1, 0, 0, 0], 15, "orange", "counsellor_within_days", 3),
    ([3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "orange", "counsellor_within_days", 3),
    ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "red", "urgent_referral_today", None),
    ([3, 3, 3, 3, 3, 3, 3, 3, 0], 24, "red", "urgent_referral_today", None),
    ([3] * 9, 27, "red", "urgent_referral_today", None),
    # item 9 above 0 is urgent whatever the total
    ([0, 0, 0, 0, 0, 0, 0, 0, 1], 1, "green", "urgent_referral_today", None),
    ([1, 1, 1, 1, 1, 0, 0, 0, 2], 7, "yellow", "urgent_referral_today", None),
]


@pytest.mark.parametrize(("values", "total", "band", "action", "days"), PHQ9)
def test_phq9(values, total, band, action, days):
    check("phq9", answers(values), total, band, action, days)


@pytest.mark.parametrize(("values", "total", "band", "action", "days"), PHQ9)
def test_phq_a_scores_like_the_phq9(values, total, band, action, days):
    check("phq-a", answers(values), total, band, action, days)


def test_phq9_item_9_reason_is_given():
    result = check("phq9", answers([0] * 8 + [1]), 1, "green", "urgent_referral_today")
    critical = [r for r in result.reasons if r["kind"] == "critical"]
    assert critical and critical[0]["item"] == "9"
    assert "自杀" in scoring.reason_text(critical[0], "zh-hans")
    assert "suicide" in scoring.reason_text(critical[0], "en")


def test_phq9_functional_item_is_not_scored():
    check("phq9", {**answers([1] * 9), "10": 3}, 9, "yellow", "urgent_referral_today")


def test_phq9_one_missing_item_is_prorated_two_make_it_incomplete():
    result = check("phq9", answers([2, 2, 2, 2, 2, 2, 2, 2, None]), 18, "orange", "counsellor_within_days", 3)
    assert result.missing == ["9"] and any(r["kind"] == "prorated" for r in result.reasons)
    result = scoring.score(load("phq9"), answers([3, 3, 3, 3, 3, 3, 3, None, None]))
    assert result.scales["total"] is None and result.band is None and not result.complete
    assert result.action == "none"


def test_phq9_item_9_is_urgent_even_when_the_total_is_incomplete():
    result = scoring.score(load("phq9"), answers([None, None, None, 0, 0, 0, 0, 0, 3]))
    assert result.scales["total"] is None and result.action == "urgent_referral_today"


@pytest.mark.parametrize(
    ("extra", "action", "days"),
    [
        ({"10": 1, "11": 2}, "none", None),  # not scored, not critical
        ({"12": 1}, "urgent_referral_today", None),  # serious thoughts of ending life in the past month
        ({"13": 1}, "counsellor_within_days", 3),  # a past attempt
        ({"12": 0, "13": 0}, "none", None),
    ],
)
def test_phq_a_suicide_questions(extra, action, days):
    check("phq-a", {**answers([0, 1, 0, 0, 0, 1, 0, 0, 0]), **extra}, 2, "green", action, days)


@pytest.mark.parametrize(
    ("values", "total", "band", "action", "days"),
    [
        ([0] * 7, 0, "green", "none", None),
        ([1, 1, 1, 1, 0, 0, 0], 4, "green", "none", None),
        ([1, 1, 1, 1, 1, 0, 0], 5, "yellow", "watch", None),
        ([2, 2, 2, 2, 1, 0, 0], 9, "yellow", "watch", None),
        ([2, 2, 2, 2, 2, 0, 0], 10, "orange", "counsellor_within_days", 7),
        ([3, 3, 3, 3, 2, 0, 0], 14, "orange", "counsellor_within_days", 7),
        ([3, 3, 3, 3, 3, 0, 0], 15, "orange", "counsellor_within_days", 3),
        ([3] * 7, 21, "orange", "counsellor_within_days", 3),
        ([3, 3, 3, 3, 3, 3, None], 21, "orange", "counsellor_within_days", 3),  # 18 * 7/6 prorated
    ],
)
def test_gad7(values, total, band, action, days):
    check("gad7", answers(values), total, band, action, days)


def cesdc(others: int | list, positives: int) -> dict:
    """CES-DC answers: the 16 negatively worded items, and items 4, 8, 12, 16 (reverse scored)."""
    negative = [i for i in range(1, 21) if i not in (4, 8, 12, 16)]
    values = others if isinstance(others, list) else [others] * 16
    given = {str(i): v for i, v in zip(negative, values, strict=True)}
    given.update({str(i): positives for i in (4, 8, 12, 16)})
    return given


@pytest.mark.parametrize(
    ("given", "total", "band", "action"),
    [
        (cesdc(0, 0), 12, "green", "none"),  # never happy or hopeful: the reversed items score 3 each
        (cesdc(0, 3), 0, "green", "none"),
        (cesdc(1, 1), 24, "orange", "counsellor_within_days"),
        (cesdc([1] * 14 + [0, 0], 3), 14, "green", "none"),
        (cesdc([1] * 15 + [0], 3), 15, "orange", "counsellor_within_days"),
        (cesdc(3, 0), 60, "orange", "counsellor_within_days"),
    ],
)
def test_ces_dc(given, total, band, action):
    check("ces-dc", given, total, band, action, 7 if action != "none" else None)


SA, A, D, SD = 3, 2, 1, 0  # Rosenberg answer values: strongly agree .. strongly disagree


def rses(p1, n2, p3, p4, n5, n6, p7, n8, n9, p10) -> dict:
    return answers([p1, n2, p3, p4, n5, n6, p7, n8, n9, p10])


@pytest.mark.parametrize(
    ("given", "total", "band", "action"),
    [
        (rses(A, A, A, A, A, A, A, A, A, A), 15, "green", "none"),
        (rses(D, D, D, D, D, D, D, D, D, D), 15, "green", "none"),
        (rses(SA, SD, SA, SA, SD, SD, SA, SD, SD, SA), 30, "green", "none"),
        (rses(SD, SA, SD, SD, SA, SA, SD, SA, SA, SD), 0, "yellow", "watch"),
        (rses(D, A, D, D, A, A, D, A, A, D), 10, "yellow", "watch"),
        (rses(SA, D, A, D, A, A, D, A, A, D), 14, "yellow", "watch"),
        (rses(SA, D, A, D, D, A, D, A, A, D), 15, "green", "none"),
    ],
)
def test_rosenberg(given, total, band, action):
    check("rosenberg", given, total, band, action)


LONELY = [3, 6, 9, 12, 14, 17, 18, 20, 21, 24]
POSITIVE = [1, 4, 8, 10, 16, 22]
FILLER = [2, 5, 7, 11, 13, 15, 19, 23]


def cls(lonely: int, positive: int, filler: int = 3) -> dict:
    given = {str(i): lonely for i in LONELY}
    given.update({str(i): positive for i in POSITIVE})
    given.update({str(i): filler for i in FILLER})
    return given


@pytest.mark.parametrize(
    ("given", "total", "band", "action", "days"),
    [
        (cls(1, 5), 16, "green", "none", None),  # least lonely
        (cls(1, 1), 40, "green", "none", None),
        (cls(5, 5), 56, "yellow", "watch", None),
        (cls(4, 2), 64, "yellow", "watch", None),
        ({**cls(4, 2), "3": 5}, 65, "orange", "counsellor_within_days", 14),
        (cls(5, 1), 80, "orange", "counsellor_within_days", 14),
        (cls(5, 1, filler=1), 80, "orange", "counsellor_within_days", 14),  # hobbies do not count
    ],
)
def test_childrens_loneliness_scale(given, total, band, action, days):
    check("cls", given, total, band, action, days)


def test_loneliness_cutoffs_are_marked_as_configurable_defaults():
    assert load("cls")["cutoffs_are_defaults"] is True


def test_an_answer_outside_the_options_is_refused():
    with pytest.raises(scoring.ScoringError):
        scoring.score(load("phq9"), {"1": 4})
    with pytest.raises(scoring.ScoringError):
        scoring.score(load("phq9"), {"1": "often"})


def test_answers_may_be_given_as_text_as_stored_from_the_form():
    check("phq9", {str(i): "2" for i in range(1, 10)}, 18, "orange", "urgent_referral_today")
