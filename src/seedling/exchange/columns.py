"""The columns of a children's roster (儿童花名册): the template's headers and the variants people type.

One list serves the downloadable template, the import's header matching and the export, so a file
exported here can be filled in and imported again. Pure: no database.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str  # the field the value feeds (a child field, or "<member>_<field>" for a parent or carer)
    header: object  # the template's header (lazy translation; the msgid is the Chinese header)
    kind: str  # text | id | date | month_date | choice | bool | code | area | phone | int
    variants: tuple[str, ...] = ()  # other headers accepted for this column
    required: bool = False  # the header must be present (values are checked per row)
    hint: object = ""  # what to write, for the explanation sheet


MEMBERS = ("father", "mother")


# Headers of a parent's columns, written out so each is a literal for the translators.
_MEMBER_HEADERS = {
    "father": (
        _("父亲姓名"),
        _("父亲身份证号"),
        _("父亲电话"),
        _("父亲状况"),
        _("父亲状况起始日期"),
        _("父亲务工地"),
    ),
    "mother": (
        _("母亲姓名"),
        _("母亲身份证号"),
        _("母亲电话"),
        _("母亲状况"),
        _("母亲状况起始日期"),
        _("母亲务工地"),
    ),
}


def _member_columns(member: str) -> list[Column]:
    label, alias = {"father": ("父亲", "爸爸"), "mother": ("母亲", "妈妈")}[member]
    name, id_number, phone, situation, since, place = _MEMBER_HEADERS[member]
    return [
        Column(f"{member}_name", name, "text", (f"{alias}姓名", label)),
        Column(
            f"{member}_id_number",
            id_number,
            "id",
            (f"{label}身份证号码", f"{label}公民身份号码", f"{label}证件号码", f"{alias}身份证号"),
        ),
        Column(
            f"{member}_phone",
            phone,
            "phone",
            (f"{label}联系电话", f"{label}手机", f"{label}手机号", f"{label}手机号码", f"{alias}电话"),
        ),
        Column(
            f"{member}_situation",
            situation,
            "choice",
            (f"{label}情况", f"{label}目前状况", f"{label}现状", f"{label}状态"),
            hint=_("外出务工、死亡、服刑在押、重病、重残、失联等；在家可留空"),
        ),
        Column(
            f"{member}_since",
            since,
            "month_date",
            (f"{label}外出务工起始日期", f"{label}外出时间", f"{label}外出务工时间", f"{label}状况开始日期"),
            hint=_("如 2023-03-01 或 2023-03；外出务工须填写"),
        ),
        Column(
            f"{member}_place",
            place,
            "text",
            (f"{label}外出务工地", f"{label}务工地点", f"{label}外出地点", f"{label}所在地"),
        ),
    ]


COLUMNS: tuple[Column, ...] = (
    Column("name", _("姓名"), "text", ("儿童姓名", "学生姓名", "姓名（儿童）"), required=True),
    Column(
        "id_number",
        _("身份证号"),
        "id",
        (
            "身份证号码",
            "公民身份号码",
            "公民身份证号码",
            "证件号码",
            "身份证",
            "儿童身份证号",
            "居民身份证号码",
        ),
        hint=_("18 位；请将该列设为“文本”格式，否则 Excel 会丢失末几位"),
    ),
    Column(
        "no_id_reason",
        _("无身份证号原因"),
        "choice",
        ("无身份证原因", "未办身份证原因"),
        hint=_("没有身份证号时填写：弃婴/身份不明、未登记户口、尚未办理、暂不清楚"),
    ),
    Column("sex", _("性别"), "choice", hint=_("男 / 女；有身份证号时可留空")),
    Column(
        "birth_date",
        _("出生日期"),
        "date",
        ("出生年月", "出生年月日", "生日", "出生时间"),
        hint=_("如 2015-03-09、2015/3/9 或 20150309；有身份证号时可留空"),
    ),
    Column("ethnic_group", _("民族"), "choice", hint=_("如 汉族、畲族；留空为汉族")),
    Column(
        "hukou_type",
        _("户籍性质"),
        "choice",
        ("户口性质", "户籍类型", "户口类型", "户口类别"),
        required=True,
        hint=_("农业（农村）、非农业（城镇）或 未登记户口"),
    ),
    Column(
        "hukou_code",
        _("户籍地区划代码"),
        "code",
        ("户籍地代码", "户籍所在地区划代码", "户籍区划代码"),
        hint=_("12 位统计用区划代码；留空表示与现居地相同"),
    ),
    Column(
        "area",
        _("现居村（居）区划代码"),
        "area",
        (
            "村（居）区划代码",
            "现居地区划代码",
            "村居区划代码",
            "村居代码",
            "村代码",
            "村（居）代码",
            "区划代码",
            "现居村（居）",
            "村（居）",
            "村（社区）",
            "所在村（社区）",
            "所在村",
            "村",
            "社区",
            "村居",
            "村委会",
            "居委会",
        ),
        required=True,
        hint=_("12 位统计用区划代码；也可填写您辖区内不重名的村（居）名称"),
    ),
    Column("address", _("详细住址"), "text", ("住址", "现住址", "家庭住址", "家庭地址", "现居住地址")),
    Column(
        "resident_since",
        _("在现居地居住起始日期"),
        "month_date",
        ("居住起始日期", "来本地时间"),
        hint=_("流动儿童填写"),
    ),
    Column("school", _("学校"), "text", ("就读学校", "所在学校", "学校名称")),
    Column("grade", _("年级"), "choice", ("就读年级", "在读年级", "年级班级")),
    Column("in_full_time_study", _("全日制在校"), "bool", hint=_("是 / 否（中专、高中、本专科）")),
    Column("lives_alone", _("独自居住"), "bool", ("独居",), hint=_("是 / 否")),
    Column("health", _("健康状况"), "choice", ("身体状况",), hint=_("健康、慢性病、重病、其他")),
    Column("disability_type", _("残疾类别"), "choice", ("残疾类型",), hint=_("以残疾人证为准")),
    Column("disability_grade", _("残疾等级"), "choice", ("残疾级别",), hint=_("一级至四级")),
    Column(
        "family_economic_difficulty",
        _("家庭经济困难"),
        "bool",
        ("经济困难",),
        hint=_("是 / 否（生活、就医、就学困难）"),
    ),
    *_member_columns("father"),
    *_member_columns("mother"),
    Column(
        "carer_name",
        _("委托照护人姓名"),
        "text",
        ("照护人姓名", "委托照护人", "监护人姓名", "实际照护人姓名"),
    ),
    Column(
        "carer_id_number",
        _("委托照护人身份证号"),
        "id",
        ("照护人身份证号", "委托照护人身份证号码", "照护人身份证号码"),
    ),
    Column(
        "carer_relation",
        _("与儿童关系"),
        "choice",
        ("委托照护人与儿童关系", "照护人与儿童关系", "与儿童的关系", "照护人关系"),
        hint=_("如 祖父、祖母、外祖父、外祖母、叔伯姑舅姨"),
    ),
    Column(
        "carer_phone",
        _("委托照护人电话"),
        "phone",
        ("照护人电话", "委托照护人联系电话", "照护人联系电话", "委托照护人手机"),
    ),
)

BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = tuple(c for c in COLUMNS if c.required)

# A hint in brackets after a header ("父亲状况（外出务工/死亡）"); stripped when the whole does not match.
_HINT = re.compile(r"[（(][^（()）]*[)）]$")
_NOISE = re.compile(r"[\s*＊:：_\-—]+")


def normalize_header(text) -> str:
    """Header text as compared: NFKC (full-width brackets → ASCII), no spaces, stars or colons."""
    plain = unicodedata.normalize("NFKC", str(text or "")).strip()
    return _NOISE.sub("", plain).replace("(", "（").replace(")", "）").lower()


@lru_cache(maxsize=8)
def _header_index(language: str) -> dict[str, str]:
    """normalised header → column key: the template headers in Chinese, English and the active
    language, the variants, and the keys themselves."""
    from django.utils.translation import override

    index: dict[str, str] = {}
    for column in COLUMNS:
        names = [column.key, *column.variants, str(column.header)]
        with override("zh-hans"):
            names.append(str(column.header))
        with override("en"):
            names.append(str(column.header))
        for name in names:
            index.setdefault(normalize_header(name), column.key)
    return index


@dataclass(frozen=True)
class HeaderMap:
    """Where each known column is in the user's file, and the header text they used."""

    positions: dict[str, int]  # column key → 0-based position in the row
    headers: dict[str, str]  # column key → the header as written in the file
    unknown: tuple[str, ...]  # headers not recognised (ignored, listed for the user)
    duplicates: tuple[str, ...]  # headers naming a column already seen (the first one is used)

    @property
    def missing(self) -> tuple[Column, ...]:
        return tuple(c for c in REQUIRED if c.key not in self.positions)


def header_map(cells) -> HeaderMap:
    """Match a header row to the roster's columns; a header with a hint in brackets still matches."""
    index = _header_index(get_language() or "")
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for position, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        norm = normalize_header(text)
        key = index.get(norm)
        if key is None and _HINT.search(norm):  # "父亲状况（外出务工/死亡）"
            key = index.get(_HINT.sub("", norm))
        if key is None:
            unknown.append(text)
        elif key in positions:
            duplicates.append(text)
        else:
            positions[key], headers[key] = position, text
    return HeaderMap(positions, headers, tuple(unknown), tuple(duplicates))


def header_score(cells) -> int:
    """How many known columns a row names: the header row is the first row that names several."""
    return len(header_map(cells).positions)


def column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel labels columns)."""
    letters = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
