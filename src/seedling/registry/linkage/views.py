"""Pages of the duplicate queue: the list, a pair side by side, merge, not a duplicate, unmerge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.accounts.roles import Action
from seedling.core.locking import StaleEdit
from seedling.core.scope import user_may
from seedling.registry.models import DuplicateCandidate

from . import merge, selectors, services

PAGE_SIZE = 25


def _reviewer(request) -> None:
    if not request.user.area_prefixes(Action.REVIEW):
        raise PermissionDenied


@login_required
def duplicate_queue(request):
    """Pending pairs (or decided ones, by status) the user may see, highest score first."""
    _reviewer(request)
    status = request.GET.get("status", DuplicateCandidate.Status.PENDING)
    if status not in DuplicateCandidate.Status.values:
        status = DuplicateCandidate.Status.PENDING
    qs = selectors.duplicate_queue(user=request.user, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for candidate in page.object_list:
        candidate.explained = selectors.explain(candidate)
    context = {
        "page": page,
        "status": status,
        "statuses": DuplicateCandidate.Status.choices,
        "threshold": services.threshold(),
    }
    return render(request, "registry/duplicates/queue.html", context)


def _may_change_both(user, candidate) -> bool:
    return user_may(user, Action.CHANGE, candidate.child.area_id) and user_may(
        user, Action.CHANGE, candidate.other.area_id
    )


@login_required
def duplicate_detail(request, pk):
    """The two files side by side, the score with its parts, and the merge form (both reads logged)."""
    _reviewer(request)
    candidate = selectors.candidate_open(user=request.user, pk=pk)
    context = {
        "candidate": candidate,
        "score": selectors.explain(candidate),
        "rows": selectors.merge_rows(candidate),
        "family": (selectors.family_of(candidate.child), selectors.family_of(candidate.other)),
        "refusal": merge.merge_refusal(candidate.child, candidate.other),
        "may_change": _may_change_both(request.user, candidate),
        "pending": candidate.status == DuplicateCandidate.Status.PENDING,
        "threshold": services.threshold(),
    }
    return render(request, "registry/duplicates/detail.html", context)


@login_required
@require_POST
def duplicate_not_duplicate(request, pk):
    _reviewer(request)
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    try:
        services.candidate_not_duplicate(
            user=request.user, candidate=candidate, note=request.POST.get("note", "")
        )
        messages.success(request, _("已记录：这两份档案是两名儿童，不会再提示。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("duplicate_queue")


@login_required
@require_POST
def duplicate_merge(request, pk):
    """Merge with the field-by-field choice posted by the detail page."""
    _reviewer(request)
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    sides = {"left": candidate.child, "right": candidate.other}
    keep_side = request.POST.get("keep", "left")
    if keep_side not in sides:
        keep_side = "left"
    choices = {}
    for row in selectors.merge_rows(candidate):
        picked = request.POST.get(f"field-{row.name}", keep_side)
        if row.differs and picked in sides and picked != keep_side:
            choices[row.name] = "merged"
    versions = {}
    for side, child in sides.items():
        try:
            versions[child.pk] = int(request.POST.get(f"version-{side}", ""))
        except ValueError:
            versions[child.pk] = -1
    try:
        record = merge.child_merge(
            user=request.user, candidate=candidate, keep=sides[keep_side], choices=choices, versions=versions
        )
    except StaleEdit:
        messages.error(request, _("档案在您查看后已被修改，请核对最新内容后再合并。"))
        return redirect("duplicate_detail", pk=pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("duplicate_detail", pk=pk)
    messages.success(request, _("已合并。如有误，可在合并记录中撤销。"))
    return redirect("child_detail", uuid=record.child.uuid)


@login_required
def duplicate_merges(request):
    """Merges of files the user may see, with the undo form for those not undone."""
    _reviewer(request)
    page = Paginator(selectors.merge_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/duplicates/merges.html", {"page": page})


@login_required
@require_POST
def duplicate_unmerge(request, pk):
    _reviewer(request)
    record = selectors.merge_get(user=request.user, pk=pk)
    try:
        merge.child_unmerge(user=request.user, record=record, reason=request.POST.get("reason", ""))
        messages.success(request, _("已撤销合并，两份档案已恢复。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("duplicate_merges")
