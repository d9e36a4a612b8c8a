"""Resident identity number (居民身份证号码, GB 11643-1999): validation, derived facts, masking.

18 characters = 6-digit address code + birth date YYYYMMDD + 3-digit sequence (odd = male,
even = female) + check character over the first 17 digits (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
sum mod 11 indexes "10X98765432").
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")


class InvalidIdNumber(ValueError):
    """The number is not a valid resident identity number; the message says why, for the user."""


@dataclass(frozen=True)
class IdFacts:
    number: str
    address_code: str
    birth_date: datetime.date
    sex: str  # "M" or "F"


def normalize(raw: str) -> str:
    """Strip spaces and dashes people type, upper-case the check character (x → X).

    NFKC first: Chinese input methods often type full-width digits and letters (１１０１…ｘ).
    """
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", raw or "")).upper()


def check_character(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse(raw: str, *, today: datetime.date | None = None) -> IdFacts:
    """Validate and return the facts a valid number carries; raise InvalidIdNumber otherwise."""
    number = normalize(raw)
    if len(number) != 18:
        raise InvalidIdNumber(_("身份证号应为 18 位，现为 %(n)d 位。") % {"n": len(number)})
    if not _SHAPE.match(number):
        raise InvalidIdNumber(_("身份证号前 17 位须为数字，最后一位为数字或 X。"))
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(_("身份证号中的出生日期 %(d)s 不是真实日期。") % {"d": number[6:14]}) from None
    today = today or datetime.date.today()
    if birth > today or birth.year < 1900:
        raise InvalidIdNumber(_("身份证号中的出生日期 %(d)s 不可能。") % {"d": birth.isoformat()})
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(_("身份证号校验位错误：请核对每一位数字（可能有一位输错）。"))
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdFacts(number=number, address_code=number[:6], birth_date=birth, sex=sex)


def mask(number: str) -> str:
    """330***********123X: first three and last four shown."""
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) >= 8 else "*" * len(number)


def make(address_code: str, birth_date: datetime.date, sequence: int) -> str:
    """Build a valid number (demo data, tests): `sequence` 0–999, odd for boys, even for girls."""
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
