"""Reading rosters as people make them: GBK CSVs, header variants, title rows, Excel cells of every type."""

import datetime
import io

import pytest
from openpyxl import Workbook

from seedling.exchange.importer import roster_check, roster_import
from seedling.exchange.readers import RosterError, detect_encoding, roster_open
from seedling.exchange.template import template_csv, template_xlsx
from seedling.registry.models import Child, Person
from seedling.testing import areas

from .rosters import HEADERS, child_id, csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_gbk_csv_from_chinese_excel(users, roster):
    data = csv_bytes([good_row(0, 姓名="欧阳娜娜")], encoding="gbk")
    assert detect_encoding(data) == "gb18030"
    result = roster_import(user=users.director, path=roster(data))
    assert result.committed, result.problems
    assert Child.objects.get().name == "欧阳娜娜"


def test_utf8_without_bom_and_semicolons(users, roster):
    data = csv_bytes([good_row(0)], encoding="utf-8").decode().replace(",", ";").encode()
    assert roster_check(user=users.director, path=roster(data)).ok


def test_header_variants_a_title_row_and_village_names(users, roster):
    headers = ["序号", "儿童姓名", "公民身份号码", "出生年月", "户口性质", "所在村", "爸爸姓名", "母亲姓名"]
    rows = [
        {
            "序号": "1",
            "儿童姓名": "张小明",
            "公民身份号码": child_id(datetime.date(2015, 3, 9), 1),
            "户口性质": "农村",
            "所在村": "寺后村",
            "爸爸姓名": "张大山",
            "母亲姓名": "李秀英",
        },
        {
            "序号": "2",
            "儿童姓名": "张小芳",
            "公民身份号码": child_id(datetime.date(2016, 5, 1), 2),
            "户口性质": "农业户口（农村）",
            "所在村": "履坦镇寺后村",
            "母亲姓名": "李秀英",
        },
        {
            "序号": "3",
            "儿童姓名": "王小丽",
            "公民身份号码": child_id(datetime.date(2016, 6, 1), 4),
            "户口性质": "农业",
            "所在村": "不存在村",
        },
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(["履坦镇寺后村留守儿童花名册（2024 年）"])
    sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    result = roster_check(user=users.county_officer, path=roster(buffer.getvalue(), "r.xlsx"))
    assert result.header_row == 3 and result.unknown_headers == ["序号"]
    assert result.columns["id_number"] == "公民身份号码" and result.columns["area"] == "所在村"
    assert [(p["row"], p["column"], p["letter"]) for p in result.problems] == [(6, "所在村", "F")]
    assert "没有找到名为“不存在村”的村（居）" in result.problems[0]["message"]


def test_excel_cells_of_every_type(users, roster):
    """Dates as date cells, codes as numbers, an ID that Excel turned into a number (digits lost)."""
    headers = [
        "姓名",
        "身份证号",
        "无身份证号原因",
        "性别",
        "出生日期",
        "户籍性质",
        "现居村（居）区划代码",
        "父亲姓名",
        "父亲状况",
        "父亲状况起始日期",
        "独自居住",
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    sheet.append(
        [
            "赵一",
            None,
            "尚未办理",
            "F",
            datetime.datetime(2016, 2, 29),
            "农业",
            int(areas.VILLAGE_A),
            "赵父",
            "外出务工",
            datetime.date(2023, 1, 5),
            "否",
        ]
    )
    sheet.append(
        ["赵二", 3.30723201506011e17, None, None, None, "农业", int(areas.VILLAGE_A), None, None, None, "√"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    result = roster_check(user=users.director, path=roster(buffer.getvalue(), "r.xlsx"))
    assert [(p["row"], p["column"]) for p in result.problems] == [(3, "身份证号")]
    assert "身份证号被 Excel 存成了数字" in result.problems[0]["message"]
    rows = list(roster_open(roster(buffer.getvalue(), "s.xlsx")).rows())
    assert rows[0][1][4] == datetime.datetime(2016, 2, 29) and rows[0][1][6] == int(areas.VILLAGE_A)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "r.csv", "文件是空的。"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "r.xls", "不支持旧版 Excel（.xls）文件"),
        (b"%PDF-1.4", "r.pdf", "只能导入 .xlsx 或 .csv 文件。"),
        (b"PK\x03\x04garbage", "r.xlsx", "无法读取该 Excel 文件"),
        ("姓名,性别\n张三,男\n".encode(), "r.csv", "缺少必填列 “户籍性质”、“现居村（居）区划代码”。"),
        ("名字,sex\n张三,男\n".encode(), "r.csv", "没有找到表头"),
        ("姓名,户籍性质,现居村（居）区划代码\n".encode(), "r.csv", "文件中没有数据"),
    ],
)
def test_files_that_cannot_be_imported_say_why(users, roster, data, name, message):
    result = roster_check(user=users.director, path=roster(data, name))
    assert message in result.message and not result.ok


def test_the_templates_are_read_back_with_every_column(users, roster):
    for data, name in ((template_xlsx(), "t.xlsx"), (template_csv(), "t.csv")):
        with roster_open(roster(data, name)) as opened:
            assert len(opened.header.positions) == len(HEADERS) + 19 and opened.header.unknown == ()
            assert list(opened.rows()) == []


def test_a_filled_in_template_imports(users, roster):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    row = good_row(0, 父亲电话="13900001111", 民族="畲族", 年级="三年级", 家庭经济困难="是")
    for position, title in enumerate(header, start=1):
        if title in row:
            sheet.cell(row=2, column=position, value=row[title])
    buffer = io.BytesIO()
    book.save(buffer)
    result = roster_import(user=users.director, path=roster(buffer.getvalue(), "t.xlsx"))
    assert result.committed, result.problems
    child = Child.objects.get()
    assert (child.ethnic_group, child.grade, child.family_economic_difficulty) == ("22", "p3", True)
    assert Person.objects.get(child=child, relation="father").phone == "13900001111"


def test_roster_open_refuses_unknown_types(roster):
    with pytest.raises(RosterError):
        roster_open(roster(b"hello", "r.docx"))


def test_xlsx_written_by_the_tests_matches_csv(users, roster):
    rows = [good_row(n) for n in range(3)]
    as_csv = roster_check(user=users.director, path=roster(csv_bytes(rows)))
    as_xlsx = roster_check(user=users.director, path=roster(xlsx_bytes(rows), "r.xlsx"))
    assert as_csv.ok and as_xlsx.ok and as_csv.rows == as_xlsx.rows == 3
