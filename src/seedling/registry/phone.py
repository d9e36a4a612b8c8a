"""Phone numbers: people type spaces, dashes and +86; store one normalised form."""

import re

from django.utils.translation import gettext as _

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str) -> str:
    """'+86 138-0013-8000' → '13800138000'; landlines keep their digits ('0579-8765 4321' → '057987654321')."""
    if not raw or not raw.strip():
        return ""
    digits = re.sub(r"[\s\-()（）]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits.isdigit():
        raise InvalidPhone(_("电话号码只能包含数字、空格、短横线和 +86。"))
    if digits.startswith("1"):
        if not _MOBILE.match(digits):
            raise InvalidPhone(_("手机号应为以 1 开头的 11 位数字。"))
        return digits
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        return digits
    raise InvalidPhone(_("无法识别的电话号码：手机号 11 位，固定电话需带区号。"))
