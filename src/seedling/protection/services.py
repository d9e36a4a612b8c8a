"""Every write to mandatory reports (强制报告): file, acknowledge, close, add a note, escalate.

Each transition checks the rule, writes the report, appends a ReportEvent, writes the access log and
opens or closes inbox tasks, in one transaction. Nothing here deletes; nothing rewrites a step once
recorded (the database refuses both, see migration 0002).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action, Role
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.scope import user_may
from seedling.inbox import services as inbox
from seedling.inbox.models import Task

from . import rules, selectors
from .choices import ContactKind, EventKind, Situation, Source
from .models import MandatoryReport, ReportEvent, ReportRouting

DESCRIPTION_MAX = 5000
NOTE_MAX = 2000


def ack_hours() -> int:
    """Hours the police and civil affairs have to acknowledge a report before it escalates."""
    return int(getattr(settings, "SEEDLING_REPORT_ACK_HOURS", 24))


def _url(report: MandatoryReport) -> str:
    return reverse("protection:report_detail", kwargs={"pk": report.pk})


def _label(report: MandatoryReport) -> dict:
    # Task titles and e-mails carry the report number, village and situation, never the child's name.
    return {"id": report.pk, "village": report.child.area.name, "situation": report.get_situation_display()}


def _holders(role: str, area_code: str) -> list:
    """Active users holding `role` at an area containing `area_code` (e.g. the township supervisor)."""
    from seedling.accounts.models import Membership

    prefixes = [area_code[:n] for n in range(2, len(area_code) + 1)]
    rows = Membership.objects.filter(role=role, is_active=True, user__is_active=True).filter(
        Q(area_id__in=prefixes) | Q(area__isnull=True)
    )
    return [m.user for m in rows.select_related("user")]


def _event(report: MandatoryReport, *, kind: str, actor=None, note: str = "") -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, child_id=report.child_id, at=clock.now(), actor=actor, kind=kind, note=note
    )


def _lock(report: MandatoryReport) -> MandatoryReport:
    return (
        MandatoryReport.objects.select_for_update().select_related("child", "child__area").get(pk=report.pk)
    )


def _as_aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _text(value: str, field: str, limit: int, errors: dict, *, required: bool, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = message or _("此项为必填项。")
    elif len(value) > limit:
        errors[field] = _("最多 %(n)d 个字。") % {"n": limit}
    return value


@transaction.atomic
def report_create(
    *,
    user,
    child,
    situation: str,
    detected_at: datetime.datetime | None,
    description: str,
    source: str = Source.DIRECT,
    source_id: int | None = None,
) -> MandatoryReport:
    """File a mandatory report and send it at once to the police and civil affairs of the child's area.

    Minors Protection Law Art. 11: whoever meets a statutory situation reports to the police at once;
    the report is timestamped at detection (`detected_at`, not in the future) and at entry.
    """
    errors: dict[str, str] = {}
    now = clock.now()
    if situation not in Situation.values:
        errors["situation"] = _("请选择报告情形。")
    if detected_at is None:
        errors["detected_at"] = _("请填写发现时间。")
    else:
        detected_at = _as_aware(detected_at)
        if detected_at > now:
            errors["detected_at"] = _("发现时间不能晚于现在。")
        elif timezone.localdate(detected_at) < child.birth_date:
            errors["detected_at"] = _("发现时间不能早于儿童的出生日期。")
    description = _text(
        description, "description", DESCRIPTION_MAX, errors, required=True, message=_("请说明发现的情况。")
    )
    if source not in Source.values:
        errors["source"] = _("来源无效。")
    elif source == Source.DIRECT:
        source_id = None
    elif not source_id or int(source_id) <= 0:
        errors["source_id"] = _("请注明来源的走访或个案编号。")
    if errors:
        raise ValidationError(errors)
    if not user_may(user, Action.VIEW, child.area_id):
        raise PermissionDenied(_("您没有权限为该儿童提交报告。"))
    if source != Source.DIRECT:
        earlier = MandatoryReport.objects.filter(
            source=source, source_id=source_id, situation=situation
        ).first()
        if earlier is not None:
            message = _("该来源已就此情形提交过报告（#%(id)s）。") % {"id": earlier.pk}
            raise ValidationError({"situation": message})

    report = MandatoryReport(
        child=child,
        situation=situation,
        detected_at=detected_at,
        created_at=now,
        reporter=user,
        source=source,
        source_id=source_id,
        ack_due_at=now + datetime.timedelta(hours=ack_hours()),
    )
    report.description = description
    report.save()
    _event(report, kind=EventKind.REPORTED, actor=user)
    _route(report)
    if source == Source.VISIT:  # filed by hand after the automatic report from the visit failed
        inbox.task_close(key=f"report_file:visit:{source_id}:{situation}", user=user)
    audit_log(user=user, action="create", obj=report, child=child, detail={"situation": situation})
    return report


def _route(report: MandatoryReport) -> None:
    """Send the report to the most specific police and civil-affairs contacts and open their tasks."""
    area = report.child.area_id
    label = _label(report)
    names = []
    police_users = []
    for kind in (ContactKind.POLICE, ContactKind.CIVIL_AFFAIRS):
        for contact in selectors.contacts_for(area_code=area, kind=kind):
            ReportRouting.objects.create(
                report=report,
                child_id=report.child_id,
                contact=contact,
                kind=kind,
                name=contact.name,
                phone=contact.phone,
                routed_at=report.created_at,
            )
            names.append(f"{contact.get_kind_display()}：{contact.name}")
            linked = [u for u in contact.users.all() if u.is_active]
            if kind == ContactKind.POLICE:
                police_users += linked
            elif linked:
                inbox.notify(
                    users=linked,
                    title=_("强制报告 #%(id)s（%(village)s）：%(situation)s") % label,
                    url=_url(report),
                )
    _event(report, kind=EventKind.ROUTED, note="；".join(names) or _("本区域未配置接报单位。"))

    common = {"kind": "report_ack", "url": _url(report), "child": report.child, "due_at": report.ack_due_at}
    for user in {u.pk: u for u in police_users}.values():
        inbox.task_open(
            key=f"report_ack:{report.pk}:police:{user.pk}",
            title=_("强制报告 #%(id)s（%(village)s）：%(situation)s，请确认接报") % label,
            assignee=user,
            priority=Task.Priority.URGENT,
            **common,
        )
    if not police_users:
        # No police account to confirm in Seedling: the county officer calls the police and records
        # their receipt number on their behalf.
        inbox.task_open(
            key=f"report_ack:{report.pk}:police",
            title=_("强制报告 #%(id)s（%(village)s）：请向公安机关报告并登记接警回执号") % label,
            assignee_role=Role.COUNTY_OFFICER,
            priority=Task.Priority.URGENT,
            **common,
        )
    inbox.task_open(
        key=f"report_ack:{report.pk}:civil_affairs",
        title=_("强制报告 #%(id)s（%(village)s）：%(situation)s，请民政部门确认接报") % label,
        assignee_role=Role.COUNTY_OFFICER,
        priority=Task.Priority.URGENT,
        **common,
    )
    supervisors = _holders(Role.TOWNSHIP_SUPERVISOR, area)
    if supervisors:
        inbox.notify(
            users=supervisors,
            title=_("辖区强制报告 #%(id)s（%(village)s）：%(situation)s") % label,
            url=_url(report),
        )


def _after_acknowledgement(report: MandatoryReport, user) -> None:
    """Once both have acknowledged, the escalation (if any) is over."""
    if report.police_acknowledged_at and report.civil_affairs_acknowledged_at:
        inbox.task_close(key=f"report_escalation:{report.pk}", user=user)


def _set_status(report: MandatoryReport) -> None:
    report.status = rules.status_of(
        police=report.police_acknowledged_at is not None,
        civil_affairs=report.civil_affairs_acknowledged_at is not None,
        closed=report.closed_at is not None,
    )


def _require_open(report: MandatoryReport) -> None:
    if report.is_closed:
        raise ValidationError(_("该报告已办结。"))


@transaction.atomic
def report_acknowledge_police(*, user, report: MandatoryReport, reference: str = "") -> MandatoryReport:
    """Record that the police received the report: by the routed police contact's own account, or by
    the county civil affairs officer on their behalf with the police receipt number (接警回执号)."""
    report = _lock(report)
    roles = selectors.roles_over(user=user, area_code=report.child.area_id)
    routed = ReportRouting.objects.filter(
        report=report, kind=ContactKind.POLICE, contact__users=user
    ).exists()
    how = rules.police_acknowledger(roles, is_routed_police_contact=routed)
    if how is None:
        raise PermissionDenied(_("只有接报的公安机关或县级民政部门可以登记公安接报。"))
    _require_open(report)
    if report.police_acknowledged_at is not None:
        raise ValidationError(_("公安机关已确认接报。"))
    errors: dict[str, str] = {}
    message = _("代公安机关登记接报时，须填写接警回执号。")
    reference = _text(reference, "reference", 64, errors, required=how == "on_behalf", message=message)
    if errors:
        raise ValidationError(errors)
    report.police_acknowledged_at = clock.now()
    report.police_acknowledged_by = user
    report.police_reference = reference
    report.police_acknowledged_on_behalf = how == "on_behalf"
    _set_status(report)
    report.save(
        update_fields=[
            "police_acknowledged_at",
            "police_acknowledged_by",
            "police_reference",
            "police_acknowledged_on_behalf",
            "status",
        ]
    )
    note = _("接警回执号：%(ref)s") % {"ref": reference} if reference else ""
    if how == "on_behalf":
        note = _("由民政部门代为登记。") + note
    _event(report, kind=EventKind.POLICE_ACKNOWLEDGED, actor=user, note=note)
    inbox.tasks_close_prefix(prefix=f"report_ack:{report.pk}:police", user=user, status=Task.Status.DONE)
    _after_acknowledgement(report, user)
    audit_log(
        user=user, action="change", obj=report, child=report.child, detail={"step": "police_acknowledged"}
    )
    return report


@transaction.atomic
def report_acknowledge_civil_affairs(*, user, report: MandatoryReport, note: str = "") -> MandatoryReport:
    """Record that civil affairs (county level or above, in the child's area) received the report."""
    report = _lock(report)
    roles = selectors.roles_over(user=user, area_code=report.child.area_id)
    if not rules.may_acknowledge_civil_affairs(roles):
        raise PermissionDenied(_("只有县级及以上民政部门可以登记民政接报。"))
    _require_open(report)
    if report.civil_affairs_acknowledged_at is not None:
        raise ValidationError(_("民政部门已确认接报。"))
    errors: dict[str, str] = {}
    note = _text(note, "note", NOTE_MAX, errors, required=False)
    if errors:
        raise ValidationError(errors)
    report.civil_affairs_acknowledged_at = clock.now()
    report.civil_affairs_acknowledged_by = user
    _set_status(report)
    report.save(update_fields=["civil_affairs_acknowledged_at", "civil_affairs_acknowledged_by", "status"])
    _event(report, kind=EventKind.CIVIL_AFFAIRS_ACKNOWLEDGED, actor=user, note=note)
    inbox.task_close(key=f"report_ack:{report.pk}:civil_affairs", user=user)
    _after_acknowledgement(report, user)
    audit_log(
        user=user,
        action="change",
        obj=report,
        child=report.child,
        detail={"step": "civil_affairs_acknowledged"},
    )
    return report


@transaction.atomic
def report_close(*, user, report: MandatoryReport, note: str) -> MandatoryReport:
    """Close a report once both the police and civil affairs have acknowledged it; a note is required."""
    report = _lock(report)
    roles = selectors.roles_over(user=user, area_code=report.child.area_id)
    if not rules.may_close(roles):
        raise PermissionDenied(_("只有县级及以上民政部门可以办结报告。"))
    _require_open(report)
    if report.police_acknowledged_at is None or report.civil_affairs_acknowledged_at is None:
        raise ValidationError(_("公安机关和民政部门均确认接报后才能办结。"))
    errors: dict[str, str] = {}
    note = _text(note, "note", NOTE_MAX, errors, required=True, message=_("请填写办结说明。"))
    if errors:
        raise ValidationError(errors)
    report.closed_at = clock.now()
    report.closed_by = user
    report.closing_note = note
    _set_status(report)
    report.save(update_fields=["closed_at", "closed_by", "closing_note", "status"])
    _event(report, kind=EventKind.CLOSED, actor=user, note=note)
    inbox.tasks_close_prefix(prefix=f"report_ack:{report.pk}:", user=user)
    inbox.task_close(key=f"report_escalation:{report.pk}", user=user)
    audit_log(user=user, action="change", obj=report, child=report.child, detail={"step": "closed"})
    return report


@transaction.atomic
def report_note_add(*, user, report: MandatoryReport, note: str) -> ReportEvent:
    """Add to a report's history (the report itself never changes: corrections are added, not made)."""
    if not selectors.report_list(user=user).filter(pk=report.pk).exists():
        raise PermissionDenied(_("您无权查看该报告。"))
    errors: dict[str, str] = {}
    note = _text(note, "note", NOTE_MAX, errors, required=True, message=_("请填写补充说明。"))
    if errors:
        raise ValidationError(errors)
    event = _event(report, kind=EventKind.NOTE, actor=user, note=note)
    audit_log(user=user, action="change", obj=report, child=report.child, detail={"step": "note"})
    return event


def reports_escalate() -> int:
    """Escalate each report still unacknowledged at its deadline (default 24 hours), once: an urgent
    task for the city civil affairs officer and a notification to the county officers."""
    now = clock.now()
    due = (
        MandatoryReport.objects.filter(escalated_at__isnull=True, closed_at__isnull=True, ack_due_at__lte=now)
        .filter(Q(police_acknowledged_at__isnull=True) | Q(civil_affairs_acknowledged_at__isnull=True))
        .values_list("pk", flat=True)
    )
    escalated = 0
    for pk in list(due):
        with transaction.atomic():
            report = _lock(MandatoryReport(pk=pk))
            if report.escalated_at is not None or report.is_closed:
                continue  # another run got there first
            missing = rules.missing_acknowledgements(
                police=report.police_acknowledged_at is not None,
                civil_affairs=report.civil_affairs_acknowledged_at is not None,
            )
            if not missing:
                continue
            report.escalated_at = now
            report.save(update_fields=["escalated_at"])
            who = "、".join(str(ContactKind(kind).label) for kind in missing)
            label = {**_label(report), "hours": ack_hours(), "missing": who}
            title = _("强制报告 #%(id)s（%(village)s）超过 %(hours)s 小时未获%(missing)s接报") % label
            _event(report, kind=EventKind.ESCALATED, note=title)
            inbox.task_open(
                key=f"report_escalation:{report.pk}",
                kind="report_escalation",
                title=title,
                url=_url(report),
                assignee_role=Role.CITY_OFFICER,
                child=report.child,
                priority=Task.Priority.URGENT,
            )
            county = _holders(Role.COUNTY_OFFICER, report.child.area_id)
            if county:
                inbox.notify(users=county, title=title, url=_url(report))
            audit_log(
                user=None, action="change", obj=report, child=report.child, detail={"step": "escalated"}
            )
            escalated += 1
    return escalated
