"""Import a class roster (花名册) from CSV or Excel: a dry run lists every problem by row and column,
then the commit writes all rows in one transaction or none.

Columns (first row): 姓名 (required), 性别, 出生日期, 学号, 身份证号 (optional). An identity number is
checked (GB 11643), must agree with the birth date and sex given, and is kept as the registry's
blind index and a mask only. Excel files are read with openpyxl in read-only mode; CSV files may be
UTF-8 (with or without BOM) or GB18030, the encoding Excel in China saves CSV in.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.registry.validation import clean_name

from .. import rules
from ..models import SchoolClass, Student
from .common import id_agreement, id_facts, id_index, require_screen

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024

COLUMNS = {
    "姓名": "name",
    "性别": "sex",
    "出生日期": "birth_date",
    "学号": "student_number",
    "身份证号": "id_number",
}
# Headers people also write for the same columns.
ALIASES = {
    "学生姓名": "name",
    "name": "name",
    "sex": "sex",
    "生日": "birth_date",
    "birth_date": "birth_date",
    "student_number": "student_number",
    "身份证号码": "id_number",
    "公民身份号码": "id_number",
    "id_number": "id_number",
}
LABELS = {v: k for k, v in COLUMNS.items()}


@dataclass
class Problem:
    row: int  # as the user sees it in the spreadsheet (header = row 1)
    column: str  # the column's header, "" for the whole row or file
    message: str


@dataclass
class RosterCheck:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class RosterFileError(ValueError):
    """The file cannot be read as a roster at all; the message says why, for the user."""


def read_table(*, name: str, content: bytes) -> list[list]:
    """The cells of the first sheet (xlsx) or of the CSV, header row first."""
    if len(content) > MAX_BYTES:
        raise RosterFileError(_("文件不能超过 5 MB。"))
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    if lower.endswith(".csv"):
        return _read_csv(content)
    raise RosterFileError(_("请上传 .xlsx 或 .csv 文件。"))


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or disguised file
        raise RosterFileError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式。")) from exc
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _read_csv(content: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterFileError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 格式。"))
    try:
        return [row for _i, row in zip(range(MAX_ROWS + 2), csv.reader(io.StringIO(text)), strict=False)]
    except csv.Error as exc:
        raise RosterFileError(_("CSV 文件格式有误：%(e)s") % {"e": exc}) from exc


def _header(cells: list) -> tuple[dict[int, str], list[Problem]]:
    mapping: dict[int, str] = {}
    problems = []
    for index, raw in enumerate(cells):
        text = str(raw or "").strip().replace("\ufeff", "")
        key = COLUMNS.get(text) or ALIASES.get(text.lower())
        if key is None:
            continue
        if key in mapping.values():
            problems.append(Problem(1, text, _("列“%(c)s”重复。") % {"c": text}))
        mapping[index] = key
    if "name" not in mapping.values():
        problems.append(
            Problem(1, "姓名", _("缺少“姓名”列。第一行须是列名：姓名、性别、出生日期、学号、身份证号。"))
        )
    return mapping, problems


def roster_check(*, school_class: SchoolClass, table: list[list]) -> RosterCheck:
    """Dry run: every row checked against the rules and the class's current roster, nothing written."""
    result = RosterCheck()
    if not table:
        result.problems.append(Problem(1, "", _("文件是空的。")))
        return result
    mapping, result.problems = _header(table[0])
    if result.problems:
        return result
    body = table[1:]
    if len(body) > MAX_ROWS:
        result.problems.append(Problem(0, "", _("一次最多导入 %(n)s 行。") % {"n": MAX_ROWS}))
        return result
    today = clock.today()
    for offset, cells in enumerate(body):
        line = offset + 2
        raw = {key: cells[i] if i < len(cells) else None for i, key in mapping.items()}
        if all(v in (None, "") or str(v).strip() == "" for v in raw.values()):
            continue  # blank lines at the end of a sheet are normal
        row, problems = _check_row(raw, today)
        for key, message in problems.items():
            result.problems.append(Problem(line, LABELS[key], message))
        row["line"] = line
        result.rows.append(row)
    result.problems.extend(_duplicates(school_class, result.rows))
    result.problems.sort(
        key=lambda p: (p.row, list(LABELS.values()).index(p.column) if p.column in LABELS.values() else 9)
    )
    if not result.rows and not result.problems:
        result.problems.append(Problem(2, "", _("文件中没有学生。")))
    return result


