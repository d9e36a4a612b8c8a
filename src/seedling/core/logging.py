"""Keep personal data out of logs: identity numbers and phone numbers are masked in every record."""

import logging
import re

_ID_RE = re.compile(r"(?<![0-9])([1-9][0-9]{5})(?:[0-9]{8})([0-9]{3}[0-9Xx])(?![0-9])")
_PHONE_RE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


def scrub(text: str) -> str:
    text = _ID_RE.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(2), text)
    return _PHONE_RE.sub(r"\1****\2", text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
