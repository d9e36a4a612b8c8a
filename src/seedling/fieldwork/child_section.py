"""What home visits add to the child's file: the visit plan and latest visits, and the timeline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.scope import user_may
from seedling.registry.sections import TimelineEvent

from . import selectors

LATEST = 5


def section(*, user, child) -> dict:
    """The "走访" card: next due date, interval, last visit, the latest visits, a button to record one."""
    status = selectors.visit_status(child=child)
    today = clock.today()
    overdue_days = (today - status.next_due_on).days if status and status.next_due_on else 0
    return {
        "title": _("走访"),
        "template": "fieldwork/_child_section.html",
        "order": 10,
        "context": {
            "child": child,
            "status": status,
            "overdue_days": max(overdue_days, 0),
            "visits": list(selectors.child_visits(child=child, limit=LATEST)),
            "may_record": user_may(user, Action.CHANGE, child.area_id),
            "today": today,
        },
    }


def timeline(*, user, child) -> list[TimelineEvent]:
    events = []
    for visit in selectors.child_visits(child=child):
        flags = visit.risk_labels()
        events.append(
            TimelineEvent(
                visit.visited_on,
                _("走访（%(method)s）") % {"method": visit.get_method_display()},
                "visit",
                reverse("fieldwork:visit_detail", kwargs={"pk": visit.pk}),
                "、".join(flags) if flags else "",
            )
        )
    return events