def _duplicates(school_class: SchoolClass, rows: list[dict]) -> list[Problem]:
    """Rows whose 学号 or identity number is already on the class roster, or repeats an earlier row."""
    current = Student.objects.filter(school_class=school_class, active=True)
    numbers = set(current.exclude(student_number="").values_list("student_number", flat=True))
    hashes = set(current.exclude(id_number_hash="").values_list("id_number_hash", flat=True))
    seen_numbers: dict[str, int] = {}
    seen_hashes: dict[str, int] = {}
    problems = []
    for row in rows:
        line, number, digest = row["line"], row["student_number"], row["id_number_hash"]
        if number and number in numbers:
            problems.append(Problem(line, "学号", _("本班已有学号为 %(n)s 的学生。") % {"n": number}))
        elif number and number in seen_numbers:
            message = _("学号 %(n)s 与第 %(r)s 行重复。") % {"n": number, "r": seen_numbers[number]}
            problems.append(Problem(line, "学号", message))
        if digest and digest in hashes:
            problems.append(Problem(line, "身份证号", _("本班名单中已有该身份证号的学生。")))
        elif digest and digest in seen_hashes:
            message = _("身份证号与第 %(r)s 行重复。") % {"r": seen_hashes[digest]}
            problems.append(Problem(line, "身份证号", message))
        if number:
            seen_numbers.setdefault(number, line)
        if digest:
            seen_hashes.setdefault(digest, line)
    return problems


def _check_row(raw: dict, today) -> tuple[dict, dict]:
    problems: dict[str, str] = {}
    name = clean_name(str(raw.get("name") or ""), problems)
    sex, problem = rules.parse_sex(raw.get("sex"))
    if problem:
        problems["sex"] = problem
    birth, problem = rules.parse_birth_date(raw.get("birth_date"), today=today)
    if problem:
        problems["birth_date"] = problem
    number = raw.get("student_number")
    # Excel stores a numeric 学号 as a number: 20230101.0 must read back as "20230101".
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    number = str(number or "").strip()
    problem = rules.student_number_problem(number)
    if problem:
        problems["student_number"] = problem
    raw_id = raw.get("id_number")
    facts = id_facts(str(raw_id).strip() if raw_id not in (None, "") else "", problems, today=today)
    id_agreement(facts, birth, sex, problems)
    digest, mask = id_index(facts)
    row = {
        "name": name,
        "sex": sex or (facts.sex if facts else ""),
        "birth_date": birth or (facts.birth_date if facts else None),
        "student_number": number,
        "id_number_hash": digest,
        "id_number_mask": mask,
    }
    return row, problems


def rows_for_session(result: RosterCheck) -> list[dict]:
    """Checked rows as JSON-safe values (the identity number only as index and mask) for the commit."""
    return [
        {**row, "birth_date": row["birth_date"].isoformat() if row["birth_date"] else None}
        for row in result.rows
    ]


def _rows_from_session(rows: list[dict]) -> list[dict]:
    keys = ("line", "name", "sex", "birth_date", "student_number", "id_number_hash", "id_number_mask")
    return [
        {
            **{k: row[k] for k in keys},
            "birth_date": datetime.date.fromisoformat(row["birth_date"]) if row["birth_date"] else None,
        }
        for row in rows
    ]


@transaction.atomic
def roster_commit(
    *, user, school_class: SchoolClass, table: list[list] | None = None, rows=None
) -> RosterCheck:
    """Check again (the roster may have changed since the dry run) and, only if clean, add every row.

    `table` is the file's cells (API); `rows` the rows a dry run checked (pages keep them in the session,
    so the identity numbers need not be uploaded, or stored, twice).
    """
    require_screen(user, school_class.school.area_id)
    # Lock the class so two imports into it cannot both pass the duplicate checks.
    SchoolClass.objects.select_for_update().get(pk=school_class.pk)
    if table is not None:
        result = roster_check(school_class=school_class, table=table)
    else:
        result = RosterCheck(rows=_rows_from_session(rows or []))
        result.problems = _duplicates(school_class, result.rows)
    if not result.ok:
        return result
    Student.objects.bulk_create(
        [
            Student(
                school_class=school_class,
                name=row["name"],
                sex=row["sex"],
                birth_date=row["birth_date"],
                student_number=row["student_number"],
                id_number_hash=row["id_number_hash"],
                id_number_mask=row["id_number_mask"],
            )
            for row in result.rows
        ]
    )
    audit_log(
        user=user,
        action="create",
        obj=school_class,
        area_code=school_class.school.area_id,
        detail={"roster_import": len(result.rows)},
    )
    return result
