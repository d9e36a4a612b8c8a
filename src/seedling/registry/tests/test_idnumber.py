"""Resident identity numbers (GB 11643-1999): what is accepted, what is refused, what they tell."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seedling.registry import idnumber
from seedling.registry.idnumber import InvalidIdNumber, make, mask, parse

OFFICIAL = "11010519491231002X"  # the example printed in GB 11643-1999
TODAY = datetime.date(2025, 6, 1)


def test_the_official_example_is_valid_and_tells_birth_date_sex_and_address():
    facts = parse(OFFICIAL, today=TODAY)
    assert facts.number == OFFICIAL
    assert facts.address_code == "110105"
    assert facts.birth_date == datetime.date(1949, 12, 31)
    assert facts.sex == "F"  # sequence 002 is even


def test_an_odd_sequence_is_a_boy():
    number = make("330723", datetime.date(2015, 6, 1), 17)
    assert parse(number, today=TODAY).sex == "M"


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",  # lower-case check character
        " 110105 19491231 002X ",
        "110105-19491231-002X",
        "110105　19491231　002X",  # ideographic spaces
        "１１０１０５１９４９１２３１００２ｘ",  # full-width, as Chinese input methods type it
    ],
)
def test_what_people_type_is_normalised(typed):
    assert parse(typed, today=TODAY).number == OFFICIAL


@pytest.mark.parametrize(
    "number,says",
    [
        ("", "18 位"),
        ("11010519491231002", "18 位"),  # 17 characters
        ("11010519491231002X1", "18 位"),  # 19
        ("110105194912310", "18 位"),  # an old 15-digit number
        ("11010519491231A02X", "前 17 位"),
        ("1101051949123100XX", "前 17 位"),
        ("01010519491231002X", "前 17 位"),  # address codes never start with 0
        ("110105194912310029", "校验位"),  # wrong check character
    ],
)
def test_malformed_numbers_are_refused_with_the_reason(number, says):
    with pytest.raises(InvalidIdNumber) as exc:
        parse(number, today=TODAY)
    assert says in str(exc.value)


@pytest.mark.parametrize("position", range(17))
def test_a_typo_in_any_single_digit_is_caught(position):
    digit = int(OFFICIAL[position])
    for replacement in {(digit + 1) % 10, (digit + 5) % 10}:
        typo = OFFICIAL[:position] + str(replacement) + OFFICIAL[position + 1 :]
        with pytest.raises(InvalidIdNumber):
            parse(typo, today=TODAY)


@pytest.mark.parametrize("check", "0123456789")
def test_every_wrong_check_character_is_refused(check):
    with pytest.raises(InvalidIdNumber):
        parse(OFFICIAL[:17] + check, today=TODAY)


@pytest.mark.parametrize(
    "birth,says",
    [
        ("20150230", "不是真实日期"),  # 30 February
        ("20151301", "不是真实日期"),
        ("20150100", "不是真实日期"),
        ("20250602", "不可能"),  # the day after TODAY
        ("20991231", "不可能"),
        ("18991231", "不可能"),  # before 1900
    ],
)
def test_impossible_birth_dates_are_refused(birth, says):
    first17 = "330723" + birth + "123"
    number = first17 + idnumber.check_character(first17)  # a correct check character: only the date is wrong
    with pytest.raises(InvalidIdNumber) as exc:
        parse(number, today=TODAY)
    assert says in str(exc.value)


def test_born_today_and_on_the_first_day_of_1900_are_accepted():
    assert parse(make("330723", TODAY, 1), today=TODAY).birth_date == TODAY
    assert parse(make("330723", datetime.date(1900, 1, 1), 1), today=TODAY).birth_date.year == 1900


def test_mask_shows_the_first_three_and_last_four():
    assert mask("33072320150601123X") == "330***********123X"
    assert mask(OFFICIAL) == "110***********002X"
    assert len(mask(OFFICIAL)) == 18


@given(
    address=st.sampled_from(["110105", "330723", "331081", "650102", "540102"]),
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_make_produces_numbers_that_parse_back(address, birth, sequence):
    number = make(address, birth, sequence)
    facts = parse(number, today=TODAY)
    assert (facts.address_code, facts.birth_date) == (address, birth)
    assert facts.sex == ("M" if sequence % 2 else "F")
    assert number[14:17] == f"{sequence:03d}"
