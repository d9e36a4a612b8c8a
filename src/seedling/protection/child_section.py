"""The mandatory reports on a child's file: a section with the reports and a button to file one,
and their filing on the file's timeline. Only reports the user may see are shown."""

from django.urls import reverse
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.scope import user_may
from seedling.registry.sections import TimelineEvent

from .selectors import report_list


def section(*, user, child) -> dict | None:
    reports = list(report_list(user=user, child=child)[:20])
    may_create = user_may(user, Action.VIEW, child.area_id)
    if not reports and not may_create:
        return None
    return {
        "title": _("强制报告"),
        "template": "protection/_child_section.html",
        "context": {"child": child, "reports": reports, "may_create": may_create},
        "order": 20,
    }


def timeline(*, user, child) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            r.created_at,
            _("强制报告：%(situation)s") % {"situation": r.get_situation_display()},
            "mandatory_report",
            reverse("protection:report_detail", kwargs={"pk": r.pk}),
        )
        for r in report_list(user=user, child=child)[:50]
    ]
