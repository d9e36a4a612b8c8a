"""The de-identified row-level file (去标识明细): one row per response, streamed as CSV or .xlsx.

Columns (stable English names, for R, Stata or pandas; the README explains each in the user's
language): pseudonym, age_band, sex, area_code, area_name, instrument, instrument_version,
questionnaire, questionnaire_version, year_month, band, scale_<id>..., q_<question>...
Never: names, identity numbers, guardians, schools or classes, birth dates, township or village
codes, exact dates, free text, the submitting user (see research.rules for why each is left out).
The file is k-anonymous (research.kanon): every combination of area, sex, age band and year-month
it shows is shared by at least k = SEEDLING_RESEARCH_MIN_CELL rows; rows of smaller groups have
those fields generalised step by step (year-month → year, age band → wider band → "unknown", sex →
blank, area → city → province → blank) or are left out. Date filters count in whole months
(research.filters.ResearchFilters.whole_months), so two exports cannot bisect a month into days.
Rows come in the order of the responses' random uuids, so neighbouring rows say nothing about when
or where they were entered. Every text cell is formula-neutralised (exchange.safety).
"""

import csv
import datetime
import tempfile
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from seedling.exchange.safety import neutralise

from . import rules
from .filters import ResearchFilters
from .kanon import Key
from .pseudonym import pseudonym

CHUNK = 2000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header
FIXED_COLUMNS = [
    "pseudonym",
    "age_band",
    "sex",
    "area_code",
    "area_name",
    "instrument",
    "instrument_version",
    "questionnaire",
    "questionnaire_version",
    "year_month",
    "band",
]
# What the rows read from the database: nothing else of the child is ever selected.
VALUES = (
    "child_id",
    "child__merged_into_id",
    "uuid",
    "child__birth_date",
    "child__sex",
    "county",
    "instrument_version_id",
    "questionnaire_version_id",
    "submitted_at",
    "answers",
    "score",
    "band",
)


def quasi_identifiers(county, sex, birth_date, day: datetime.date) -> Key:
    """What a row says that someone who knows the child could know: (county, sex, age band, year-month)."""
    return (county or "", sex or "", rules.age_band(birth_date, day), rules.year_month(day))


@dataclass
class ResearchExport:
    """A prepared export: the access-log row is written; rows are produced while the file is sent."""

    responses: QuerySet  # research_responses(...) annotated with_place
    count: int  # rows in the file (after k-anonymity)
    fmt: str
    key: bytes = field(repr=False)
    filters: ResearchFilters
    minimum: int
    project_title: str
    purpose: str
    instruments: dict[int, tuple[str, str]]  # instrument version id -> (code, version)
    questionnaires: dict[int, tuple[str, int]]  # questionnaire version id -> (code, number)
    scales: list[str]
    answer_columns: dict[int, list[tuple[str, tuple[str, ...]]]]  # questionnaire version id -> columns
    areas: dict[str, str]  # county code -> the code published for it
    published: dict[Key, Key | None]  # row_key -> the values published (None: row left out)
    left_out: int  # rows left out by k-anonymity
    area_names: dict[str, str]
    dropped: list[str]  # questions left out (names only), for the README
    created: datetime.date = field(default_factory=timezone.localdate)

    @property
    def columns(self) -> list[str]:
        seen: list[str] = []
        for columns in self.answer_columns.values():
            seen += [name for name, _path in columns if name not in seen]
        return FIXED_COLUMNS + rules.scale_columns(self.scales) + seen

    @property
    def filename(self) -> str:
        subject = self.filters.instrument.code if self.filters.instrument else self.filters.questionnaire.code
        return f"research_{subject}_{self.created:%Y%m%d}.{self.fmt}"

    def _row(self, values: tuple, columns: list[str]) -> list | None:
        (child_id, merged_into, uuid, birth_date, sex, county, iv_id, qv_id, submitted_at) = values[:9]
        answers, score, band = values[9:]
        subject = merged_into or child_id  # a merged file's responses follow the child into the kept file
        day = timezone.localdate(submitted_at)
        # A combination not counted when the export was prepared (a response submitted since) is
        # left out: nothing says its group is large enough.
        county, *rest = quasi_identifiers(county, sex, birth_date, day)
        shown = self.published.get((self.areas.get(county, ""), *rest))
        if shown is None:
            return None
        code, sex_shown, age_shown, month_shown = shown
        instrument, instrument_version = self.instruments.get(iv_id, ("", ""))
        questionnaire, number = self.questionnaires[qv_id]
        cells = {
            "pseudonym": pseudonym(self.key, child_id=subject)
            if subject
            else pseudonym(self.key, response_uuid=uuid),
            "age_band": age_shown,
            "sex": sex_shown,
            "area_code": code,
            "area_name": self.area_names.get(code, ""),
            "instrument": instrument,
            "instrument_version": instrument_version,
            "questionnaire": questionnaire,
            "questionnaire_version": number,
            "year_month": month_shown,
            "band": band or "",
        }
        scales = (score or {}).get("scales") or {}
        for scale_id, name in zip(self.scales, rules.scale_columns(self.scales), strict=True):
            value = scales.get(scale_id)
            cells[name] = "" if value is None else value
        for name, path in self.answer_columns.get(qv_id, []):
            cells[name] = rules.answer_value(answers or {}, path)
        return [neutralise(cells.get(name, "")) for name in columns]

    def rows(self):
        """The header, then one row per response kept by k-anonymity (formula-neutralised)."""
        columns = self.columns
        yield [neutralise(name) for name in columns]
        for values in self.responses.order_by("uuid").values_list(*VALUES).iterator(chunk_size=CHUNK):
            row = self._row(values, columns)
            if row is not None:
                yield row


