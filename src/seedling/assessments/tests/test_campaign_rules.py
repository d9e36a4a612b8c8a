"""Pure rules of screening campaigns: codes, consent age, windows, kind feedback, age ranges."""

import datetime

import pytest

from seedling.assessments import rules

NOW = datetime.datetime(2026, 5, 10, 8, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def test_new_codes_use_only_unambiguous_characters_and_survive_how_children_type_them():
    for _ in range(200):
        code = rules.code_new()
        assert len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET)
        typed = rules.code_display(code).lower().replace("-", " - ")
        assert rules.code_normalize(typed) == code


@pytest.mark.parametrize("raw", ["", "ABC", "ABCD-EFGH-J", "ABCD-EF0H", "ABCD EFG!", "1234-5678"])
def test_what_cannot_be_a_code_normalizes_to_nothing(raw):
    assert rules.code_normalize(raw) == ""


@pytest.mark.parametrize(
    ("birth", "needed"),
    [
        (None, True),  # unknown age counts as under 14
        (datetime.date(2012, 5, 11), True),  # 14 tomorrow
        (datetime.date(2012, 5, 10), False),  # 14 today
        (datetime.date(2010, 1, 1), False),
        (datetime.date(2016, 9, 1), True),
    ],
)
def test_guardian_consent_is_needed_under_14_or_when_the_age_is_unknown(birth, needed):
    assert rules.needs_guardian_consent(birth, datetime.date(2026, 5, 10)) is needed


@pytest.mark.parametrize(
    ("status", "opens", "closes", "state"),
    [
        ("draft", -HOUR, HOUR, rules.Window.DRAFT),
        ("open", HOUR, 2 * HOUR, rules.Window.NOT_YET),
        ("open", -HOUR, HOUR, rules.Window.OPEN),
        ("open", -2 * HOUR, -HOUR, rules.Window.ENDED),
        ("closed", -HOUR, HOUR, rules.Window.ENDED),
    ],
)
def test_the_window_decides_whether_answers_are_taken(status, opens, closes, state):
    assert rules.window_state(status, NOW + opens, NOW + closes, NOW) == state


@pytest.mark.parametrize(
    ("band", "action", "score", "kind", "hotlines"),
    [
        ("green", "none", {}, rules.Feedback.WELL, False),
        ("yellow", "watch", {}, rules.Feedback.CARE, False),
        ("orange", "counsellor_within_days", {}, rules.Feedback.TALK, True),
        ("red", "urgent_referral_today", {}, rules.Feedback.URGENT, True),
        # A green total with a critical item (PHQ item 9 > 0) is urgent and shows the hotlines.
        ("green", "urgent_referral_today", {"reasons": [{"kind": "critical"}]}, rules.Feedback.URGENT, True),
        ("", "", None, rules.Feedback.THANKS, False),
    ],
)
def test_feedback_is_chosen_by_band_and_critical_items(band, action, score, kind, hotlines):
    assert rules.feedback_kind(band, action, score) == kind
    assert rules.shows_hotlines(band, action, score) is hotlines


def test_age_range_bounds_select_exactly_the_ages_in_range():
    on = datetime.date(2026, 3, 1)
    after, latest = rules.birth_date_bounds({"min": 11, "max": 17}, on)

    def inside(birth):
        return birth > after and birth <= latest

    assert inside(datetime.date(2015, 3, 1))  # 11 today
    assert not inside(datetime.date(2015, 3, 2))  # 10
    assert inside(datetime.date(2008, 3, 2))  # 17, 18 tomorrow
    assert not inside(datetime.date(2008, 3, 1))  # 18 today
    assert rules.birth_date_bounds(None, on) == (None, None)


def test_campaign_figures_are_checked_with_messages_that_name_the_field():
    errors = rules.campaign_field_errors(
        {
            "title": " ",
            "opens_at": NOW,
            "closes_at": NOW - HOUR,
            "remind_every_days": 31,
            "rescreen_after_days": 3,
        },
        now=NOW,
    )
    assert set(errors) == {"title", "closes_at", "remind_every_days", "rescreen_after_days"}
    assert "晚于开始时间" in errors["closes_at"]
    past = rules.campaign_field_errors(
        {"title": "x", "opens_at": NOW - 3 * HOUR, "closes_at": NOW - HOUR, "remind_every_days": 3}, now=NOW
    )
    assert "已经过去" in past["closes_at"]
    ok = {
        "title": "x",
        "opens_at": NOW,
        "closes_at": NOW + HOUR,
        "remind_every_days": 0,
        "rescreen_after_days": None,
    }
    assert rules.campaign_field_errors(ok, now=NOW) == {}
