"""Pages of the supervisor's approval queue and of transfers between areas (incoming / outgoing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.accounts.roles import Action
from seedling.core.audit import audit_log_each
from seedling.core.scope import user_may
from seedling.registry import selectors as registry_selectors

from .. import access, selectors, services
from ..choices import TransferStatus
from ..forms import DecisionForm, TransferDecisionForm, TransferForm
from .cases import _uuid


@login_required
def approval_queue(request):
    """Plans and closures waiting for the supervisor (or county) of the children's areas."""
    if not access.role_prefixes(request.user, access.CASE_APPROVE):
        raise PermissionDenied
    rows = list(selectors.approval_queue(user=request.user)[:200])
    # Each request shows the child and the plan or closure note: a read of each, tied to its child.
    audit_log_each(user=request.user, action="view", objs=rows, detail={"list": "case_approvals"})
    return render(request, "cases/approval_queue.html", {"approvals": rows, "form": DecisionForm()})


@login_required
@require_POST
def approval_decide(request, pk):
    approval = selectors.approval_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "cases:approval_queue"
    if not form.is_valid():
        messages.error(request, _("请选择批准或驳回。"))
        return redirect(target)
    try:
        services.approval_decide(
            user=request.user,
            approval=approval,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已处理审批：%(case)s") % {"case": approval.case.number})
    return redirect(target)


@login_required
def transfer_list(request):
    """Transfers into the user's villages waiting for an answer, and transfers out of them."""
    incoming = selectors.transfer_incoming(user=request.user)
    outgoing = selectors.transfer_outgoing(user=request.user)
    return render(
        request,
        "cases/transfer_list.html",
        {
            "incoming": incoming[:200],
            "outgoing": outgoing[:200],
            "waiting": incoming.filter(status=TransferStatus.REQUESTED).count(),
        },
    )


@login_required
def transfer_create(request):
    """A child moved: ask the destination village to take over the file (?child=<uuid>)."""
    child = registry_selectors.child_get(
        user=request.user, uuid=_uuid(request.GET.get("child")), action=Action.CHANGE
    )
    form = TransferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_request(
                user=request.user,
                child=child,
                to_area=form.cleaned_data["to_area"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("转移申请已发送，待迁入地接收。"))
            return redirect("cases:transfer_detail", pk=transfer.pk)
    return render(request, "cases/transfer_form.html", {"form": form, "child": child})


def _transfer_page(request, transfer, form=None, status=200):
    user = request.user
    decidable = transfer.status == TransferStatus.REQUESTED and services.may_decide(user, transfer)
    workers = selectors.workers_for(area_code=transfer.to_area_id) if decidable else None
    return render(
        request,
        "cases/transfer_detail.html",
        {
            "transfer": transfer,
            "form": form or (TransferDecisionForm(workers=workers) if decidable else None),
            "may_cancel": transfer.status == TransferStatus.REQUESTED and services.may_cancel(user, transfer),
            "may_open_file": user_may(user, Action.VIEW, transfer.child.area_id),
        },
        status=status,
    )


@login_required
def transfer_detail(request, pk):
    transfer = selectors.transfer_open(user=request.user, pk=pk)
    return _transfer_page(request, transfer)


@login_required
@require_POST
def transfer_decide(request, pk):
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    form = TransferDecisionForm(request.POST, workers=selectors.workers_for(area_code=transfer.to_area_id))
    if form.is_valid():
        try:
            services.transfer_decide(
                user=request.user,
                transfer=transfer,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                worker=form.cleaned_data.get("worker"),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            transfer.refresh_from_db()
            if transfer.status == TransferStatus.ACCEPTED:
                messages.success(request, _("已接收，儿童档案已迁入。"))
                return redirect("child_detail", uuid=transfer.child.uuid)
            messages.success(request, _("已拒绝转移申请。"))
            return redirect("cases:transfer_list")
    transfer = selectors.transfer_open(user=request.user, pk=pk)  # the transfer again: a read, logged
    return _transfer_page(request, transfer, form=form, status=400)


@login_required
@require_POST
def transfer_cancel(request, pk):
    transfer = selectors.transfer_get(user=request.user, pk=pk)
    try:
        services.transfer_cancel(user=request.user, transfer=transfer)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已撤回转移申请。"))
    return redirect("cases:transfer_detail", pk=transfer.pk)