def readme_lines(export: ResearchExport) -> list[str]:
    """The notes that travel with the data: what it is, what was removed and why, how to use it."""
    minimum = export.minimum
    filters = export.filters.as_log()
    lines = [
        _("小苗 · 去标识研究数据说明"),
        _("导出日期：%(date)s；共 %(n)d 份答卷；研究项目：%(project)s")
        % {
            "date": export.created.isoformat(),
            "n": export.count,
            "project": export.project_title or _("（未指定，假名只在本文件内一致）"),
        },
        _("筛选条件：%(f)s") % {"f": "；".join(f"{k}={v}" for k, v in filters.items()) or _("无")},
    ]
    if export.filters.date_from or export.filters.date_to:
        lines.append(
            _(
                "日期筛选按整月计算（明细不按日筛选，以免从两次导出的差别推算出答卷的日期），"
                "上面的日期已是实际使用的整月范围。"
            )
        )
    lines += [
        _("导出用途：%(purpose)s") % {"purpose": export.purpose},
        "",
        _("每行一份答卷。各列："),
        _("pseudonym：假名编号。同一研究项目内同一儿童的编号相同，不同项目之间无法对应，也无法反推出儿童。"),
        _(
            "age_band：答卷时的年龄段（0–8、9–14、15+ 为合并后的年龄段；unknown 表示不详或未标出）。"
            "sex：M 男，F 女，空白表示不详或未标出。"
        ),
        _(
            "area_code / area_name：最细到县级（区划代码前 6 位）。本文件中来自某县的答卷少于 %(m)d 份时，"
            "该县的答卷改标为所在市、省，仍不足则不标地区。"
        )
        % {"m": minimum},
        _("instrument / instrument_version、questionnaire / questionnaire_version：量表和问卷及其版本。"),
        _(
            "year_month：提交年月（不含日期），部分行只有年份。"
            "band：分级（green、yellow、orange、red；空白表示作答不完整）。"
        ),
        _("scale_…：各量表分（scale_total 为总分）。q_…：选择题和数字题的回答；多选题的选项以空格分隔。"),
        "",
        _(
            "k-匿名（k = %(m)d）：地区、性别、年龄段、提交年月这四项完全相同的行，本文件中至少有 %(m)d 行。"
            "不足 %(m)d 行的组依次放宽：年月改为年份；年龄段改为合并后的年龄段，再改为 unknown；"
            "性别留空；地区依次改为所在市、省，最后不标。仍不足 %(m)d 行的答卷不导出"
            "（本文件因此未导出 %(n)d 份答卷）。统计时请把空白和 unknown 当作“不详或未标出”。"
        )
        % {"m": minimum, "n": export.left_out},
        "",
        _(
            "已删除：姓名、身份证号、监护人、学校和班级、出生日期、乡镇和村的区划代码、提交时间中的日、提交人。"
        ),
        _(
            "所有文字题（自由填写的回答）已全部删除，因为其中可能写有儿童、家人、学校或村庄的名字；"
            "日期题、计算项和重复组也已删除。"
        ),
    ]
    if export.dropped:
        lines.append(_("本文件删除的题目：%(names)s") % {"names": "、".join(export.dropped)})
    lines += [
        "",
        _("使用要求：仅用于上面写明的用途；不得尝试识别任何儿童，不得与其他数据关联以识别个人；"),
        _("妥善保管，不得转给项目以外的人员，用毕删除。本次导出已记入访问日志。"),
        _("CSV 文件开头以 # 开始的行是本说明，读取时请跳过（如 pandas.read_csv(..., comment='#')）。"),
    ]
    return lines


class _Echo:
    def write(self, value):
        return value


def csv_chunks(export: ResearchExport):
    """The CSV as a stream of bytes: UTF-8 with a BOM, the README as "# " lines, then the table."""
    yield "\ufeff".encode()
    yield "".join(f"# {line}\r\n" if line else "#\r\n" for line in readme_lines(export)).encode()
    writer = csv.writer(_Echo())
    buffer = []
    for row in export.rows():
        buffer.append(writer.writerow(row))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _clean(value):
    # Control characters are not allowed in the file's XML: dropped, not refused.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_file(export: ResearchExport):
    """The workbook (sheets "data" and "README") in a temporary file, written row by row, for reading."""
    book = Workbook(write_only=True)
    data = book.create_sheet("data")
    readme = book.create_sheet("README")
    for row in export.rows():
        data.append([_clean(v) for v in row])
    for line in readme_lines(export):
        readme.append([_clean(neutralise(line))])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- the response (or the command) closes it
    book.save(handle)
    handle.seek(0)
    return handle
