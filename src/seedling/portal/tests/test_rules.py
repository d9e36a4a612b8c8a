"""The portal's rules as tables: who gets which self-check, which result is urgent, codes, numbers."""

import pytest

from seedling.portal import rules

CHECK = {c.code: c for c in rules.SELF_CHECKS}


@pytest.mark.parametrize(
    ("code", "age_range", "who", "age", "expected"),
    [
        ("phq-a", {"min": 11, "max": 17}, "child", 11, True),
        ("phq-a", {"min": 11, "max": 17}, "child", 10, False),
        ("phq-a", {"min": 11, "max": 17}, "guardian", None, False),
        ("phq9", {"min": 12, "max": None}, "child", 15, False),  # adults only; PHQ-A for teenagers
        ("phq9", {"min": 12, "max": None}, "guardian", None, True),
        ("cls", {"min": 8, "max": 14}, "child", 14, True),
        ("cls", {"min": 8, "max": 14}, "child", 15, False),
        ("gad7", {"min": 11, "max": None}, "guardian", None, True),
        ("gad7", {"min": 11, "max": None}, "child", None, False),  # a child who has not said their age
        ("ces-dc", {"min": 6, "max": 17}, "guardian", None, False),
    ],
)
def test_suited(code, age_range, who, age, expected):
    assert rules.suited(CHECK[code], age_range, who=who, age=age) is expected


@pytest.mark.parametrize(
    ("band", "action", "reasons", "kind"),
    [
        ("green", "none", [], "calm"),
        ("yellow", "watch", [], "watch"),
        ("orange", "counsellor_within_days", [], "support"),
        ("red", "urgent_referral_today", [], "urgent"),
        ("orange", "none", [], "support"),  # an orange band alone puts the hotlines first
        (
            "green",
            "counsellor_within_days",
            [{"kind": "critical", "action": "counsellor_within_days"}],
            "support",
        ),
        (
            "green",
            "urgent_referral_today",
            [{"kind": "critical", "action": "urgent_referral_today"}],
            "urgent",
        ),
        ("green", "none", [{"kind": "critical", "action": "urgent_referral_today"}], "urgent"),
    ],
)
def test_feedback_kind(band, action, reasons, kind):
    assert rules.feedback_kind(band=band, action=action, score={"reasons": reasons}) == kind
    said = rules.feedback(band=band, action=action, score={"reasons": reasons}, topic="feelings")
    assert said.show_hotlines_first is (kind in ("support", "urgent"))


def test_adult_wording_for_guardians():
    child = rules.feedback(band="red", action="urgent_referral_today", score={}, topic="parenting")
    adult = rules.feedback(
        band="red", action="urgent_referral_today", score={}, topic="parenting", who="guardian"
    )
    assert "信任的大人" in child.body and "信任的大人" not in adult.body


def test_codes_use_an_unambiguous_alphabet_and_are_typed_loosely():
    codes = {rules.invitation_code_new() for _i in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in codes)
    assert rules.invitation_code_normalize(" abcd-efgh ") == "ABCDEFGH"
    assert rules.invitation_code_normalize("ABCD EFGH") == "ABCDEFGH"
    for bad in ("ABCD-EFG", "ABCD-EFG0", "ABCDEFGHJ", "", "ABCD-EFGI"):
        assert rules.invitation_code_normalize(bad) is None
    assert rules.invitation_code_display("ABCDEFGH") == "ABCD-EFGH"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("110", True),
        ("12355", True),
        ("0579-87654321", True),
        ("1" * 20, True),
        ("12", False),
        ("1" * 21, False),
        ("0579 87654321", False),
        ("-110", False),
        ("110-", False),
        ("+86-110", False),
        ("abc", False),
    ],
)
def test_phone_number(number, valid):
    assert rules.phone_number_valid(number) is valid


@pytest.mark.parametrize(
    "number, href",
    [
        ("12355", "tel:12355"),
        ("0579-8765 4321", "tel:057987654321"),
        (" 400 161 9995 ", "tel:4001619995"),
        ("+86 10 8295 1332", "tel:+861082951332"),
    ],
)
def test_a_hotline_link_dials_digits_only(number, href):
    assert rules.tel_href(number) == href
