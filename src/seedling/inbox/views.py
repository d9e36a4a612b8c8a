"""The inbox page: open tasks (urgent first) and notifications."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from seedling.core import clock

from . import kinds, selectors, services


@login_required
def inbox(request):
    tasks = Paginator(selectors.task_list(user=request.user, kind=request.GET.get("kind", "")), 50)
    page = tasks.get_page(request.GET.get("page"))
    for task in page.object_list:
        task.kind_label = kinds.label(task.kind)
    return render(
        request,
        "inbox/inbox.html",
        {
            "page": page,
            "notifications": selectors.notification_list(user=request.user)[:30],
            "now": clock.now(),
        },
    )


@login_required
@require_POST
def notification_open(request, pk):
    """Mark a notification read and go to what it is about."""
    note = selectors.notification_list(user=request.user).filter(pk=pk).first()
    if note is None:
        return redirect("inbox:inbox")
    services.notifications_mark_read(user=request.user, ids=[note.pk])
    target = note.url if url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}) else ""
    return redirect(target or "inbox:inbox")


@login_required
@require_POST
def notifications_read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("inbox:inbox")
