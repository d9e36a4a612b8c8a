"""Referrals (转介) to organizations, tracked to an answer: sent → accepted or declined → completed.

DOMAIN.md §3 (coordination): referrals between departments and organizations are tracked to an
answer. The receiving organization's users act on the referral through it alone: they see the basic
facts and the parts the sender chose to share, never the child's file (see selectors).
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.inbox import services as inbox

from .. import access, rules
from ..choices import ReferralStatus
from ..models import Assessment, Case, CaseEvent, Organization, Referral
from .common import (
    check_version,
    end_of_day,
    event,
    raise_if,
    referral_followup_key,
    referral_key,
    referral_prefix,
    setting,
    unknown_fields,
)

REFERRAL_FIELDS = (
    "service",
    "reason",
    "due_on",
    "share_guardian_contact",
    "share_health",
    "share_assessment",
)


def referral_url(referral: Referral) -> str:
    return reverse("cases:referral_detail", kwargs={"pk": referral.pk})


def serves_area(organization: Organization, area_code: str) -> bool:
    """An organization serves an area when it is nationwide or serves an area containing it."""
    if organization.nationwide:
        return True
    prefixes = [area_code[:n] for n in (2, 4, 6, 9, 12) if len(area_code) >= n]
    return organization.areas.filter(code__in=prefixes).exists()


def _member_tasks(referral: Referral, *, urgent: bool = False) -> None:
    """One task per user of the receiving organization while the referral waits for them."""
    waiting = referral.status == ReferralStatus.SENT
    title = (_("新转介（%(service)s）待回复") if waiting else _("转介（%(service)s）待完成")) % {
        "service": referral.get_service_display()
    }
    for member in referral.organization.members.filter(is_active=True):
        inbox.task_open(
            key=referral_key(referral.pk, member.pk),
            kind="referral",
            title=title,
            url=referral_url(referral),
            assignee=member,
            due_at=end_of_day(referral.due_on),
            priority="urgent" if urgent else "normal",
        )


@transaction.atomic
def referral_send(
    *, user, child, organization: Organization, fields: dict, case: Case | None = None, today=None
) -> Referral:
    """Refer a child (from a case or from the child's file) to an organization that serves the child's
    area and offers the service, sharing only the parts the sender chooses."""
    unknown_fields(fields, REFERRAL_FIELDS)
    today = today or clock.today()
    access.require(user, access.CASE_WORK, child.area_id)
    values = {"due_on": today + datetime.timedelta(days=setting("SEEDLING_REFERRAL_DEFAULT_DAYS")), **fields}
    values["reason"] = (values.get("reason") or "").strip()
    errors: dict[str, str] = {}
    if organization is None or not organization.active:
        errors["organization"] = _("请选择有效的机构。")
    elif not serves_area(organization, child.area_id):
        errors["organization"] = _("该机构不服务该儿童所在区域。")
    elif values.get("service") not in organization.service_list:
        errors["service"] = _("该机构不提供所选服务。")
    if len(values["reason"]) < 2:
        errors["reason"] = _("请填写转介原因。")
    if values["due_on"] is None or values["due_on"] < today:
        errors["due_on"] = _("回复期限不能早于今天。")
    if case is not None and (case.child_id != child.pk or not case.is_open):
        errors["case"] = _("请选择该儿童未结案的个案。")
    if values.get("share_assessment") and not Assessment.objects.filter(child=child).exists():
        errors["share_assessment"] = _("该儿童还没有评估，无可共享的评估摘要。")
    raise_if(errors)
    referral = Referral.objects.create(
        child=child, case=case, organization=organization, sent_by=user, sent_at=clock.now(), **values
    )
    _member_tasks(referral)
    if case is not None:
        event(case, CaseEvent.Kind.REFERRED, user, f"{organization.name} · {referral.get_service_display()}")
    audit_log(
        user=user,
        action="create",
        obj=referral,
        child=child,
        detail={"organization": organization.pk, "shared": referral.shared_parts},
    )
    return referral


def is_receiver(user, referral: Referral) -> bool:
    return (
        referral.organization.members.filter(pk=user.pk, is_active=True).exists()
        and referral.organization.active
    )


@transaction.atomic
def referral_respond(
    *, user, referral: Referral, expected_version: int, status: str, note: str = ""
) -> Referral:
    """The receiving organization accepts, declines (with a reason) or completes (with the outcome)."""
    if not is_receiver(user, referral):
        access.deny()
    check_version(referral, expected_version)  # someone else answered first: show theirs, not a rule error
    errors: dict[str, str] = {}
    if status not in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.COMPLETED):
        errors["status"] = _("请选择接收、拒绝或完成。")
    elif problem := rules.referral_move_problem(referral.status, status):
        errors["status"] = problem
    note = (note or "").strip()
    if status == ReferralStatus.DECLINED and len(note) < 2:
        errors["note"] = _("拒绝时须说明理由。")
    if status == ReferralStatus.COMPLETED and len(note) < 2:
        errors["note"] = _("请填写服务结果。")
    raise_if(errors)
    now = clock.now()
    referral.status = status
    if status == ReferralStatus.COMPLETED:
        referral.completed_at, referral.outcome = now, note[:1000]
    else:
        referral.responded_by, referral.responded_at, referral.response_note = user, now, note[:1000]
    save_versioned(referral, expected_version=expected_version)
    if status == ReferralStatus.ACCEPTED:
        _member_tasks(referral)  # same keys: "to answer" becomes "to complete"
    else:
        inbox.tasks_close_prefix(prefix=referral_prefix(referral.pk), user=user, status="done")
        inbox.task_close(key=referral_followup_key(referral.pk), user=user)
    if referral.case_id:
        event(
            referral.case,
            CaseEvent.Kind.REFERRED,
            user,
            f"{referral.organization.name} · {referral.get_status_display()}",
        )
    audit_log(user=user, action="change", obj=referral, child=referral.child, detail={"status": status})
    _tell_sender(
        referral,
        _("转介至 %(org)s：%(status)s")
        % {"org": referral.organization.name, "status": referral.get_status_display()},
    )
    return referral


def _tell_sender(referral: Referral, title: str) -> None:
    people = {
        u.pk: u
        for u in (referral.sent_by, referral.case.worker if referral.case_id else None)
        if u is not None
    }
    inbox.notify(users=list(people.values()), title=title, url=referral_url(referral))


@transaction.atomic
def referral_cancel(*, user, referral: Referral, expected_version: int, reason: str) -> Referral:
    """The sending side withdraws an open referral, with a reason; the organization is told."""
    access.require(user, access.CASE_WORK, referral.child.area_id)
    check_version(referral, expected_version)
    errors: dict[str, str] = {}
    if problem := rules.referral_move_problem(referral.status, ReferralStatus.CANCELLED):
        errors["status"] = problem
    if len((reason or "").strip()) < 2:
        errors["reason"] = _("请说明撤回理由。")
    raise_if(errors)
    referral.status = ReferralStatus.CANCELLED
    referral.response_note = reason.strip()[:1000]
    save_versioned(referral, expected_version=expected_version)
    inbox.tasks_close_prefix(prefix=referral_prefix(referral.pk), user=user)
    inbox.task_close(key=referral_followup_key(referral.pk), user=user, status="cancelled")
    inbox.notify(
        users=list(referral.organization.members.filter(is_active=True)),
        title=_("转介（%(service)s）已被撤回") % {"service": referral.get_service_display()},
        url=referral_url(referral),
    )
    audit_log(user=user, action="change", obj=referral, child=referral.child, detail={"status": "cancelled"})
    return referral


def referral_reminders(*, today: datetime.date | None = None) -> dict[str, int]:
    """Periodic: remind the organization when an open referral is due soon; when overdue, its tasks
    turn urgent and the sender gets a follow-up task. Each stage is sent once per referral."""
    today = today or clock.today()
    soon = setting("SEEDLING_REFERRAL_DUE_SOON_DAYS")
    counts = {"due_soon": 0, "overdue": 0}
    open_rows = Referral.objects.filter(
        status__in=rules.REFERRAL_OPEN, due_on__lte=today + datetime.timedelta(days=soon)
    )
    for referral in open_rows.select_related("organization", "case", "sent_by").order_by("pk"):
        stage = rules.reminder_stage(due_on=referral.due_on, today=today, soon_days=soon)
        with transaction.atomic():
            if stage == "overdue" and referral.reminded_overdue_on is None:
                _member_tasks(referral, urgent=True)
                owner = (referral.case.worker if referral.case_id else None) or referral.sent_by
                if owner is not None:
                    inbox.task_open(
                        key=referral_followup_key(referral.pk),
                        kind="referral_overdue",
                        title=_("转介至 %(org)s 已逾期未办结，请跟进") % {"org": referral.organization.name},
                        url=referral_url(referral),
                        assignee=owner,
                        child=referral.child,
                        due_at=end_of_day(today),
                        priority="urgent",
                    )
                Referral.objects.filter(pk=referral.pk).update(reminded_overdue_on=today)
                counts["overdue"] += 1
            elif stage == "due_soon" and referral.reminded_due_soon_on is None:
                inbox.notify(
                    users=list(referral.organization.members.filter(is_active=True)),
                    title=_("转介（%(service)s）将于 %(due)s 到期")
                    % {"service": referral.get_service_display(), "due": referral.due_on.isoformat()},
                    url=referral_url(referral),
                )
                Referral.objects.filter(pk=referral.pk).update(reminded_due_soon_on=today)
                counts["due_soon"] += 1
    return counts
