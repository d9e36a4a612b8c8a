"""Pages of requests for help: my requests (counsellor, supervisor), counts (county officers), the
request with its session notes (counsellor and supervisor only), accept, reassign, close, note."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.core import clock
from seedling.core.locking import StaleEdit

from .. import access, selectors, services
from ..forms import CloseForm, ReassignForm, RequestFilterForm, SessionNoteForm, VersionForm
from ..models import HelpRequest

PAGE_SIZE = 25


@login_required
def request_list(request):
    """A counsellor's requests; a supervisor's supervised requests; an officer's counts (no contents)."""
    user = request.user
    form = RequestFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    own = access.counsellor_of(user)
    supervises = user.supervised_counsellors.exists()
    box = filters.get("box") or ("mine" if own is not None or not supervises else "supervised")
    rows = selectors.request_list(user=user, filters={"status": filters.get("status", "")})
    rows = rows.filter(counsellor__user=user) if box == "mine" else rows.filter(counsellor__supervisor=user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.request_counts(user=user) if access.officer_prefixes(user) else None
    return render(
        request,
        "counselling/request_list.html",
        {
            "form": form,
            "page": page,
            "box": box,
            "own": own,
            "supervises": supervises,
            "counts": counts,
            "statuses": HelpRequest.Status,
        },
    )


def _full_or_outline(user, pk):
    """(request, full): the contents for its counsellor and supervisor, an outline for officers."""
    try:
        return selectors.request_open(user=user, pk=pk), True
    except Http404:
        return selectors.request_outline(user=user, pk=pk), False


@login_required
def request_detail(request, pk):
    """The request; its contents and session notes only for the counsellor and their supervisor."""
    help_request, full = _full_or_outline(request.user, pk)
    notes = selectors.notes_read(user=request.user, request=help_request) if full else []
    return _render_detail(request, help_request, full=full, notes=notes)


def _render_detail(
    request, help_request, *, full, notes, note_form=None, close_form=None, reassign_form=None
):
    may_reassign = access.may_reassign(request.user, help_request)
    return render(
        request,
        "counselling/request_detail.html",
        {
            "r": help_request,
            "full": full,
            "notes": notes,
            "is_owner": access.is_owner(request.user, help_request),
            "note_form": note_form or SessionNoteForm(initial={"held_on": clock.today()}),
            "close_form": close_form or CloseForm(initial={"version": help_request.version}),
            "reassign_form": reassign_form
            or ReassignForm(
                initial={"version": help_request.version},
                choices=selectors.reassign_choices(request=help_request, user=request.user),
            ),
            "may_reassign": may_reassign,
            "reassign_problem": access.reassign_problem(request.user, help_request) if may_reassign else None,
            "may_write": full and help_request.status != HelpRequest.Status.CLOSED,
            "accept_form": VersionForm(initial={"version": help_request.version}),
        },
    )


def _service_error(request, exc):
    if isinstance(exc, StaleEdit):
        messages.error(request, str(exc))
    else:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, problem)


@login_required
@require_POST
def request_accept(request, pk):
    help_request = selectors.request_get(user=request.user, pk=pk)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.help_request_accept(
                request=help_request, user=request.user, expected_version=form.cleaned_data["version"]
            )
        except (ValidationError, StaleEdit) as exc:
            _service_error(request, exc)
        else:
            messages.success(request, _("已接收，开始跟进。"))
    return redirect("counselling:request_detail", pk=pk)


@login_required
@require_POST
def request_reassign(request, pk):
    help_request, full = _full_or_outline(request.user, pk)
    if not access.may_reassign(request.user, help_request):
        raise PermissionDenied
    form = ReassignForm(
        request.POST, choices=selectors.reassign_choices(request=help_request, user=request.user)
    )
    if form.is_valid():
        try:
            services.help_request_reassign(
                request=help_request,
                counsellor=form.cleaned_data["counsellor"],
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, StaleEdit) as exc:
            _service_error(request, exc)
        else:
            messages.success(request, _("已改派。"))
            return redirect("counselling:request_detail", pk=pk)
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("counselling:request_detail", pk=pk)


@login_required
@require_POST
def request_close(request, pk):
    help_request = selectors.request_get(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.help_request_close(
                request=help_request,
                user=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, StaleEdit) as exc:
            if isinstance(exc, ValidationError):
                form.add_service_errors(
                    ValidationError(
                        {"note" if k == "closing_note" else k: v for k, v in exc.message_dict.items()}
                    )
                )
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, _("已结束该求助。"))
            return redirect("counselling:request_detail", pk=pk)
    notes = selectors.notes_read(user=request.user, request=help_request)
    return _render_detail(request, help_request, full=True, notes=notes, close_form=form)


@login_required
@require_POST
def note_create(request, pk):
    help_request = selectors.request_get(user=request.user, pk=pk)
    form = SessionNoteForm(request.POST)
    if form.is_valid():
        try:
            services.session_note_write(user=request.user, request=help_request, fields=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("辅导记录已保存。"))
            return redirect("counselling:request_detail", pk=pk)
    notes = selectors.notes_read(user=request.user, request=help_request)
    return _render_detail(request, help_request, full=True, notes=notes, note_form=form)
