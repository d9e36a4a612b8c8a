"""Reports that follow from what other apps record (connected in ProtectionConfig.ready).

Field work sends `seedling.fieldwork.signals.visit_risk_flagged(sender, visit, child, flags, user)`
when a visit records risk flags; each flag that is a reportable situation files a report at once,
with the visit's director as reporter. A visit saved again does not report the same situation twice.
"""

import datetime
import logging
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.core import clock

from . import services
from .choices import Situation, Source
from .models import MandatoryReport

logger = logging.getLogger(__name__)

# Risk flags of a visit (fieldwork.choices.RiskFlag) that are reportable situations; a flag may also
# be one of our situation codes. Concern flags (dropped out, mental health, ...) are not reports.
FLAG_SITUATIONS: dict[str, str] = {
    "private_parts_injury": Situation.GENITAL_INJURY,
    "girl_under_14_abuse": Situation.GIRL_UNDER_14,
    "girl_pregnant_abuse": Situation.GIRL_14_PLUS,
    "violence_injury": Situation.VIOLENCE_SIGNS,
    "abnormal_injury": Situation.ABNORMAL_INJURY,
    "abandoned": Situation.ABANDONED,
    "missing_trafficked": Situation.MISSING_TRAFFICKED,
    "organised_begging": Situation.ORGANISED_BEGGING,
    "other_serious_harm": Situation.OTHER_SERIOUS_HARM,
    "living_alone": Situation.LEFT_BEHIND_ALONE,
    "child_missing": Situation.MISSING_TRAFFICKED,  # a left-behind child's: see _situation_for
    "carer_incapable": Situation.LEFT_BEHIND_CARER,
    **{s.value: s.value for s in Situation},
}


def _flag_code(flag) -> str:
    return str(getattr(flag, "code", flag) or "").strip()


def _is_left_behind(child) -> bool:
    from seedling.registry.choices import Category
    from seedling.registry.models import CategoryAssignment

    return CategoryAssignment.objects.filter(
        child=child, ended_on__isnull=True, category__in=[Category.LEFT_BEHIND_BOTH, Category.LEFT_BEHIND_ONE]
    ).exists()


def _situation_for(code: str, child) -> str | None:
    situation = FLAG_SITUATIONS.get(code)
    if (
        situation == Situation.MISSING_TRAFFICKED
        and code in ("missing", "child_missing")
        and _is_left_behind(child)
    ):
        return Situation.LEFT_BEHIND_MISSING
    return situation


def _visit_moment(visit, detected_at: datetime.datetime | None) -> datetime.datetime:
    """When the visitor saw it: the moment sent with the signal for a visit made today; for a visit
    entered afterwards, the start of the visit's day (the report must not look later than it was)."""
    now = clock.now()
    moment = detected_at or now
    day = getattr(visit, "visited_on", None)
    if isinstance(day, datetime.date) and day < timezone.localdate(moment):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return min(moment, now)


def _situations(codes, child) -> list[str]:
    situations: list[str] = []
    for code in codes:
        # A flag field work calls mandatory but we do not know is still reported, never dropped.
        situation = _situation_for(code, child) or Situation.OTHER_SERIOUS_HARM
        if situation not in situations:
            situations.append(situation)
    return situations


def report_from_visit(
    sender, *, visit, child, flags, user, mandatory=None, detected_at=None, **kwargs
) -> list[MandatoryReport]:
    """File one mandatory report per reportable risk flag of a visit (once per visit and situation).

    The signal arrives after the visit's transaction committed: a report that cannot be filed must
    not pass unnoticed, so the visitor gets an urgent task to file it by hand.
    """
    codes = [_flag_code(f) for f in flags or []]
    if mandatory is not None:
        wanted = {_flag_code(f) for f in mandatory}
        codes = [c for c in codes if c in wanted] + [c for c in wanted if c not in codes]
    else:
        codes = [c for c in codes if c in FLAG_SITUATIONS]
    created = []
    for situation in _situations(codes, child):
        if MandatoryReport.objects.filter(
            source=Source.VISIT, source_id=visit.pk, situation=situation
        ).exists():
            continue
        label = Situation(situation).label
        description = _("走访（编号 %(id)s，%(day)s）中发现：%(situation)s。") % {
            "id": visit.pk,
            "day": getattr(visit, "visited_on", "") or "",
            "situation": label,
        }
        notes = str(getattr(visit, "risk_notes", "") or "").strip()
        try:
            created.append(
                services.report_create(
                    user=user,
                    child=child,
                    situation=situation,
                    detected_at=_visit_moment(visit, detected_at),
                    description=f"{description}\n{notes}".strip(),
                    source=Source.VISIT,
                    source_id=visit.pk,
                )
            )
        except (ValidationError, PermissionDenied) as exc:
            logger.warning("mandatory report from visit %s not filed: %s", visit.pk, type(exc).__name__)
            _ask_to_file_by_hand(visit=visit, child=child, user=user, situation=situation)
    return created


def _ask_to_file_by_hand(*, visit, child, user, situation: str) -> None:
    from seedling.inbox.models import Task
    from seedling.inbox.services import task_open

    url = reverse("protection:report_create") + "?" + urlencode({"child": child.uuid, "visit": visit.pk})
    task_open(
        key=f"report_file:visit:{visit.pk}:{situation}",
        kind="report_file",
        title=_("走访发现须强制报告的情形（%(situation)s），请立即提交报告")
        % {"situation": Situation(situation).label},
        url=url,
        assignee=user,
        child=child,
        priority=Task.Priority.URGENT,
    )
