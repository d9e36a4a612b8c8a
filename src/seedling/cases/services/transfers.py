"""Transfers between areas (转移): a child moves, the receiving side accepts or declines.

On acceptance the child's file moves to the new village (registry.services.child_relocate): the
sending side loses access with the area scope and the receiving side gains it. Open cases follow the
child to a worker on the receiving side, or wait unassigned with a task for the receiving supervisor.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from seedling.accounts.models import Membership
from seedling.accounts.roles import Action, Role
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.core.scope import user_may
from seedling.inbox import services as inbox
from seedling.registry.models import Child

from .. import access
from ..choices import ActionStatus, ApprovalDecision, CaseStatus, TransferStatus
from ..models import Case, CaseEvent, TransferRequest
from .approvals import approval_task
from .cases import worker_problem
from .common import case_url, event, raise_if, save_case, transfer_key, unassigned_key
from .plan import _risk_task, action_task


def _receiving_role(area_code: str) -> str:
    """The destination village's director receives the task; without one, the township supervisor."""
    has_director = Membership.objects.filter(
        role=Role.VILLAGE_DIRECTOR, area_id=area_code, is_active=True, user__is_active=True
    ).exists()
    return Role.VILLAGE_DIRECTOR if has_director else Role.TOWNSHIP_SUPERVISOR


def may_decide(user, transfer: TransferRequest) -> bool:
    """The destination's director, supervisor or county (with the right to change files there)."""
    return access.may(user, access.TRANSFER_DECIDE, transfer.to_area_id, action=Action.CHANGE)


def may_cancel(user, transfer: TransferRequest) -> bool:
    return transfer.requested_by_id == user.pk or user_may(user, Action.CHANGE, transfer.from_area_id)


@transaction.atomic
def transfer_request(*, user, child: Child, to_area, reason: str) -> TransferRequest:
    """Ask the destination village to take over a child's file (the child moved there)."""
    if not user_may(user, Action.CHANGE, child.area_id):
        access.deny()
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if to_area is None or to_area.level != "village" or to_area.retired_in is not None:
        errors["to_area"] = _("请选择迁入的村（居）委会。")
    elif to_area.code == child.area_id:
        errors["to_area"] = _("迁入地与现居地相同。")
    if len(reason) < 2:
        errors["reason"] = _("请说明迁移原因。")
    if TransferRequest.objects.filter(child=child, status=TransferStatus.REQUESTED).exists():
        errors["child"] = _("该儿童已有待接收的转移申请。")
    raise_if(errors)
    transfer = TransferRequest.objects.create(
        child=child,
        from_area_id=child.area_id,
        to_area=to_area,
        reason=reason,
        requested_by=user,
        requested_at=clock.now(),
    )
    inbox.task_open(
        key=transfer_key(transfer.pk),
        kind="case_transfer",
        title=_("儿童转入待接收：%(name)s（%(from)s → %(to)s）")
        % {"name": child.name, "from": child.area.name, "to": to_area.name},
        url=transfer_url(transfer),
        assignee_role=_receiving_role(to_area.code),
        area_code=to_area.code,
    )
    audit_log(user=user, action="create", obj=transfer, child=child, detail={"to": to_area.code})
    return transfer


def transfer_url(transfer: TransferRequest) -> str:
    from django.urls import reverse

    return reverse("cases:transfer_detail", kwargs={"pk": transfer.pk})


