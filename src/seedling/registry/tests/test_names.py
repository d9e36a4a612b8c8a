"""Chinese names: surname split, surname readings, heteronyms, middle-dot names (DOMAIN.md §7)."""

import pytest

from seedling.registry.names import (
    compact,
    initials,
    normalize_latin,
    pinyin_of,
    pinyin_readings,
    split_name,
)


def joined(name: str, **kwargs) -> list[str]:
    return ["".join(r) for r in pinyin_readings(name, **kwargs)]


@pytest.mark.parametrize(
    "name,surname,given",
    [
        ("张小明", "张", "小明"),
        ("李娜", "李", "娜"),
        ("欧阳娜娜", "欧阳", "娜娜"),
        ("司马光", "司马", "光"),
        ("诸葛亮", "诸葛", "亮"),
        ("尉迟恭", "尉迟", "恭"),
        ("上官婉儿", "上官", "婉儿"),
    ],
)
def test_split_name_knows_compound_surnames(name, surname, given):
    parts = split_name(name)
    assert (parts.surname, parts.given) == (surname, given)


def test_two_character_name_equal_to_a_compound_surname_is_surname_plus_given():
    # 司马 alone is a one-character surname and a one-character given name, not a bare surname.
    assert (split_name("司马").surname, split_name("司马").given) == ("司", "马")


def test_middle_dot_name_has_parts_and_no_surname():
    parts = split_name("阿卜杜拉·艾买提")
    assert parts.surname == ""
    assert parts.parts == ("阿卜杜拉", "艾买提")
    assert compact("阿卜杜拉·艾买提") == compact("阿卜杜拉•艾买提") == "阿卜杜拉艾买提"


@pytest.mark.parametrize(
    "name,surname_reading,common_reading",
    [
        ("曾伟", "zengwei", "cengwei"),
        ("单田芳", "shantianfang", "dantianfang"),
        ("仇英", "qiuying", "chouying"),
        ("解缙", "xiejin", "jiejin"),
        ("区志明", "ouzhiming", "quzhiming"),
        ("朴明", "piaoming", "puming"),
        ("查良", "zhaliang", "chaliang"),
        ("盖伟", "gewei", "gaiwei"),
        ("覃丽", "qinli", "tanli"),
    ],
)
def test_surname_reading_comes_first_and_common_reading_is_kept(name, surname_reading, common_reading):
    readings = joined(name)
    assert readings[0] == surname_reading
    assert common_reading in readings


def test_compound_surnames_with_special_readings():
    assert joined("尉迟恭")[0] == "yuchigong"
    assert joined("万俟卨")[0] == "moqixie"
    assert joined("长孙无忌")[0] == "zhangsunwuji"


def test_display_pinyin_uses_the_surname_reading():
    assert pinyin_of("曾伟") == "zeng wei"
    assert pinyin_of("张小明") == "zhang xiao ming"
    assert pinyin_of("单田芳") == "shan tian fang"


def test_every_reading_of_a_heteronym_in_the_given_name_is_listed():
    # 乐 is le or yue; 朝 is zhao or chao: whichever the family uses, the typed pinyin must match.
    assert {"lile", "liyue"} <= set(joined("李乐"))
    assert {"lizhaoyang", "lichaoyang"} <= set(joined("李朝阳"))


def test_u_umlaut_is_indexed_as_v_and_as_u():
    assert {"lvxiaoming", "luxiaoming"} <= set(joined("吕小明"))


def test_readings_are_capped_and_every_single_alternative_comes_before_pairs():
    readings = joined("阿卜杜拉·艾买提", limit=32)
    assert len(readings) == 32
    # 卜 is read bu in this transliteration although pypinyin's first guess is bo.
    assert "abudulaaimaiti" in readings
    assert len(joined("阿卜杜拉·艾买提", limit=5)) == 5


def test_initials_and_latin_normalisation():
    assert initials(["zhang", "xiao", "ming"]) == "zxm"
    assert normalize_latin("Zhāng Wěi") == "zhangwei"
    assert normalize_latin("ZHANG  xiao'ming") == "zhangxiaoming"
    assert normalize_latin("Ｚｈａｎｇ") == "zhang"  # full-width letters from a Chinese keyboard


def test_latin_letters_in_a_name_are_kept():
    assert joined("Anna") == ["anna"]
    assert pinyin_of("Anna") == "anna"
