"""Reading one cell of a roster: dates written every way, 男/女, 农业/非农业, choice labels and codes.

Pure functions: a cell's raw value (text from a CSV, or a typed value from an .xlsx) in, the stored
value out, or CellError with a message in the user's language naming what was written.
"""

import datetime
import re
import unicodedata
from functools import lru_cache

from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from seedling.registry.choices import (
    ETHNIC_GROUPS,
    DisabilityGrade,
    DisabilityType,
    Grade,
    Health,
    Hukou,
    NoIdReason,
    Relation,
    Sex,
    Situation,
)


class CellError(ValueError):
    """The cell cannot be read; the message is for the user."""


def text(raw) -> str:
    """A cell as text: numbers without a trailing .0, whitespace trimmed (NFKC: full-width digits)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return _("是") if raw else _("否")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime.datetime):
        raw = raw.date() if raw.time() == datetime.time() else raw
    if isinstance(raw, datetime.date | datetime.datetime):
        return raw.isoformat()
    value = str(raw).strip()
    return unicodedata.normalize("NFKC", value) if not value.isascii() else value


# --- dates ---------------------------------------------------------------------------------------

_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_YM = re.compile(r"^(\d{4})(\d{2})$")
# Excel's serial day numbers (1900 system) for years 1900–2099, when a date cell lost its format.
_SERIAL_MIN, _SERIAL_MAX = 1, 73050


def _make(year: str, month: str, day: str, written: str) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("日期“%(v)s”不是真实日期。") % {"v": written}) from None


def date(raw, *, month_precision: bool = False) -> datetime.date | None:
    """2015-03-09, 2015/3/9, 2015.3.9, 2015年3月9日, 20150309, an Excel date cell or serial number.

    With `month_precision` (when a parent left for work, when a family moved here) 2023-03 and
    2023年3月 are read as the first of the month: people rarely remember the day.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if _SERIAL_MIN <= raw <= _SERIAL_MAX and float(raw).is_integer():
            from openpyxl.utils.datetime import from_excel

            return from_excel(int(raw)).date()
        raw = text(raw)
    written = text(raw)
    if not written:
        return None
    for pattern in (_YMD, _COMPACT):
        match = pattern.match(written)
        if match:
            return _make(*match.groups(), written)
    if month_precision:
        for pattern in (_YM, _COMPACT_YM):
            match = pattern.match(written)
            if match:
                return _make(*match.groups(), "1", written)
    raise CellError(_("无法识别的日期“%(v)s”：请写成 2015-03-09 的格式。") % {"v": written})


# --- yes / no ------------------------------------------------------------------------------------

