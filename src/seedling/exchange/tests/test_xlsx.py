"""The streaming .xlsx reader against files written by openpyxl and by hand (as Excel writes them)."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from seedling.exchange import xlsx
from seedling.exchange.xlsx import XlsxError, XlsxReader

_CT = """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"""
_RELS = """<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""


def _excel_like(sheet: str, strings: list[str], *, date1904=False, styles="", prefix="") -> bytes:
    """A minimal workbook with a shared-string table, as Excel saves one."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    workbook = (
        f'<?xml version="1.0"?><{p}workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<{p}workbookPr date1904="{1 if date1904 else 0}"/><{p}sheets><{p}sheet name="名单" sheetId="1" r:id="rId1"/></{p}sheets></{p}workbook>'
    )
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", _RELS)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f"<{p}worksheet {ns}><{p}sheetData>{sheet}</{p}sheetData></{p}worksheet>",
        )
        if styles:
            archive.writestr("xl/styles.xml", styles)
    return buffer.getvalue()


STYLES = """<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"""


def test_shared_strings_dates_numbers_and_gaps(tmp_path):
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
        '<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" s="1"><v>42072</v></c><c r="C4"><v>330723101201</v></c>'
        '<c r="D4"><v>3.30723201503090E+17</v></c><c r="E4" t="b"><v>1</v></c><c r="F4" t="inlineStr"><is><t>杭州</t></is></c></row>'
        '<row r="5"><c r="A5" t="s"><v>3</v></c></row>'
    )
    path = tmp_path / "e.xlsx"
    path.write_bytes(_excel_like(sheet, ["姓名", "村", "张&amp;三", ""], styles=STYLES))
    reader = XlsxReader(path)
    rows = list(reader.rows())
    assert rows == [
        (1, ["姓名", None, "村"]),
        (4, ["张&三", datetime.datetime(2015, 3, 9), 330723101201, 3.3072320150309e17, True, "杭州"]),
    ]  # row 5 holds only an empty string: skipped
    assert reader.fraction() == 1.0 and reader.sheets == [("名单", "xl/worksheets/sheet1.xml")]


def test_phonetic_guides_are_left_out_and_prefixed_names_read(tmp_path):
    sheet = '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:r><x:t>欧阳</x:t></x:r><x:r><x:t>娜娜</x:t></x:r><x:rPh><x:t>ouyang</x:t></x:rPh></x:is></x:c></x:row>'
    path = tmp_path / "p.xlsx"
    path.write_bytes(_excel_like(sheet, [], prefix="x"))
    assert list(XlsxReader(path).rows()) == [(1, ["欧阳娜娜"])]


def test_the_1904_calendar(tmp_path):
    sheet = '<row r="1"><c r="A1" s="1"><v>366</v></c></row>'
    path = tmp_path / "m.xlsx"
    path.write_bytes(_excel_like(sheet, [], date1904=True, styles=STYLES))
    assert list(XlsxReader(path).rows()) == [(1, [datetime.datetime(1905, 1, 1)])]


def test_a_large_string_table_moves_to_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "_IN_MEMORY_STRINGS", 10)
    strings = [f"名字{i}" for i in range(50)]
    sheet = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(50))
    path = tmp_path / "big.xlsx"
    path.write_bytes(_excel_like(sheet, strings))
    reader = XlsxReader(path)
    assert [row[1][0] for row in reader.rows()] == strings
    assert reader._strings._file is not None  # the table went to disk
    reader.close()


def test_entity_expansion_is_refused(tmp_path):
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
    path = tmp_path / "bomb.xlsx"
    data = _excel_like("", [])
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = f'<?xml version="1.0"?>{bomb}'.encode()
            target.writestr(item, content)
    with pytest.raises(XlsxError):
        list(XlsxReader(path).rows())


def test_same_values_as_openpyxl_writes_them(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "出生日期", "人数", "比例"])
    sheet.append(["李四", datetime.date(2016, 1, 2), 3, 0.5])
    path = tmp_path / "o.xlsx"
    book.save(path)
    assert list(XlsxReader(path).rows()) == [
        (1, ["姓名", "出生日期", "人数", "比例"]),
        (2, ["李四", datetime.datetime(2016, 1, 2), 3, 0.5]),
    ]


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(XlsxError):
        XlsxReader(path)
