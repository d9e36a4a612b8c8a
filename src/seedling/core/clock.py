"""The system clock (系统时钟): every due date, escalation and age is computed from here.

Tests and demos move time with `travel`; production never does. `SEEDLING_CLOCK_OFFSET_DAYS` lets a
demo (web and worker processes alike) run some days in the future to show overdue work.
"""

import datetime
import os

from django.utils import timezone

_offset = datetime.timedelta(days=float(os.environ.get("SEEDLING_CLOCK_OFFSET_DAYS", "0") or 0))


def now() -> datetime.datetime:
    """The current moment (UTC, aware)."""
    return timezone.now() + _offset


def today() -> datetime.date:
    """Today's date in Asia/Shanghai."""
    return timezone.localdate(now())


def travel(*, to: datetime.datetime | None = None, by: datetime.timedelta | None = None) -> None:
    """Move the clock to a moment or by a span (tests and demos only)."""
    global _offset
    if to is not None:
        _offset = to - timezone.now()
    if by is not None:
        _offset += by


def reset() -> None:
    global _offset
    _offset = datetime.timedelta(0)
