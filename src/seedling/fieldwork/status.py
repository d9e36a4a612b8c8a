"""One child's visit status (下次走访), kept current as things happen: a visit recorded or edited, a
category confirmed or ended, the child moving or leaving the register.

The rules are rules.next_due / rules.alert_for; the inbox tasks follow the alert (alerts.py).
sweep.py does the same for every child at once, in SQL.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import translation

from seedling.core import clock
from seedling.inbox import services as inbox
from seedling.inbox.models import Task
from seedling.registry.choices import ChildStatus
from seedling.registry.models import CategoryAssignment, Child

from . import alerts, rules
from .choices import HIGH_RISK, REMOTE_METHODS, TASK_DUE, TASK_KINDS, TASKS_WANTED, Alert
from .models import ChildVisitStatus, Visit, VisitFrequency


def frequencies() -> dict[tuple[str, str], int | None]:
    """Every visit frequency row: (area prefix, category) -> interval in days (None: no visits)."""
    return {(f.area_prefix, f.category): f.interval_days for f in VisitFrequency.objects.all()}


def remote_methods() -> frozenset[str]:
    """Visit methods that do not count as the regular visit (a phone call, unless settings say so)."""
    return frozenset() if getattr(settings, "SEEDLING_VISIT_PHONE_COUNTS", False) else REMOTE_METHODS


def visit_facts(child: Child) -> tuple[datetime.date | None, datetime.date | None, bool]:
    """(last visit in person, follow-up date of the latest visit, whether the latest visit found a
    mandatory-report risk)."""
    visits = Visit.objects.filter(child=child)
    last = visits.exclude(method__in=remote_methods()).aggregate(last=Max("visited_on"))["last"]
    latest = visits.order_by("-visited_on", "-pk").values("follow_up_on", "high_risk").first() or {}
    return last, latest.get("follow_up_on"), bool(latest.get("high_risk"))


def child_due(
    *, child: Child, last_visit_on, follow_up_on, high_risk: bool, freq: dict | None = None
) -> rules.Due:
    """The child's next visit date from its open categories; files no longer active have none."""
    if child.status != ChildStatus.ACTIVE:
        return rules.NO_DUE
    freq = frequencies() if freq is None else freq
    duties = []
    open_categories = CategoryAssignment.objects.filter(child=child, ended_on__isnull=True)
    for category, started_on in open_categories.values_list("category", "started_on"):
        days = rules.interval_for(category=category, area_code=child.area_id, frequencies=freq)
        if days:
            duties.append(rules.Duty(days, started_on))
    high_risk_days = (
        rules.interval_for(category=HIGH_RISK, area_code=child.area_id, frequencies=freq)
        if high_risk
        else None
    )
    return rules.next_due(
        duties=duties, last_visit_on=last_visit_on, follow_up_on=follow_up_on, high_risk_days=high_risk_days
    )


def _may_need_visits(child: Child) -> bool:
    return (
        child.status == ChildStatus.ACTIVE
        and CategoryAssignment.objects.filter(child_id=child.pk, ended_on__isnull=True).exists()
    )


@transaction.atomic
def visit_status_recompute(
    *, child: Child, today: datetime.date | None = None, user=None, visit_recorded: bool = False
) -> ChildVisitStatus | None:
    """Bring one child's next-due date, alert and inbox tasks up to date (idempotent).

    A child with no category that needs visits and no status row yet gets none. `visit_recorded`
    closes the visit tasks no longer wanted as done by `user`; otherwise they are cancelled.
    """
    today = today or clock.today()
    child = Child.objects.only("pk", "uuid", "name", "area_id", "status").get(pk=child.pk)
    status = ChildVisitStatus.objects.select_for_update().filter(child_id=child.pk).first()
    if status is None and not _may_need_visits(child):
        return None  # most registry writes concern children without a category: two queries, no more
    last, follow_up, high_risk = visit_facts(child)
    due = child_due(child=child, last_visit_on=last, follow_up_on=follow_up, high_risk=high_risk)
    if status is None:
        if due.next_due_on is None:
            return None
        status = ChildVisitStatus(child_id=child.pk, alert=Alert.NONE)
    alert = rules.alert_for(
        next_due_on=due.next_due_on,
        today=today,
        due_soon_days=alerts.due_soon_days(),
        grace_days=alerts.grace_days(),
    )
    raised_for = (status.alert, status.alerted_due_on, status.area_code)
    status.area_code = child.area_id
    status.last_visit_on, status.follow_up_on, status.high_risk = last, follow_up, high_risk
    status.interval_days, status.next_due_on = due.interval_days, due.next_due_on
    if visit_recorded or raised_for != (alert, due.next_due_on if alert else None, child.area_id):
        tasks_sync(child=child, old_alert=status.alert, alert=alert, next_due_on=due.next_due_on, user=user,
                   done=visit_recorded)  # fmt: skip
        status.alerted_due_on = due.next_due_on if alert else None
    status.alert = alert
    status.overdue_since = rules.overdue_since(due.next_due_on, alert)
    status.escalated_at = (status.escalated_at or clock.now()) if alert == Alert.ESCALATED else None
    status.updated_at = clock.now()
    status.save()
    return status


def tasks_sync(
    *, child: Child, old_alert: str, alert: str, next_due_on, user=None, done: bool = False
) -> None:
    """Open the tasks the alert wants (updating due date, priority and area), close the others.

    A task that is new notifies its addressees (the due-soon reminder excepted: the inbox count is
    enough for that); closing because of a visit marks it done, otherwise cancelled.
    """
    wanted, had = TASKS_WANTED[alert], TASKS_WANTED.get(old_alert, frozenset())
    for kind in TASK_KINDS:
        key = alerts.task_key(kind, child.pk)
        if kind not in wanted:
            inbox.task_close(key=key, user=user, status=Task.Status.DONE if done else Task.Status.CANCELLED)
            continue
        spec = alerts.SPECS[kind]
        with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language
            title = alerts.task_title(kind, child.name)
        inbox.task_open(
            key=key,
            kind=kind,
            title=title,
            url=alerts.task_url(kind, child.uuid),
            assignee_role=spec.role,
            child=child,
            area_code=child.area_id,
            due_at=alerts.due_at(next_due_on),
            priority=alerts.task_priority(kind, alert),
            notify=kind != TASK_DUE and kind not in had,
        )
