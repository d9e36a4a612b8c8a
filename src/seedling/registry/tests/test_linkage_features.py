"""Duplicate scoring (pure): each feature's level for the errors real registers hold, and the scores
of true duplicates against the hardest non-duplicates (twins, siblings, namesakes)."""

import datetime

import pytest

from seedling.registry import idnumber
from seedling.registry.linkage import features, scoring
from seedling.registry.linkage.chars import fuzzy_syllable, lookalike, simplified

D = datetime.date
BIRTH = D(2015, 3, 5)
VILLAGE = "330723101201"
PARENTS = ("张伟", "李芳")
THRESHOLD = scoring.DEFAULT_THRESHOLD


def rec(name="张浩然", *, sex="M", birth=BIRTH, id_number="", area=VILLAGE, guardians=PARENTS, key=0):
    return features.prepare(features.Record(key, name, sex, birth, id_number, area, guardians))


def number(birth=BIRTH, seq=31, address="330723"):
    return idnumber.make(address, birth, seq)


def retyped(valid: str, position: int, digit: str) -> str:
    """The number with one digit changed and the check character recomputed (a valid number)."""
    first17 = valid[:position] + digit + valid[position + 1 : 17]
    return first17 + idnumber.check_character(first17)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "surname", "given"),
    [
        ("张浩然", "张浩然", "same", "same"),
        ("張浩然", "张浩然", "same", "variant"),  # the surname in its traditional form
        ("張偉", "张伟", "same", "variant"),  # traditional characters throughout
        ("张子涵", "张梓涵", "same", "homophone"),  # the input method offers 梓 for zi
        ("章子涵", "张子涵", "homophone", "same"),  # 章 and 张 are both zhang
        ("李未来", "李末来", "same", "lookalike"),  # 未/末
        ("王士杰", "王土杰", "same", "lookalike"),  # 士/土
        ("玉明", "王明", "lookalike", "same"),  # 王/玉
        ("刘宁", "刘玲", "same", "near_sound"),  # n/l not told apart
        ("陈晨", "程晨", "near_sound", "same"),  # chen/cheng
        ("张浩明", "张明浩", "same", "swapped"),
        ("张浩然", "张浩宇", "same", "one_char"),  # siblings' names
        ("张浩然", "张一诺", "same", "differ"),
        ("张浩", "张浩然", "same", "partial"),
        ("Zhang Zihan", "张子涵", "homophone", "homophone"),  # typed in pinyin letters
        ("欧阳娜娜", "欧阳娜娜", "same", "same"),
        ("阿卜杜拉·艾买提", "阿卜杜拉·艾买提", "missing", "same"),
    ],
)
def test_name_levels(a, b, surname, given):
    x, y = rec(a).name, rec(b).name
    assert (features.surname_level(x, y), features.given_level(x, y)) == (surname, given)


def test_character_tables():
    assert simplified("劉偉華") == "刘伟华"
    assert lookalike("己", "已") and lookalike("已", "巳") and lookalike("戍", "戌")
    assert not lookalike("张", "李")
    assert fuzzy_syllable("zhang") == fuzzy_syllable("zan") == "zan"
    assert fuzzy_syllable("ning") == fuzzy_syllable("lin")


# --- birth date, sex, ID, area, parents ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (BIRTH, BIRTH, "same"),
        (D(2015, 3, 5), D(2015, 5, 3), "swapped"),  # month and day swapped
        (D(2015, 3, 5), D(2015, 3, 6), "one_digit"),
        (D(2015, 3, 5), D(2016, 3, 5), "one_digit"),  # the year mistyped
        (D(2015, 3, 15), D(2015, 3, 51 - 40), "one_digit"),  # 15 → 11
        (D(2015, 3, 5), D(2015, 2, 1), "near"),  # the lunar birthday, about a month earlier
        (D(2015, 3, 5), D(2012, 9, 9), "differ"),
        (BIRTH, None, "missing"),
    ],
)
def test_birth_levels(a, b, level):
    assert features.birth_level(rec(birth=a), rec(birth=b)) == level


def test_id_levels():
    twin_a, twin_b = number(seq=31), number(seq=33)  # neighbouring sequence numbers
    wrong_address = retyped(twin_a, 3, "8")
    assert features.id_level(rec(id_number=twin_a), rec(id_number=twin_a)) == "same"
    assert features.id_level(rec(id_number=twin_a), rec(id_number=wrong_address)) == "typo"
    assert features.id_level(rec(id_number=twin_a), rec(id_number=twin_b)) == "typo_sequence"
    assert features.id_level(rec(id_number=twin_a), rec(id_number=number(seq=457))) == "differ"
    assert features.id_level(rec(id_number=twin_a), rec()) == "missing"
    assert features.id_valid(twin_a) and not features.id_valid(
        twin_a[:17] + "0" if twin_a[17] != "0" else "1"
    )