_YES = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "对"}
_NO = {"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "不是", "-"}


def boolean(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    written = text(raw)
    if not written:
        return False
    value = written.lower()
    if value in _YES or value == _("是").lower():
        return True
    if value in _NO or value == _("否").lower():
        return False
    raise CellError(_("请填写“是”或“否”，而不是“%(v)s”。") % {"v": written})


# --- choices -------------------------------------------------------------------------------------

# Words people write in rosters for a choice, beyond its label and code (matched after NFKC, lower case).
_ALIASES: dict[str, dict[str, str]] = {
    "sex": {"男": "M", "男性": "M", "女": "F", "女性": "F", "m": "M", "f": "F", "1": "M", "2": "F"},
    "hukou_type": {
        "农业": "rural",
        "农业户口": "rural",
        "农村": "rural",
        "农村户口": "rural",
        "农业户籍": "rural",
        "非农业": "urban",
        "非农业户口": "urban",
        "非农": "urban",
        "城镇": "urban",
        "城镇户口": "urban",
        "城市": "urban",
        "城市户口": "urban",
        "未登记": "none",
        "无户口": "none",
        "未落户": "none",
        "未上户": "none",
    },
    "no_id_reason": {
        "弃婴": "foundling",
        "身份不明": "foundling",
        "未登记": "unregistered",
        "未落户": "unregistered",
        "无户口": "unregistered",
        "未办理": "not_issued",
        "未办": "not_issued",
        "没办": "not_issued",
        "不清楚": "unknown",
        "不详": "unknown",
    },
    "situation": {
        "务工": "working_away",
        "外出": "working_away",
        "打工": "working_away",
        "外出打工": "working_away",
        "去世": "deceased",
        "已故": "deceased",
        "病故": "deceased",
        "死亡": "deceased",
        "失踪": "missing",
        "服刑": "imprisoned",
        "在押": "imprisoned",
        "坐牢": "imprisoned",
        "戒毒": "drug_rehab",
        "重残": "severe_disability",
        "重度残疾": "severe_disability",
        "重病": "serious_illness",
        "失联": "lost_contact",
        "撤销监护资格": "guardianship_revoked",
        "遣送出境": "deported",
        "无监护能力": "lacks_capacity",
    },
    "relation": {
        "爷爷": "paternal_grandfather",
        "祖父": "paternal_grandfather",
        "奶奶": "paternal_grandmother",
        "祖母": "paternal_grandmother",
        "外公": "maternal_grandfather",
        "姥爷": "maternal_grandfather",
        "外祖父": "maternal_grandfather",
        "外婆": "maternal_grandmother",
        "姥姥": "maternal_grandmother",
        "外祖母": "maternal_grandmother",
        "哥哥": "sibling",
        "姐姐": "sibling",
        "兄": "sibling",
        "姐": "sibling",
        "叔叔": "uncle_aunt",
        "伯伯": "uncle_aunt",
        "伯父": "uncle_aunt",
        "叔父": "uncle_aunt",
        "姑姑": "uncle_aunt",
        "姑妈": "uncle_aunt",
        "舅舅": "uncle_aunt",
        "舅妈": "uncle_aunt",
        "姨妈": "uncle_aunt",
        "阿姨": "uncle_aunt",
        "婶婶": "uncle_aunt",
        "亲戚": "other_relative",
        "邻居": "non_relative",
        "朋友": "non_relative",
        "老师": "non_relative",
    },
    "grade": {
        "学前": "not_yet",
        "未入学": "not_yet",
        "幼儿园": "kindergarten",
        "一年级": "p1",
        "二年级": "p2",
        "三年级": "p3",
        "四年级": "p4",
        "五年级": "p5",
        "六年级": "p6",
        "七年级": "j1",
        "八年级": "j2",
        "九年级": "j3",
        "初中一年级": "j1",
        "初中二年级": "j2",
        "初中三年级": "j3",
        "高中一年级": "s1",
        "高中二年级": "s2",
        "高中三年级": "s3",
        "中职": "vocational",
        "职高": "vocational",
        "技校": "vocational",
        "中专": "vocational",
        "大学": "university",
        "大专": "university",
        "特教": "special",
        "特殊教育": "special",
        "辍学": "dropped_out",
        "已就业": "working",
    },
    "health": {
        "良好": "healthy",
        "正常": "healthy",
        "一般": "healthy",
        "慢病": "chronic",
        "重大疾病": "serious",
    },
    "disability_type": {
        "视力": "visual",
        "听力": "hearing",
        "言语": "speech",
        "肢体": "physical",
        "智力": "intellectual",
        "精神": "mental",
        "多重": "multiple",
    },
    "disability_grade": {
        "1": "1",
        "2": "2",
        "3": "3",
        "4": "4",
        "1级": "1",
        "2级": "2",
        "3级": "3",
        "4级": "4",
        "一": "1",
        "二": "2",
        "三": "3",
        "四": "4",
    },
}
# Written "在家" or "正常" under a parent's situation means no special situation.
NO_SITUATION = {"在家", "正常", "无", "无特殊情况", "在家务农", "务农", "在本地", "本地务工", "-", "/"}
_NO_SITUATION_KEYS = {v.lower() for v in NO_SITUATION}

CHOICES = {
    "sex": Sex.choices,
    "hukou_type": Hukou.choices,
    "no_id_reason": NoIdReason.choices,
    "situation": Situation.choices,
    "relation": [c for c in Relation.choices if c[0] not in ("father", "mother")],
    "grade": Grade.choices,
    "health": Health.choices,
    "disability_type": DisabilityType.choices,
    "disability_grade": [(str(v), label) for v, label in DisabilityGrade.choices],
    "ethnic_group": ETHNIC_GROUPS,
}
# Label parts in brackets may be left out: 农业户口（农村） is also written 农业户口.
_BRACKET = re.compile(r"（[^）]*）|\([^)]*\)")


def _key(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().lower().replace(" ", "")


@lru_cache(maxsize=64)
def _lookup(kind: str, language: str) -> dict[str, str]:
    """Every accepted spelling of a choice → its stored code, in Chinese, English and the UI language."""
    table: dict[str, str] = {}
    for code, label in CHOICES[kind]:
        table[_key(str(code))] = str(code)
        for lang in ("zh-hans", "en", language):
            with override(lang):
                shown = str(label)
            table.setdefault(_key(shown), str(code))
            stripped = _key(_BRACKET.sub("", shown))
            if stripped:
                table.setdefault(stripped, str(code))
    if kind == "ethnic_group":
        for code, label in CHOICES[kind]:
            with override("zh-hans"):
                shown = str(label)
            if shown.endswith("族") and len(shown) > 1:
                table.setdefault(_key(shown[:-1]), code)  # 汉 → 汉族
            table.setdefault(str(int(code)), code)  # 1 → 01
    for alias, code in _ALIASES.get(kind, {}).items():
        table.setdefault(_key(alias), code)
    return table


def choice(kind: str, raw) -> str:
    """The stored code of a choice written as its label, its code or a common variant; "" when empty."""
    written = text(raw)
    if not written:
        return ""
    code = _lookup(kind, get_language() or "").get(_key(written))
    if code is None:
        raise CellError(_("无法识别“%(v)s”，请按填写说明选择。") % {"v": written})
    return code


def choice_reader(kind: str):
    """choice(kind, ·) with the spelling table of the active language looked up once (imports)."""
    table = _lookup(kind, get_language() or "")

    def read(raw) -> str:
        written = text(raw)
        if not written:
            return ""
        code = table.get(_key(written))
        if code is None:
            raise CellError(_("无法识别“%(v)s”，请按填写说明选择。") % {"v": written})
        return code

    return read


def month_date(raw) -> datetime.date | None:
    return date(raw, month_precision=True)


def situation(raw) -> str:
    """A parent's situation; "" for at home or nothing special."""
    written = text(raw)
    if not written or _key(written) in _NO_SITUATION_KEYS:
        return ""
    return choice("situation", written)


# --- identity numbers and codes ------------------------------------------------------------------


def id_number(raw) -> str:
    """An identity number as written; a number cell has lost its last digits in Excel: say so."""
    if isinstance(raw, float) or (isinstance(raw, int) and not isinstance(raw, bool) and raw >= 10**15):
        if isinstance(raw, int) and len(str(raw)) == 18:
            return str(raw)  # an exact integer (a CSV read as text never gets here)
        raise CellError(_("身份证号被 Excel 存成了数字，末几位已丢失：请将该列设为“文本”格式后重新填写。"))
    return text(raw)


_CODE = re.compile(r"^\d{2,12}$")


def code(raw) -> str:
    """A division code: digits only; a 12-digit code with trailing zeros keeps its zeros."""
    written = text(raw)
    if not written:
        return ""
    if not _CODE.match(written):
        raise CellError(_("区划代码应为数字，而不是“%(v)s”。") % {"v": written})
    return written
