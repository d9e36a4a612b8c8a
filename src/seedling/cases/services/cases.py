"""Writes of the case workflow (个案): intake, assignment, moving between stages, reopening.

DOMAIN.md §3: intake → assessment → plan → services → review → closure. Each service checks the
case-work role at the child's area (cases.access), the stage rules (cases.rules), saves with the
case's version (a stale case is refused), writes the case journal and the access log.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.inbox import services as inbox

from .. import access, rules
from ..choices import CaseStatus, IntakeSource, PlanStatus
from ..models import Case, CaseEvent, CaseNumberCounter
from .common import case_url, check_version, event, raise_if, save_case, unassigned_key, unknown_fields

CASE_FIELDS = ("source_kind", "source_type", "source_id", "presenting_problem", "opened_on", "worker")
EDIT_FIELDS = ("source_kind", "source_type", "source_id", "presenting_problem", "supervisor")


def _require_work(user, case_or_child) -> None:
    child = getattr(case_or_child, "child", case_or_child)
    access.require(user, access.CASE_WORK, child.area_id)


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise_if({"status": _("个案已结案。")})


def _next_number(area_code: str, year: int) -> str:
    """County code + year + sequence; one counter row per county and year, locked while counting."""
    county = area_code[:6]
    try:
        with transaction.atomic():
            CaseNumberCounter.objects.get_or_create(county=county, year=year)
    except IntegrityError:
        pass  # created by a concurrent intake: use it
    counter = CaseNumberCounter.objects.select_for_update().get(county=county, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{county}-{year}-{counter.last:05d}"


def worker_problem(worker, child) -> str | None:
    """A case's worker must do case work at the child's area (and so can open the child's file)."""
    if worker is None:
        return None
    if not worker.is_active or not access.may(worker, access.CASE_WORK, child.area_id):
        return _("所选人员在该儿童所在区域没有个案工作权限。")
    return None


def _check_dates(day, field: str, errors: dict, *, today, earliest=None) -> None:
    if day is None:
        errors[field] = _("请填写日期。")
    elif day > today:
        errors[field] = _("日期不能晚于今天。")
    elif earliest is not None and day < earliest:
        errors[field] = _("日期不能早于接案日期。")


@transaction.atomic
def case_open(*, user, child, fields: dict, today: datetime.date | None = None) -> Case:
    """Open a case for a child (接案) from a report, a referral, a visit or a walk-in.

    One open case per child; the opener holds a case-work role at the child's area; the worker
    (default: the opener) must too.
    """
    unknown_fields(fields, CASE_FIELDS)
    today = today or clock.today()
    _require_work(user, child)
    errors: dict[str, str] = {}
    values = {"opened_on": today, "source_type": "", "source_id": None, **fields}
    if values.get("source_kind") not in IntakeSource.values:
        errors["source_kind"] = _("请选择个案来源。")
    elif values["source_kind"] == IntakeSource.REPORT and not values["source_type"]:
        values["source_type"] = "protection.report"
    values["presenting_problem"] = (values.get("presenting_problem") or "").strip()
    if len(values["presenting_problem"]) < 2:
        errors["presenting_problem"] = _("请填写接案情况。")
    _check_dates(values["opened_on"], "opened_on", errors, today=today)
    if "worker" not in fields:
        values["worker"] = user if access.may(user, access.CASE_WORK, child.area_id) else None
    if problem := worker_problem(values["worker"], child):
        errors["worker"] = problem
    existing = Case.objects.filter(child=child).exclude(status=CaseStatus.CLOSED).first()
    if existing is not None:
        errors["child"] = _("该儿童已有未结案的个案（%(number)s）。") % {"number": existing.number}
    raise_if(errors)
    case = Case.objects.create(
        child=child, number=_next_number(child.area_id, today.year), opened_by=user, **values
    )
    event(case, CaseEvent.Kind.OPENED, user, case.get_source_kind_display())
    audit_log(user=user, action="create", obj=case, child=child)
    if case.worker_id and case.worker_id != user.pk:
        _tell_worker(case, _("您被指派为个案 %(number)s 的负责社工。") % {"number": case.number})
    return case


def _tell_worker(case: Case, title: str) -> None:
    if case.worker_id:
        inbox.notify(users=[case.worker], title=title, url=case_url(case))


@transaction.atomic
def case_update(*, user, case: Case, expected_version: int, fields: dict) -> Case:
    """Edit the intake of an open case (source, presenting problem, named supervisor)."""
    unknown_fields(fields, EDIT_FIELDS)
    _require_work(user, case)
    _require_open(case)
    errors: dict[str, str] = {}
    if "source_kind" in fields and fields["source_kind"] not in IntakeSource.values:
        errors["source_kind"] = _("请选择个案来源。")
    if "presenting_problem" in fields and len((fields["presenting_problem"] or "").strip()) < 2:
        errors["presenting_problem"] = _("请填写接案情况。")
    supervisor = fields.get("supervisor")
    if supervisor is not None and not access.may(supervisor, access.CASE_APPROVE, case.child.area_id):
        errors["supervisor"] = _("所选督导不负责该儿童所在区域。")
    raise_if(errors)
    changed = sorted(k for k, v in fields.items() if getattr(case, k) != v)
    for name, value in fields.items():
        setattr(case, name, value)
    save_versioned(case, expected_version=expected_version)
    audit_log(user=user, action="change", obj=case, child=case.child, detail={"fields": changed})
    return case


@transaction.atomic
def case_assign(*, user, case: Case, worker, expected_version: int) -> Case:
    """Assign or reassign a case: by the supervisor (or county) of the area, or by its current worker."""
    is_worker = case.worker_id is not None and case.worker_id == user.pk
    if not is_worker:
        access.require(user, access.CASE_APPROVE, case.child.area_id)
    _require_open(case)
    if worker is None:
        raise_if({"worker": _("请选择负责社工。")})
    raise_if({"worker": problem} if (problem := worker_problem(worker, case.child)) else {})
    previous = case.worker
    case.worker = worker
    save_versioned(case, expected_version=expected_version)
    inbox.task_close(key=unassigned_key(case.pk), user=user)
    event(case, CaseEvent.Kind.ASSIGNED, user, str(worker))
    audit_log(
        user=user,
        action="change",
        obj=case,
        child=case.child,
        detail={"fields": ["worker"], "from": previous.pk if previous else None, "to": worker.pk},
    )
    if worker.pk != user.pk:
        _tell_worker(case, _("您被指派为个案 %(number)s 的负责社工。") % {"number": case.number})
    return case


def _facts(case: Case, **extra) -> dict:
    return {
        "assessed": case.assessments.exists(),
        "plan_approved": case.plan_status == PlanStatus.APPROVED,
        "has_plan": case.plangoals.exists(),
        "closure_approved": False,  # only an approved closure request closes a case (approvals service)
        **extra,
    }


def set_status(case: Case, target: str, user, note: str = "") -> None:
    """Move the case to `target` (the caller has checked the rule) and write it to the journal."""
    if case.status == target:
        return
    old = case.status
    case.status = target
    save_case(case)
    event(
        case,
        CaseEvent.Kind.STATUS,
        user,
        f"{CaseStatus(old).label} → {CaseStatus(target).label} {note}".strip(),
    )


@transaction.atomic
def case_transition(*, user, case: Case, target: str, expected_version: int) -> Case:
    """Move a case to the next stage when its rule allows (rules.transition_problem); closing is
    refused here: only an approved closure request closes a case."""
    _require_work(user, case)
    if target not in CaseStatus.values:
        raise_if({"status": _("未知的阶段。")})
    check_version(case, expected_version)
    if case.status == CaseStatus.CLOSED:
        raise_if({"status": _("已结案的个案须说明理由后重新开案。")})
    if problem := rules.transition_problem(case.status, target, _facts(case)):
        raise_if({"status": problem})
    if target == CaseStatus.PLAN and case.plan_status == PlanStatus.NONE:
        case.plan_status = PlanStatus.DRAFT
    set_status(case, target, user)
    audit_log(user=user, action="change", obj=case, child=case.child, detail={"status": target})
    return case


@transaction.atomic
def case_reopen(*, user, case: Case, target: str, reason: str, expected_version: int) -> Case:
    """Reopen a closed case with a reason, back to assessment or to a plan that needs approval again."""
    _require_work(user, case)
    check_version(case, expected_version)
    if case.status != CaseStatus.CLOSED:
        raise_if({"status": _("只有已结案的个案可以重新开案。")})
    if not (reason or "").strip():
        raise_if({"reason": _("重新开案须说明理由。")})
    if problem := rules.transition_problem(case.status, target, _facts(case, reason=reason)):
        raise_if({"status": problem})
    other = Case.objects.filter(child=case.child).exclude(status=CaseStatus.CLOSED).exclude(pk=case.pk)
    if other.exists():
        raise_if({"status": _("该儿童已有其他未结案的个案。")})
    case.plan_status = PlanStatus.DRAFT if case.plangoals.exists() else PlanStatus.NONE
    case.plan_approved_at = None
    case.closed_on, case.closure_reason, case.closure_note = None, "", ""
    case.reopened_count += 1
    if worker_problem(case.worker, case.child):
        case.worker = None
    case.status = target
    save_case(case)
    event(case, CaseEvent.Kind.REOPENED, user, reason.strip())
    audit_log(
        user=user,
        action="change",
        obj=case,
        child=case.child,
        reason=reason.strip(),
        detail={"reopened": target},
    )
    return case
