"""Cells as people write them: every date format, 男/女, 农业/非农业, relations, header variants."""

import datetime

import pytest

from seedling.exchange import values
from seedling.exchange.columns import column_letter, header_map
from seedling.exchange.safety import neutralise
from seedling.exchange.values import CellError


@pytest.mark.parametrize(
    "written",
    [
        "2015-03-09",
        "2015/3/9",
        "2015.3.9",
        "2015年3月9日",
        "20150309",
        "2015-03-09 00:00:00",
        42072,
        datetime.datetime(2015, 3, 9),
    ],
)
def test_dates_in_every_usual_form(written):
    assert values.date(written) == datetime.date(2015, 3, 9)


@pytest.mark.parametrize(
    ("written", "message"),
    [("2015-02-30", "不是真实日期"), ("2015-13-01", "不是真实日期"), ("三月九日", "无法识别的日期")],
)
def test_impossible_and_unreadable_dates(written, message):
    with pytest.raises(CellError, match=message):
        values.date(written)


def test_month_precision_for_when_a_parent_left():
    assert values.month_date("2023-03") == values.month_date("2023年3月") == datetime.date(2023, 3, 1)
    with pytest.raises(CellError):
        values.date("2023-03")  # a birth date needs the day


@pytest.mark.parametrize(
    ("kind", "written", "code"),
    [
        ("sex", "男", "M"), ("sex", "女性", "F"), ("sex", "f", "F"), ("sex", "Male", "M"),
        ("hukou_type", "农业", "rural"), ("hukou_type", "非农业", "urban"), ("hukou_type", "农村户口", "rural"),
        ("hukou_type", "城镇", "urban"), ("hukou_type", "农业户口（农村）", "rural"), ("hukou_type", "未登记户口", "none"),
        ("relation", "爷爷", "paternal_grandfather"), ("relation", "外婆", "maternal_grandmother"), ("relation", "舅舅", "uncle_aunt"),
        ("grade", "三年级", "p3"), ("grade", "初二", "j2"), ("grade", "八年级", "j2"), ("grade", "高一", "s1"),
        ("ethnic_group", "畲族", "22"), ("ethnic_group", "汉", "01"), ("ethnic_group", "1", "01"),
        ("no_id_reason", "尚未办理", "not_issued"), ("no_id_reason", "弃婴", "foundling"),
        ("disability_grade", "二级", "2"),
    ],
)  # fmt: skip
def test_choices_by_label_code_or_common_word(kind, written, code):
    assert values.choice(kind, written) == code


def test_unknown_choice_names_what_was_written():
    with pytest.raises(CellError, match="无法识别“居民”"):
        values.choice("hukou_type", "居民")  # unified hukou: the roster must say which


def test_parent_situations():
    assert values.situation("外出务工") == values.situation("打工") == "working_away"
    assert values.situation("已故") == "deceased" and values.situation("服刑") == "imprisoned"
    assert values.situation("在家") == values.situation("") == ""


def test_yes_and_no():
    assert (
        values.boolean("是") and values.boolean("√") and not values.boolean("否") and not values.boolean("")
    )
    with pytest.raises(CellError):
        values.boolean("也许")


def test_an_id_number_that_excel_turned_into_a_number():
    assert values.id_number(330723201503090011) == "330723201503090011"  # exact digits survive
    with pytest.raises(CellError, match="存成了数字"):
        values.id_number(3.30723201503090e17)


def test_header_variants_and_hints_map_to_columns():
    mapped = header_map(
        [
            "序号",
            " 儿童姓名 ",
            "身份证号码",
            "出生年月",
            "户口性质",
            "村（社区）",
            "父亲状况(外出务工/死亡)",
            "*姓名",
        ]
    )
    assert mapped.positions == {
        "name": 1, "id_number": 2, "birth_date": 3, "hukou_type": 4, "area": 5, "father_situation": 6,
    }  # fmt: skip
    assert mapped.headers["father_situation"] == "父亲状况(外出务工/死亡)"
    assert mapped.unknown == ("序号",) and mapped.duplicates == ("*姓名",)
    assert header_map(["Name", "ID number"]).positions.keys() >= {"name"}


def test_column_letters():
    assert [column_letter(n) for n in (0, 25, 26, 51, 52)] == ["A", "Z", "AA", "AZ", "BA"]


@pytest.mark.parametrize("text", ["=1+1", "+86", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formulas_are_neutralised(text):
    assert neutralise(text) == "'" + text


def test_plain_values_are_left_alone():
    assert neutralise("张小明") == "张小明" and neutralise(5) == 5 and neutralise(None) is None
