"""Pure rules of home visits (走访): no ORM, no clock; tested with tables (tests/test_rules.py).

- interval_for: the visit frequency of a category in an area (most specific area prefix wins).
- next_due: a child's next visit date from its open categories, last visit, follow-up and risk.
- alert_for: due soon, overdue, or overdue past the grace period (escalated to the supervisor).
- edit_mode: an edit within the window changes the record; a later one keeps the old content.
- attachment_problem: the type and size limits of visit attachments.

sweep.py implements next_due and alert_for again in SQL for a million children at once; a test
checks that both give the same dates.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import MANDATORY_REPORT_FLAGS, Alert

# Significant prefix lengths of division codes: national, province, city, county, township, village.
PREFIX_LENGTHS = (12, 9, 6, 4, 2, 0)

# (area prefix, category) -> interval in days, None = no regular visits for that category there.
Frequencies = Mapping[tuple[str, str], int | None]


def interval_for(*, category: str, area_code: str, frequencies: Frequencies) -> int | None:
    """The visit interval for a category in an area: the row with the longest matching prefix wins."""
    for length in PREFIX_LENGTHS:
        if length > len(area_code):
            continue
        key = (area_code[:length], category)
        if key in frequencies:
            return frequencies[key]
    return None


@dataclass(frozen=True)
class Duty:
    """An open category that needs visits: every `interval_days`, counted from `since` at the earliest."""

    interval_days: int
    since: datetime.date


@dataclass(frozen=True)
class Due:
    interval_days: int | None
    next_due_on: datetime.date | None


NO_DUE = Due(None, None)


def next_due(
    *,
    duties: Iterable[Duty],
    last_visit_on: datetime.date | None,
    follow_up_on: datetime.date | None = None,
    high_risk_days: int | None = None,
) -> Due:
    """When the next visit is due (DOMAIN.md section 3: at least monthly / quarterly by category).

    Each open category asks for a visit `interval_days` after the last visit, but never counts from
    before the category started (a category given after the last visit starts its own clock; a child
    never visited is due one interval after the category started). The earliest of these wins.
    While the latest visit found a mandatory-report risk, the high-risk interval applies too; a
    follow-up date set on the latest visit brings the date forward. No category, no due date.
    """
    duties = list(duties)
    if not duties:
        return NO_DUE
    candidates = []
    for duty in duties:
        start = duty.since if last_visit_on is None else max(last_visit_on, duty.since)
        candidates.append(start + datetime.timedelta(days=duty.interval_days))
    interval = min(d.interval_days for d in duties)
    if high_risk_days and last_visit_on is not None:
        candidates.append(last_visit_on + datetime.timedelta(days=high_risk_days))
        interval = min(interval, high_risk_days)
    if follow_up_on is not None and (last_visit_on is None or follow_up_on > last_visit_on):
        candidates.append(follow_up_on)
    return Due(interval, min(candidates))


def alert_for(
    *, next_due_on: datetime.date | None, today: datetime.date, due_soon_days: int, grace_days: int
) -> str:
    """Due within `due_soon_days`; overdue the day after the due date; escalated to the township
    supervisor once more than `grace_days` late (DOMAIN.md: overdue visits alert the director and,
    past a grace period, the supervisor)."""
    if next_due_on is None:
        return Alert.NONE
    late = (today - next_due_on).days
    if late > grace_days:
        return Alert.ESCALATED
    if late > 0:
        return Alert.OVERDUE
    if -late <= due_soon_days:
        return Alert.DUE
    return Alert.NONE


def overdue_since(next_due_on: datetime.date | None, alert: str) -> datetime.date | None:
    if next_due_on is None or alert not in (Alert.OVERDUE, Alert.ESCALATED):
        return None
    return next_due_on + datetime.timedelta(days=1)


def is_high_risk(flags: Iterable[str]) -> bool:
    """A visit that found a situation which must be reported to the police makes the child high-risk."""
    return any(f in MANDATORY_REPORT_FLAGS for f in flags)


UPDATE_IN_PLACE = "update"
NEW_VERSION = "new_version"


def edit_mode(*, recorded_at: datetime.datetime, now: datetime.datetime, window_days: int) -> str:
    """Within `window_days` of recording, an edit corrects the record; later, the record as it stood is
    kept as a version of its own (a visit record is evidence: what was written stays readable)."""
    if now - recorded_at <= datetime.timedelta(days=window_days):
        return UPDATE_IN_PLACE
    return NEW_VERSION


# Allowed attachments: extension -> (content type, test on the first bytes of the file).
ATTACHMENT_TYPES = {
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "webp": ("image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
}


def attachment_type(*, name: str, head: bytes, size: int, max_bytes: int) -> str:
    """The content type of an acceptable attachment; raises ValueError with the message for the user.

    Only JPG, PNG, WebP photos and PDF documents, within the size limit; the content must be what the
    extension says (a renamed file is refused), so a browser never runs what was uploaded.
    """
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValueError(
            _("只能上传 JPG、PNG、WebP 图片或 PDF 文件（“%(name)s”不是）。") % {"name": name[:80]}
        )
    if size <= 0:
        raise ValueError(_("文件“%(name)s”是空的。") % {"name": name[:80]})
    if size > max_bytes:
        raise ValueError(
            _("文件“%(name)s”过大（%(size).1f MB），每个文件不能超过 %(max)s MB。")
            % {"name": name[:80], "size": size / 1048576, "max": _megabytes(max_bytes)}
        )
    content_type, looks_right = ATTACHMENT_TYPES[ext]
    if not looks_right(head):
        raise ValueError(_("文件“%(name)s”的内容与扩展名不符，无法上传。") % {"name": name[:80]})
    return content_type


def _megabytes(size: int) -> str:
    value = size / 1048576
    return f"{value:g}" if value >= 1 else f"{value:.2f}"