@transaction.atomic
def transfer_decide(
    *, user, transfer: TransferRequest, decision: str, comment: str = "", worker=None
) -> TransferRequest:
    """Accept (the file moves; open cases follow to `worker` or wait for the receiving supervisor) or
    decline with a comment (nothing moves)."""
    transfer = TransferRequest.objects.select_for_update().select_related("to_area").get(pk=transfer.pk)
    if not may_decide(user, transfer):
        access.deny()
    errors: dict[str, str] = {}
    if transfer.status != TransferStatus.REQUESTED:
        errors["status"] = _("该申请已处理。")
    if decision not in (TransferStatus.ACCEPTED, TransferStatus.DECLINED):
        errors["decision"] = _("请选择接收或拒绝。")
    elif decision == TransferStatus.DECLINED and len((comment or "").strip()) < 2:
        errors["comment"] = _("拒绝时须说明理由。")
    if worker is not None and not (
        worker.is_active and access.may(worker, access.CASE_WORK, transfer.to_area_id)
    ):
        errors["worker"] = _("所选人员在迁入地没有个案工作权限。")
    child = Child.objects.select_for_update().get(pk=transfer.child_id)
    if child.area_id != transfer.from_area_id:
        errors["status"] = _("儿童现居地已变更，本申请已失效。")
    raise_if(errors)
    transfer.status, transfer.decided_by, transfer.decided_at = decision, user, clock.now()
    transfer.comment = (comment or "").strip()[:500]
    transfer.save()
    if decision == TransferStatus.ACCEPTED:
        from seedling.registry.services import child_relocate

        child = child_relocate(
            user=user, child=child, area=transfer.to_area, reason=transfer.reason, transfer_id=transfer.pk
        )
        for case in Case.objects.filter(child=child).exclude(status=CaseStatus.CLOSED):
            _move_case(case, child, user, worker)
    inbox.task_close(key=transfer_key(transfer.pk), user=user)
    audit_log(user=user, action="decide", obj=transfer, child=child, detail={"decision": decision})
    if transfer.requested_by_id and transfer.requested_by_id != user.pk:
        title = _("转移申请（%(to)s）：%(status)s") % {
            "to": transfer.to_area.name,
            "status": transfer.get_status_display(),
        }
        inbox.notify(users=[transfer.requested_by], title=title)
    return transfer


def _move_case(case: Case, child: Child, user, worker) -> None:
    """An open case follows the child: its worker, action owners and pending tasks move to the new area."""
    case.child = child
    if worker is not None:
        case.worker = worker
    elif worker_problem(case.worker, child):
        case.worker = None
    if case.supervisor_id and not access.may(case.supervisor, access.CASE_APPROVE, child.area_id):
        case.supervisor = None
    save_case(case)
    event(case, CaseEvent.Kind.TRANSFERRED, user, child.area.name)
    if case.worker is None:
        inbox.task_open(
            key=unassigned_key(case.pk),
            kind="case_unassigned",
            title=_("转入的个案 %(number)s 待指派社工") % {"number": case.number},
            url=case_url(case),
            assignee_role=Role.TOWNSHIP_SUPERVISOR,
            child=child,
        )
    elif case.worker_id != user.pk:
        inbox.notify(
            users=[case.worker],
            title=_("转入的个案 %(number)s 由您负责") % {"number": case.number},
            url=case_url(case),
        )
    for action in case.planactions.filter(status=ActionStatus.OPEN).select_related(
        "owner", "case", "case__child"
    ):
        if worker_problem(action.owner, child):
            action.owner = case.worker
            save_versioned(action, expected_version=action.version)
        action_task(action)
    for approval in case.approvals.filter(decision=ApprovalDecision.PENDING).select_related(
        "case", "case__child"
    ):
        approval_task(approval)  # same key: the task moves to the new area's supervisor
    _risk_task(case)


@transaction.atomic
def transfer_cancel(*, user, transfer: TransferRequest) -> TransferRequest:
    """Withdraw a transfer request that has not been answered (the requester or the sending area)."""
    transfer = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
    if not may_cancel(user, transfer):
        access.deny()
    if transfer.status != TransferStatus.REQUESTED:
        raise_if({"status": _("该申请已处理。")})
    transfer.status, transfer.decided_by, transfer.decided_at = TransferStatus.CANCELLED, user, clock.now()
    transfer.save()
    inbox.task_close(key=transfer_key(transfer.pk), user=user, status="cancelled")
    audit_log(user=user, action="change", obj=transfer, child=transfer.child, detail={"status": "cancelled"})
    return transfer
