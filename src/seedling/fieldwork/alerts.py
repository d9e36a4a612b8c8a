"""The inbox tasks a child's visit alert keeps open, described once for the per-child path and the sweep.

visit_due:<child_id>         the village director: the visit is due within the due-soon window
visit_overdue:<child_id>     the village director: the due date has passed (urgent once escalated)
visit_escalation:<child_id>  the township supervisor: overdue past the grace period

Tasks are addressed to a role at the child's village, so whoever holds that role there (or above it,
for the supervisor's township) sees them; a visit recorded closes them as done.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seedling.accounts.roles import Role

from .choices import TASK_DUE, TASK_ESCALATION, TASK_OVERDUE, Alert

_NAME = "%(name)s"
_PLACEHOLDER_UUID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class TaskSpec:
    kind: str
    role: str
    title: object  # a lazy format string with %(name)s
    url_name: str


SPECS = {
    TASK_DUE: TaskSpec(
        TASK_DUE, Role.VILLAGE_DIRECTOR, gettext_lazy("%(name)s：走访即将到期"), "fieldwork:visit_create"
    ),
    TASK_OVERDUE: TaskSpec(
        TASK_OVERDUE, Role.VILLAGE_DIRECTOR, gettext_lazy("%(name)s：走访已逾期"), "fieldwork:visit_create"
    ),
    TASK_ESCALATION: TaskSpec(
        TASK_ESCALATION,
        Role.TOWNSHIP_SUPERVISOR,
        gettext_lazy("%(name)s：走访逾期超过宽限期，请督促"),
        "child_detail",
    ),
}
LABELS = {
    TASK_DUE: gettext_lazy("走访到期"),
    TASK_OVERDUE: gettext_lazy("走访逾期"),
    TASK_ESCALATION: gettext_lazy("走访逾期上报"),
}


def due_soon_days() -> int:
    return int(getattr(settings, "SEEDLING_VISIT_DUE_SOON_DAYS", 14))


def grace_days() -> int:
    return int(getattr(settings, "SEEDLING_VISIT_GRACE_DAYS", 7))


def task_key(kind: str, child_id) -> str:
    return f"{kind}:{child_id}"


def task_title(kind: str, name: str) -> str:
    return str(SPECS[kind].title) % {"name": name}


def title_parts(kind: str) -> tuple[str, str]:
    """The translated title around the child's name, for building titles in SQL."""
    text = str(SPECS[kind].title)
    before, _sep, after = text.partition(_NAME)
    return before, after


def task_url(kind: str, child_uuid) -> str:
    return reverse(SPECS[kind].url_name, kwargs={"uuid": child_uuid})


def url_parts(kind: str) -> tuple[str, str]:
    """The task's URL around the child's uuid, for building URLs in SQL."""
    before, _sep, after = task_url(kind, _PLACEHOLDER_UUID).partition(_PLACEHOLDER_UUID)
    return before, after


def task_priority(kind: str, alert: str) -> str:
    if kind == TASK_ESCALATION or (kind == TASK_OVERDUE and alert == Alert.ESCALATED):
        return "urgent"
    return "normal"


def due_at(day: datetime.date | None) -> datetime.datetime | None:
    """The end of the due day in China Standard Time (UTC+8 all year: the SQL path adds 15:59:59 UTC)."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZoneInfo(settings.TIME_ZONE))


def digest_title(*, overdue: int = 0, escalated: int = 0) -> str:
    if escalated:
        return _("%(n)d 名儿童走访逾期超过宽限期，请督促儿童主任尽快走访") % {"n": escalated}
    return _("%(n)d 名儿童走访已逾期，请尽快走访") % {"n": overdue}
