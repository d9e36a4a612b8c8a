"""The child's cases, open referrals and pending transfer on the child's file, and their timeline events."""

from django.urls import reverse
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.scope import user_may
from seedling.registry.sections import TimelineEvent

from . import access, rules, selectors
from .choices import TransferStatus
from .models import CaseEvent, TransferRequest

SHOWN_EVENTS = (
    CaseEvent.Kind.OPENED,
    CaseEvent.Kind.PLAN_APPROVED,
    CaseEvent.Kind.SERVICE,
    CaseEvent.Kind.REVIEWED,
    CaseEvent.Kind.REFERRED,
    CaseEvent.Kind.CLOSED,
    CaseEvent.Kind.REOPENED,
)


def section(*, user, child) -> dict | None:
    """Shown to people doing or overseeing case work at the child's area (not to counsellors)."""
    if not access.may(user, access.CASE_VIEW, child.area_id):
        return None
    cases = list(selectors.child_cases(user=user, child=child))
    referrals = list(selectors.referral_sent(user=user).filter(child=child, status__in=rules.REFERRAL_OPEN))
    transfer = selectors.pending_transfer(child=child)
    may_work = access.may(user, access.CASE_WORK, child.area_id)
    return {
        "title": _("个案、转介与转移"),
        "template": "cases/_child_section.html",
        "order": 40,
        "context": {
            "child": child,
            "cases": cases,
            "referrals": referrals,
            "transfer": transfer,
            "may_open_case": may_work and not any(c.is_open for c in cases),
            "may_refer": may_work,
            "may_transfer": transfer is None and user_may(user, Action.CHANGE, child.area_id),
        },
    }


def timeline(*, user, child) -> list[TimelineEvent]:
    if not access.may(user, access.CASE_VIEW, child.area_id):
        return []
    case_ids = list(selectors.child_cases(user=user, child=child).values_list("pk", flat=True))
    events = []
    rows = CaseEvent.objects.filter(case_id__in=case_ids, kind__in=SHOWN_EVENTS).select_related("case")
    for e in rows.order_by("-at")[:100]:
        events.append(
            TimelineEvent(
                e.at,
                f"{_('个案')} {e.case.number}：{e.get_kind_display()}",
                "case",
                reverse("cases:case_detail", kwargs={"pk": e.case_id}),
                e.note,
            )
        )
    moves = TransferRequest.objects.filter(child=child, status=TransferStatus.ACCEPTED).select_related(
        "from_area", "to_area"
    )
    for t in moves:
        events.append(
            TimelineEvent(
                t.decided_at,
                _("迁入 %(to)s（自 %(from)s）") % {"to": t.to_area.name, "from": t.from_area.name},
                "transfer",
            )
        )
    return events
