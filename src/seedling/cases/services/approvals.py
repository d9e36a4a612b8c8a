"""Supervisor approval of plans and closures (督导审批): request → approve, or reject with a comment.

DOMAIN.md §3: plans and closures need the supervisor's approval. The approver is the township
supervisor of the child's area (or the county officer above); the request reaches the supervisor's
inbox as the task "case_approval:<request id>". A plan is active only once approved; a case closes
only through an approved closure.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from seedling.accounts.models import Membership
from seedling.accounts.roles import Role
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.inbox import services as inbox

from .. import access, rules
from ..choices import (
    ActionStatus,
    ApprovalDecision,
    ApprovalKind,
    CaseStatus,
    ClosureReason,
    PlanStatus,
    RiskLevel,
)
from ..models import ApprovalRequest, Case, CaseEvent
from .cases import _require_open, _require_work, set_status
from .common import (
    action_prefix,
    approval_key,
    case_url,
    event,
    raise_if,
    risk_key,
    save_case,
    setting,
    unassigned_key,
)
from .plan import action_task


def _approver_role(area_code: str) -> str:
    """The township supervisor decides; where the township has none, the county officer."""
    has_supervisor = Membership.objects.filter(
        role=Role.TOWNSHIP_SUPERVISOR, area_id=area_code[:9], is_active=True, user__is_active=True
    ).exists()
    return Role.TOWNSHIP_SUPERVISOR if has_supervisor else Role.COUNTY_OFFICER


def approval_task(approval: ApprovalRequest) -> None:
    """The supervisor's inbox task for a pending request, at the child's current area."""
    case = approval.case
    inbox.task_open(
        key=approval_key(approval.pk),
        kind="case_approval",
        title=_("个案 %(number)s：%(kind)s待审批")
        % {"number": case.number, "kind": approval.get_kind_display()},
        url=case_url(case) + "#approvals",
        assignee_role=_approver_role(case.child.area_id),
        child=case.child,
        due_at=approval.requested_at + datetime.timedelta(days=setting("SEEDLING_CASE_APPROVAL_DAYS")),
        priority="urgent" if case.risk_level == RiskLevel.URGENT else "normal",
    )


def _request(*, user, case: Case, kind: str, note: str, closure_reason: str = "") -> ApprovalRequest:
    if case.approvals.filter(kind=kind, decision=ApprovalDecision.PENDING).exists():
        raise_if({"kind": _("已有待审批的%(kind)s申请。") % {"kind": rules.approval_kind_label(kind)}})
    approval = ApprovalRequest.objects.create(
        case=case,
        child_id=case.child_id,
        kind=kind,
        requested_by=user,
        requested_at=clock.now(),
        note=(note or "").strip()[:1000],
        closure_reason=closure_reason,
    )
    approval_task(approval)
    audit_log(user=user, action="create", obj=approval, child=case.child, detail={"kind": kind})
    return approval


@transaction.atomic
def plan_approval_request(*, user, case: Case, note: str = "") -> ApprovalRequest:
    """Send the drafted plan to the supervisor: needs an assessment, a goal, and actions with owner and due date."""
    _require_work(user, case)
    _require_open(case)
    actions = list(case.planactions.filter(status=ActionStatus.OPEN).values_list("owner_id", "due_on"))
    problems = rules.plan_request_problems(
        status=case.status,
        plan_status=case.plan_status,
        assessed=case.assessments.exists(),
        goals=case.plangoals.count(),
        actions=actions,
    )
    raise_if(problems)
    approval = _request(user=user, case=case, kind=ApprovalKind.PLAN, note=note)
    case.plan_status = PlanStatus.PENDING
    save_case(case)
    event(case, CaseEvent.Kind.PLAN_REQUESTED, user, note)
    return approval


@transaction.atomic
def closure_request(*, user, case: Case, closure_reason: str, note: str = "") -> ApprovalRequest:
    """Ask the supervisor to close the case, with a reason (a note is needed for "other")."""
    _require_work(user, case)
    _require_open(case)
    errors: dict[str, str] = {}
    if closure_reason not in ClosureReason.values:
        errors["closure_reason"] = _("请选择结案原因。")
    elif closure_reason == ClosureReason.OTHER and len((note or "").strip()) < 2:
        errors["note"] = _("请说明结案原因。")
    raise_if(errors)
    approval = _request(
        user=user, case=case, kind=ApprovalKind.CLOSURE, note=note, closure_reason=closure_reason
    )
    event(case, CaseEvent.Kind.CLOSURE_REQUESTED, user, approval.get_closure_reason_display())
    return approval


def _close(case: Case, approval: ApprovalRequest, user) -> None:
    """Apply an approved closure: the case closes and every open task of it is cancelled."""
    if problem := rules.transition_problem(case.status, CaseStatus.CLOSED, {"closure_approved": True}):
        raise_if({"status": problem})
    case.closed_on = clock.today()
    case.closure_reason = approval.closure_reason
    case.closure_note = approval.note[:500]
    set_status(case, CaseStatus.CLOSED, user)
    event(case, CaseEvent.Kind.CLOSED, user, approval.get_closure_reason_display())
    inbox.tasks_close_prefix(prefix=action_prefix(case.pk), user=user)
    for key in (unassigned_key(case.pk), risk_key(case.pk)):
        inbox.task_close(key=key, user=user, status="cancelled")
    for pending in case.approvals.filter(decision=ApprovalDecision.PENDING).exclude(pk=approval.pk):
        pending.decision, pending.decided_at = ApprovalDecision.REJECTED, clock.now()
        pending.decided_by, pending.comment = user, _("个案已结案。")
        pending.save()
        inbox.task_close(key=approval_key(pending.pk), user=user, status="cancelled")


@transaction.atomic
def approval_decide(*, user, approval: ApprovalRequest, decision: str, comment: str = "") -> ApprovalRequest:
    """Approve or reject a plan or closure request (a rejection needs a comment; nobody approves their
    own request). An approved plan becomes active and its actions reach their owners' inboxes; an
    approved closure closes the case."""
    approval = ApprovalRequest.objects.select_for_update().select_related("case", "child").get(pk=approval.pk)
    case = approval.case
    access.require(user, access.CASE_APPROVE, case.child.area_id)
    if approval.decision != ApprovalDecision.PENDING:
        raise_if({"decision": _("该申请已处理。")})
    raise_if(
        rules.approval_problems(
            decision=decision, comment=comment, is_requester=approval.requested_by_id == user.pk
        )
    )
    approval.decision, approval.decided_by, approval.decided_at = decision, user, clock.now()
    approval.comment = (comment or "").strip()[:1000]
    approval.save()
    approved = decision == ApprovalDecision.APPROVED
    if approval.kind == ApprovalKind.PLAN:
        _decide_plan(case, approval, user, approved)
    elif approved:
        _close(case, approval, user)
    else:
        event(case, CaseEvent.Kind.CLOSURE_REJECTED, user, approval.comment)
    inbox.task_close(key=approval_key(approval.pk), user=user)
    audit_log(
        user=user,
        action="decide",
        obj=approval,
        child=case.child,
        detail={"kind": approval.kind, "decision": decision},
    )
    title = _("个案 %(number)s 的%(kind)s申请：%(decision)s") % {
        "number": case.number,
        "kind": approval.get_kind_display(),
        "decision": approval.get_decision_display(),
    }
    told = {u.pk: u for u in (approval.requested_by, case.worker) if u is not None and u.pk != user.pk}
    inbox.notify(users=list(told.values()), title=title, url=case_url(case))
    return approval


def _decide_plan(case: Case, approval: ApprovalRequest, user, approved: bool) -> None:
    if approved:
        case.plan_status = PlanStatus.APPROVED
        case.plan_approved_at = approval.decided_at
        if case.status == CaseStatus.PLAN:
            set_status(case, CaseStatus.SERVICES, user)
        else:
            save_case(case)
        event(case, CaseEvent.Kind.PLAN_APPROVED, user, approval.comment)
        for action in case.planactions.filter(status=ActionStatus.OPEN).select_related("owner", "case"):
            action_task(action)
    else:
        case.plan_status = PlanStatus.DRAFT
        save_case(case)
        event(case, CaseEvent.Kind.PLAN_REJECTED, user, approval.comment)
