"""Pure rules of schools: grades a kind of school teaches, school years and terms, roster values.

No ORM here: plain values in, a decision (or a message) out, so the rules are tested by tables.
"""

import datetime
import re

from django.utils.translation import gettext as _

# Grades 1–12: primary 1–6, junior secondary 7–9, senior secondary 10–12.
GRADES_BY_KIND = {
    "primary": range(1, 7),
    "junior": range(7, 10),
    "nine_year": range(1, 10),
    "senior": range(10, 13),
    "complete": range(7, 13),
    "vocational": range(10, 13),
    "special": range(1, 13),
}

# Pupils on a roster are between these ages (special schools and late starters included).
STUDENT_AGE_MIN, STUDENT_AGE_MAX = 3, 25


def grade_problem(kind: str, grade: int | None) -> str | None:
    """Why `grade` does not fit a school of `kind` (None: it fits)."""
    if grade is None or not 1 <= grade <= 12:
        return _("年级须在 1 到 12 之间（小学 1–6，初中 7–9，高中 10–12）。")
    allowed = GRADES_BY_KIND.get(kind, range(1, 13))
    if grade not in allowed:
        return _("该类型学校只有 %(low)s 到 %(high)s 年级。") % {
            "low": allowed.start,
            "high": allowed.stop - 1,
        }
    return None


def school_year_of(day: datetime.date) -> int:
    """The school year (学年) a day falls in, by its starting year: it starts on 1 September."""
    return day.year if day.month >= 9 else day.year - 1


def term_start(day: datetime.date) -> datetime.date:
    """First day of the term (学期) a day falls in: autumn from 1 September, spring from 1 February."""
    if day.month >= 9:
        return datetime.date(day.year, 9, 1)
    if day.month >= 2:
        return datetime.date(day.year, 2, 1)
    return datetime.date(day.year - 1, 9, 1)


SEX_WORDS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F", "f": "F", "female": "F"}


def parse_sex(raw) -> tuple[str, str | None]:
    """("M" | "F" | "", problem)."""
    text = str(raw or "").strip().lower()
    if not text:
        return "", None
    if text in SEX_WORDS:
        return SEX_WORDS[text], None
    return "", _("性别应填“男”或“女”，现为“%(v)s”。") % {"v": str(raw).strip()[:10]}


_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_birth_date(raw, *, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    """A birth date from a cell (a date, "2013-05-01", "2013/5/1", "2013年5月1日", "20130501")."""
    if raw in (None, ""):
        return None, None
    if isinstance(raw, datetime.datetime):
        day = raw.date()
    elif isinstance(raw, datetime.date):
        day = raw
    else:
        text = str(raw).strip()
        if not text:
            return None, None
        match = _DATE_RE.match(text) or (re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text))
        if not match:
            return None, _("出生日期“%(v)s”无法识别，请写成 2013-05-01。") % {"v": text[:20]}
        try:
            day = datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None, _("出生日期“%(v)s”不是真实日期。") % {"v": text[:20]}
    age = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
    if not STUDENT_AGE_MIN <= age <= STUDENT_AGE_MAX:
        return None, _("出生日期 %(d)s 不像在校学生（年龄 %(a)s 岁）。") % {"d": day.isoformat(), "a": age}
    return day, None


def student_number_problem(number: str) -> str | None:
    if len(number) > 30:
        return _("学号不能超过 30 个字符。")
    if number and not re.fullmatch(r"[0-9A-Za-z\-_]+", number):
        return _("学号只能包含数字、字母和短横线。")
    return None
