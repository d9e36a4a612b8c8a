"""Phone numbers: people type spaces, dashes and +86; store one normalised form."""

import re
import unicodedata

from django.utils.translation import gettext as _

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_DIGITS = re.compile(r"^[0-9]+$")
# Area codes without their trunk 0: 10 (Beijing), 2x, and 3xx–9xx; mobiles start 13–19.
_AREA_CODE_STARTS = ("10", "2", "3", "4", "5", "6", "7", "8", "9")


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str) -> str:
    """'+86 138-0013-8000' → '13800138000'; landlines keep their digits ('0579-8765 4321' → '057987654321')."""
    # NFKC: Chinese input methods type full-width digits, plus signs and brackets (＋８６ １３８…).
    text = unicodedata.normalize("NFKC", raw or "")
    if not text.strip():
        return ""
    digits = re.sub(r"[\s\-()]", "", text)
    international = digits.startswith(("+86", "0086"))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    # str.isdigit() would let other scripts' digits (٣, ३) through; only 0-9 are stored.
    if not _DIGITS.match(digits):
        raise InvalidPhone(_("电话号码只能包含数字、空格、短横线和 +86。"))
    if international and digits.startswith(_AREA_CODE_STARTS):
        # In international form a landline drops the trunk 0 of its area code (+86 579 …, +86 10 …).
        digits = "0" + digits
    if digits.startswith("1"):
        if not _MOBILE.match(digits):
            raise InvalidPhone(_("手机号应为以 1 开头的 11 位数字。"))
        return digits
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        return digits
    raise InvalidPhone(_("无法识别的电话号码：手机号 11 位，固定电话需带区号。"))