def test_one_digit_in_the_sequence_with_the_same_name_is_its_own_level():
    same = features.compare(rec(id_number=number(seq=31)), rec(id_number=number(seq=33)))
    other = features.compare(rec(id_number=number(seq=31)), rec("张浩宇", id_number=number(seq=33)))
    assert same[0] == "typo_sequence_same_name"
    assert other[0] == "typo_sequence"


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (PARENTS, PARENTS, "both"),
        (PARENTS, ("张伟", "李方"), "both"),  # the mother's name typed with a homophone
        (PARENTS, ("张伟",), "one"),
        (PARENTS, ("张伟", "王丽"), "one_other_differs"),
        (PARENTS, ("赵强", "孙丽"), "differ"),
        (PARENTS, (), "missing"),
    ],
)
def test_guardian_levels(a, b, level):
    assert features.guardians_level(rec(guardians=a), rec(guardians=b)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (VILLAGE, VILLAGE, "village"),
        (VILLAGE, "330723101203", "township"),
        (VILLAGE, "330723100200", "county"),
        (VILLAGE, "331081100204", "elsewhere"),
    ],
)
def test_area_levels(a, b, level):
    assert features.area_level(rec(area=a), rec(area=b)) == level


# --- scores: duplicates above the threshold, twins and siblings below ----------------------------

DUPLICATES = {
    "homophone, no ID on the second file": (
        rec("张子涵", sex="F", id_number=number(seq=32)),
        rec("张梓涵", sex="F"),
    ),
    "traditional characters": (rec(id_number=number()), rec("張浩然")),
    "similar-looking character": (rec("张未来"), rec("张末来")),
    "month and day swapped": (rec(id_number=number()), rec(birth=D(2015, 5, 3))),
    "one digit of the date wrong": (rec(), rec(birth=D(2015, 3, 6))),
    "lunar birthday": (rec(), rec(birth=D(2015, 2, 3))),
    "one ID digit wrong (address code)": (rec(id_number=number()), rec(id_number=retyped(number(), 3, "8"))),
    "one ID digit wrong, same name": (rec(id_number=number(seq=31)), rec(id_number=number(seq=33))),
    "given name swapped": (rec("张浩明"), rec("张明浩")),
    "typed in pinyin": (rec(), rec("Zhang Haoran")),
    "moved to another township, one parent left out": (rec(), rec(area="330723100200", guardians=("张伟",))),
    "moved county, same ID": (
        rec(id_number=number()),
        rec(id_number=number(), area="331081100204", guardians=()),
    ),
}


@pytest.mark.parametrize("case", sorted(DUPLICATES))
def test_duplicates_score_at_or_above_the_threshold(case):
    a, b = DUPLICATES[case]
    assert scoring.score(a, b).total >= THRESHOLD, scoring.score(a, b)


TWINS_AND_SIBLINGS = {
    "twins, different names, neighbouring IDs": (
        rec("张浩然", id_number=number(seq=31)),
        rec("张浩宇", id_number=number(seq=33)),
    ),
    "twins, similar-sounding names, neighbouring IDs": (
        rec("张锦程", id_number=number(seq=31)),
        rec("张锦宸", id_number=number(seq=33)),
    ),
    "twins, one letter apart in pinyin, IDs far apart": (
        rec("张芷若", sex="F", id_number=number(seq=32)),
        rec("张芷诺", sex="F", id_number=number(seq=458)),
    ),
    "twins of different sex": (
        rec("张浩然", id_number=number(seq=31)),
        rec("张欣然", sex="F", id_number=number(seq=32)),
    ),
    "twins without IDs, one file without parents": (rec("张浩然"), rec("张浩宇", guardians=())),
    "twins without IDs, one moved village": (rec("张浩然"), rec("张浩宇", area="330723101203")),
    "siblings": (rec("张浩然", id_number=number()), rec("张一诺", sex="F", birth=D(2012, 9, 9))),
    "namesakes of another family in the township": (
        rec("张浩然", id_number=number()),
        rec("张浩然", birth=D(2015, 4, 20), area="330723101203", guardians=("张强", "王丽")),
    ),
}


@pytest.mark.parametrize("case", sorted(TWINS_AND_SIBLINGS))
def test_twins_and_siblings_stay_below_the_threshold(case):
    a, b = TWINS_AND_SIBLINGS[case]
    assert scoring.score(a, b).total < THRESHOLD, scoring.score(a, b)


def test_every_part_of_a_score_is_shown_in_words():
    score = scoring.score(rec("张子涵", sex="F"), rec("张梓涵", sex="F", birth=D(2015, 5, 3)))
    assert round(sum(p.weight for p in score.parts), 2) == score.total
    assert {p.feature for p in score.parts} == set(features.FEATURES)
    words = {p.feature: p.level_text for p in score.parts}
    assert words["given"] == "名同音不同字（输入法常见）"
    assert words["birth"] == "出生日期月、日颠倒"
    assert all(p.level_text != p.level for p in score.parts)  # every level has its words
    assert scoring.score_from_json(score.as_json()).total == score.total


def test_shared_family_facts_count_once():
    """Twins share parents, surname, village and birth date: none of that may add up to a match."""
    twins = scoring.score(rec("张浩然"), rec("张浩宇"))
    assert twins.context == "family"
    assert {p.feature: p.weight for p in twins.parts}["area"] == 0
    assert twins.total < THRESHOLD
