"""The downloadable roster template (花名册模板): .xlsx with drop-down lists and an explanation sheet, or CSV."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import COLUMNS, column_letter
from .values import CHOICES

TEMPLATE_ROWS = 2000  # rows pre-formatted (identity numbers as text, drop-down lists)
# Drop-down lists offered in the template (any other accepted spelling still imports).
_LISTS = {
    "sex": "sex",
    "no_id_reason": "no_id_reason",
    "hukou_type": "hukou_type",
    "grade": "grade",
    "health": "health",
    "disability_type": "disability_type",
    "disability_grade": "disability_grade",
    "ethnic_group": "ethnic_group",
    "father_situation": "situation",
    "mother_situation": "situation",
    "carer_relation": "relation",
}
_BOOL_COLUMNS = {c.key for c in COLUMNS if c.kind == "bool"}


def template_xlsx() -> bytes:
    """The .xlsx template: headers (required ones marked), identity columns as text, lists, explanations."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("儿童名单")
    options = book.create_sheet(_("选项"))
    options.sheet_state = "hidden"
    guide = book.create_sheet(_("填写说明"))

    required = Font(bold=True, color="C00000")
    plain = Font(bold=True)
    fill = PatternFill("solid", fgColor="E2EFDA")
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position, value=str(column.header))
        cell.font, cell.fill = (required if column.required else plain), fill
        if column.hint:
            cell.comment = Comment(str(column.hint), "Seedling")
        letter = column_letter(position - 1)
        sheet.column_dimensions[letter].width = max(10, len(str(column.header)) * 2 + 2)
        if column.kind in ("id", "code", "area", "phone"):
            # Text, or Excel turns an 18-digit number into 3.3E+17 and loses the last digits.
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=position).number_format = "@"
    sheet.freeze_panes = "B2"

    option_column = 0
    for position, column in enumerate(COLUMNS):
        kind = _LISTS.get(column.key)
        if kind is None and column.key not in _BOOL_COLUMNS:
            continue
        labels = [str(label) for _code, label in CHOICES[kind]] if kind else [_("是"), _("否")]
        option_column += 1
        for row, label in enumerate(labels, start=1):
            options.cell(row=row, column=option_column, value=label)
        source_letter = column_letter(option_column - 1)
        target = column_letter(position)
        validation = DataValidation(
            type="list",
            formula1=f"='{options.title}'!${source_letter}$1:${source_letter}${len(labels)}",
            allow_blank=True,
            showErrorMessage=False,  # other accepted spellings (男性, 爷爷...) are fine too
        )
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)

    guide.append([_("列名"), _("必填"), _("填写说明"), _("也可识别的列名")])
    for cell in guide[1]:
        cell.font, cell.fill = plain, fill
    for column in COLUMNS:
        guide.append(
            [
                str(column.header),
                _("是") if column.required else "",
                str(column.hint),
                "、".join(column.variants),
            ]
        )
    guide.append([])
    for line in _notes():
        guide.append([line])
    for letter, width in (("A", 24), ("B", 8), ("C", 60), ("D", 60)):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes() -> list[str]:
    return [
        _("说明："),
        _(
            "1. 每行一名儿童；表头必须保留在第一行（上方可以有标题行）。列的顺序可以调整，不需要的列可以删除。"
        ),
        _(
            "2. 有身份证号时，出生日期和性别由身份证号自动带出；没有身份证号时须填写“无身份证号原因”、出生日期和性别。"
        ),
        _("3. 现居村（居）填写 12 位统计用区划代码；也可填写您辖区内不重名的村（居）名称。"),
        _(
            "4. 父母双方外出务工（或一方外出、另一方无监护能力）的农村儿童，须填写委托照护人姓名、与儿童关系和联系电话。"
        ),
        _(
            "5. 上传后先进行检查，列出每一行的问题（行号、列名和原因）；没有错误后才能导入，导入时全部成功或全部不导入。"
        ),
    ]


def template_csv() -> bytes:
    """The CSV template: the header row, UTF-8 with a BOM so that Excel shows the Chinese headers."""
    return ("\ufeff" + ",".join(str(c.header) for c in COLUMNS) + "\r\n").encode("utf-8")
