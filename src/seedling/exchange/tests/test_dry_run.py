"""The dry run lists every problem of a roster by row (as in Excel), column (header and letter) and message."""

import datetime

import pytest

from seedling.exchange.importer import roster_check
from seedling.registry.models import Child
from seedling.testing import areas
from seedling.testing.factories import child_create

from .rosters import HEADERS, child_id, csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db

LEFT_BEHIND = {
    "父亲状况": "外出务工",
    "父亲状况起始日期": "2020-03",
    "母亲状况": "外出务工",
    "母亲状况起始日期": "2021-05-01",
}


def _bad_check_character(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def mixed_rows(existing_id: str) -> list[dict]:
    """Good rows and one row for each kind of problem; rows 2.. as the user sees them in Excel."""
    first_id = good_row(1)["身份证号"]
    return [
        good_row(0),  # row 2: fine
        good_row(1),  # row 3: same ID as row 9
        good_row(2, 身份证号=_bad_check_character(good_row(2)["身份证号"])),  # row 4
        good_row(3, 身份证号="", 无身份证号原因="尚未办理", 性别="女", 出生日期="2015-02-30"),  # row 5
        good_row(4, **{"现居村（居）区划代码": "330723999999"}),  # row 6: no such village
        good_row(5, **LEFT_BEHIND),  # row 7: both parents away, no carer
        good_row(6, **{"现居村（居）区划代码": areas.OTHER_COUNTY_VILLAGE}),  # row 8: outside the area
        good_row(7, 身份证号=first_id, 姓名="张另一"),  # row 9: same ID as row 3
        good_row(8, 身份证号=existing_id),  # row 10: already registered
        good_row(
            9, **LEFT_BEHIND, 委托照护人姓名="张爷爷", 与儿童关系="爷爷", 委托照护人电话="13800138000"
        ),  # row 11
        good_row(10, 性别="未知"),  # row 12: unreadable sex
    ]


def _by_row(result) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for problem in result.problems:
        found.setdefault(problem["row"], []).append(problem)
    return found


@pytest.fixture
def registered(users):
    birth = datetime.date(2014, 5, 6)
    return child_create(users.director, name="王已登", id_number=child_id(birth, 333), birth_date=birth)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_problem_is_listed_with_row_column_and_message(users, roster, registered, fmt):
    rows = mixed_rows(registered.reveal_id_number())
    data = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    result = roster_check(user=users.director, path=roster(data, f"r.{fmt}"))
    found = _by_row(result)

    assert result.rows == 11 and not result.message
    assert set(found) == {3, 4, 5, 6, 7, 8, 9, 10, 12}  # rows 2 and 11 are clean
    assert found[4] == [
        {
            "row": 4,
            "column": "身份证号",
            "letter": "B",
            "message": "身份证号校验位错误：请核对每一位数字（可能有一位输错）。",
            "level": "error",
        }
    ]
    assert [(p["column"], p["letter"], p["message"]) for p in found[5]] == [
        ("出生日期", "E", "日期“2015-02-30”不是真实日期。")
    ]
    assert found[6][0]["column"] == "现居村（居）区划代码" and found[6][0]["letter"] == "G"
    assert found[6][0]["message"] == "区划代码 330723999999 不存在。"
    assert found[7][0]["column"] == "委托照护人姓名" and "留守儿童须填写委托照护人" in found[7][0]["message"]
    assert found[8][0]["message"] == "您没有权限在该区域进行此操作。"
    assert "与第 9 行的身份证号相同" in found[3][0]["message"]
    assert "与第 3 行的身份证号相同" in found[9][0]["message"]
    assert found[10][0]["message"] == "已有儿童档案使用此身份证号，不能重复登记。"
    assert found[12][0]["column"] == "性别" and "无法识别“未知”" in found[12][0]["message"]
    assert all(p["level"] == "error" for p in result.problems)
    assert result.rows_with_errors == 9
    assert not Child.objects.exclude(pk=registered.pk).exists()  # a dry run saves nothing


def test_another_areas_registered_id_is_not_disclosed(users, roster):
    other = child_create(
        users.director_other_county,
        name="陈外县",
        id_number=child_id(datetime.date(2013, 3, 3), 5, address=areas.OTHER_COUNTY),
        birth_date=datetime.date(2013, 3, 3),
        area_code=areas.OTHER_COUNTY_VILLAGE,
    )
    result = roster_check(
        user=users.director, path=roster(csv_bytes([good_row(0, 身份证号=other.reveal_id_number())]))
    )
    assert result.problems[0]["message"].startswith("其他地区已有儿童档案使用此身份证号")
    assert "陈外县" not in str(result.problems)


def test_possible_duplicates_are_warnings_naming_the_registered_child(users, roster):
    registered = child_create(users.director, name="李小红", sex="F", birth_date=datetime.date(2016, 4, 1))
    rows = [
        good_row(0, 姓名="李晓红", 身份证号="", 无身份证号原因="尚未办理", 性别="女", 出生日期="2016/4/10"),
        good_row(1, 姓名="黎小红", 身份证号="", 无身份证号原因="尚未办理", 性别="女", 出生日期="20160410"),
    ]
    result = roster_check(user=users.director, path=roster(csv_bytes(rows)))
    assert result.errors == 0 and result.warnings == 3
    messages = [p["message"] for p in result.problems]
    assert any("可能与已登记的儿童重复：李小红（2016-04-01" in m for m in messages)  # homophone 李晓红/李小红
    assert "可能与文件第 2 行是同一儿童（姓名相同或同音，出生日期相近）。" in messages
    assert all(p["level"] == "warning" and p["column"] == "姓名" for p in result.problems)
    assert registered.pk


def test_twins_with_their_own_ids_are_not_duplicates(users, roster):
    birth = datetime.date(2017, 8, 8)
    rows = [
        good_row(0, 姓名="王大宝", 身份证号=child_id(birth, 11)),
        good_row(1, 姓名="王二宝", 身份证号=child_id(birth, 13)),
    ]
    result = roster_check(user=users.director, path=roster(csv_bytes(rows)))
    assert result.problems == [] and result.rows == 2


def test_a_row_without_id_needs_reason_birth_date_and_sex_like_the_form(users, roster):
    rows = [good_row(0, 身份证号="")]
    result = roster_check(user=users.director, path=roster(csv_bytes(rows)))
    messages = {p["column"]: p["message"] for p in result.problems}
    assert messages["无身份证号原因"] == "没有身份证号时，请选择原因（如弃婴、未登记户口）。"
    assert messages["出生日期"] == "请填写出生日期，或填写身份证号自动带出。"
    assert messages["性别"] == "请选择性别。"


def test_columns_absent_from_the_file_are_named_by_the_template(users, roster):
    headers = [h for h in HEADERS if h not in ("出生日期", "性别")]
    grown = child_id(datetime.date(2000, 1, 1), 1)  # 18 or older: outside the register
    result = roster_check(user=users.director, path=roster(csv_bytes([good_row(0, 身份证号=grown)], headers)))
    problem = result.problems[0]
    assert problem["message"].startswith("按出生日期已满 18 周岁")
    assert (problem["column"], problem["letter"]) == ("身份证号", "B")  # the birth date came from the ID


def test_a_row_like_several_earlier_rows_gets_one_warning(users, roster):
    rows = [
        good_row(
            n, 姓名="张伟", 身份证号="", 无身份证号原因="尚未办理", 性别="男", 出生日期=f"2016-01-{n + 1:02d}"
        )
        for n in range(3)
    ]
    result = roster_check(user=users.director, path=roster(csv_bytes(rows)))
    assert [(p["row"], p["message"]) for p in result.problems] == [
        (3, "可能与文件第 2 行是同一儿童（姓名相同或同音，出生日期相近）。"),
        (4, "可能与文件第 2 行等 2 行是同一儿童（姓名相同或同音，出生日期相近）。"),
    ]
