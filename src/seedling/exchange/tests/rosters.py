"""Roster files for the tests: rows as {header: value}, written as CSV (any encoding) or .xlsx."""

import csv
import datetime
import io

from openpyxl import Workbook

from seedling.registry import idnumber
from seedling.testing import areas

HEADERS = [
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
    "母亲姓名",
    "母亲状况",
    "母亲状况起始日期",
    "委托照护人姓名",
    "与儿童关系",
    "委托照护人电话",
]


def child_id(birth: datetime.date, sequence: int, address: str = areas.COUNTY) -> str:
    return idnumber.make(address, birth, sequence)


def good_row(n: int, **overrides) -> dict:
    """A valid row: a boy or girl of the test county with an ID, both parents at home."""
    birth = datetime.date(2012, 1, 1) + datetime.timedelta(days=(n * 37) % 3000)
    row = {
        "姓名": "张" + "伟芳娜敏静丽强磊军洋"[n % 10] + "明华林"[n // 10 % 3],
        "身份证号": child_id(birth, (2 * n + 1) % 1000),
        "户籍性质": "农业",
        "现居村（居）区划代码": areas.VILLAGE_A,
        "父亲姓名": "张大山",
        "母亲姓名": "李秀英",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], headers=None, encoding: str = "utf-8-sig") -> bytes:
    headers = headers or HEADERS
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], headers=None, title_rows=()) -> bytes:
    headers = headers or HEADERS
    book = Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
