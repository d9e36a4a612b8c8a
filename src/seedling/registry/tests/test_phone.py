"""Phone numbers are stored in one normalised form, whatever people type."""

import pytest

from seedling.registry.phone import InvalidPhone, normalize_phone


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("0086 138 0013 8000", "13800138000"),
        ("＋８６ １３８００１３８０００", "13800138000"),  # full-width, from a Chinese input method
        ("19912345678", "19912345678"),
        ("0579-87654321", "057987654321"),  # landline with area code
        ("(0579) 8765 4321", "057987654321"),
        ("（0579）87654321", "057987654321"),
        ("010-12345678", "01012345678"),  # Beijing
        ("+86 10 1234 5678", "01012345678"),  # international form drops the trunk 0
        ("+86 579 8765 4321", "057987654321"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalisations(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed,says",
    [
        ("1380013800", "11 位"),  # 10 digits
        ("138001380001", "11 位"),  # 12 digits
        ("12800138000", "11 位"),  # no mobile starts with 12
        ("+86 1380013800", "11 位"),
        ("1380013800a", "只能包含数字"),
        ("138.0013.8000", "只能包含数字"),
        ("+1 555 123 4567", "只能包含数字"),
        ("87654321", "区号"),  # landline without area code
        ("0579123", "区号"),
        ("05791234567890", "区号"),
        ("23800138000", "区号"),
    ],
)
def test_refusals_say_why(typed, says):
    with pytest.raises(InvalidPhone) as exc:
        normalize_phone(typed)
    assert says in str(exc.value)
