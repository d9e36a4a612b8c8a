"""Screening results (心理筛查) on the child's file: a card and timeline events.

Shown only to users with SCREEN or COUNSEL over the child's area; everyone else sees nothing, not even
that a screening happened. Showing the results is written to the access log.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seedling.core.audit import audit_log
from seedling.core.models import AccessLog
from seedling.registry.sections import TimelineEvent

from . import scoring
from .campaign_selectors import child_screening_results
from .campaigns import may_read_results

LATEST = 5
BAND_NAMES = {
    "green": gettext_lazy("绿色"),
    "yellow": gettext_lazy("黄色"),
    "orange": gettext_lazy("橙色"),
    "red": gettext_lazy("红色"),
}


def _instrument(response) -> str:
    if response.instrument_version_id:
        return response.instrument_version.instrument.name_zh
    return response.questionnaire_version.questionnaire.title


def _action(response) -> str:
    if not response.action:
        return ""
    return scoring.action_label(response.action, (response.score or {}).get("within_days"))


def section(*, user, child) -> dict | None:
    """The "心理筛查" card: instrument, date, band, action and a link to each result (latest first)."""
    if not may_read_results(user, child.area_id):
        return None
    results = child_screening_results(user=user, child=child)
    if not results:
        return None
    audit_log(
        user=user,
        action=AccessLog.Action.VIEW,
        child=child,
        detail={"screening_results": [str(r.uuid) for r in results[:LATEST]]},
    )
    return {
        "title": _("心理筛查"),
        "template": "assessments/_child_section.html",
        "order": 35,
        "context": {
            "rows": [
                {
                    "response": r,
                    "instrument": _instrument(r),
                    "action": _action(r),
                    "url": reverse("assessments:screening_result", kwargs={"uuid": r.uuid}),
                }
                for r in results[:LATEST]
            ],
            "more": max(len(results) - LATEST, 0),
        },
    }


def timeline(*, user, child) -> list[TimelineEvent]:
    if not may_read_results(user, child.area_id):
        return []
    events = []
    for r in child_screening_results(user=user, child=child):
        band = str(BAND_NAMES.get(r.band) or _("未分级"))
        events.append(
            TimelineEvent(
                r.submitted_at,
                _("心理筛查：%(instrument)s（%(band)s）") % {"instrument": _instrument(r), "band": band},
                "screening",
                reverse("assessments:screening_result", kwargs={"uuid": r.uuid}),
                _action(r),
            )
        )
    return events
