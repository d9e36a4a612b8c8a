"""Pages of home visits: the work list, recording and editing a visit, its detail, attachments.

Thin: parse the request, call a selector or a service, render. Built for a director's phone on a
weak signal: short pages, no images inline, text saved before any photo is uploaded.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import StaleEdit
from seedling.core.scope import user_may
from seedling.registry import selectors as registry

from . import alerts, rules, selectors, services
from .choices import MANDATORY_REPORT_FLAGS
from .display import visit_display
from .forms import AttachmentForm, VisitEditForm, VisitForm, WorklistForm

PAGE_SIZE = 30


@login_required
def worklist(request):
    """The work list for the user's area: children due/overdue in a village, counts per sub-area above."""
    form = WorklistForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    area = selectors.worklist_area(user=request.user, code=params.get("area"))
    within = params.get("within")
    within = alerts.due_soon_days() if within is None else within
    today = clock.today()
    context = {
        "area": area,
        "trail": selectors.area_trail(area, user=request.user),
        "roots": selectors.worklist_roots(user=request.user),
        "within": within,
        "grace": alerts.grace_days(),
        "today": today,
        "show": params.get("show") or "all",
    }
    if area is not None and area.level == area.Level.VILLAGE:
        rows = selectors.worklist_children(
            user=request.user, area=area.code, within=within, show=context["show"], today=today
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        registry.with_open_categories([s.child for s in page.object_list])
        context.update(page=page, may_record=user_may(request.user, Action.CHANGE, area.code))
        return render(request, "fieldwork/worklist_children.html", context)
    rows = selectors.worklist_areas(user=request.user, area=area, within=within, today=today)
    context.update(rows=rows, totals=selectors.worklist_totals(rows))
    return render(request, "fieldwork/worklist_areas.html", context)


def _stale_fields(form, current) -> list[str]:
    submitted = form.service_fields() if form.is_valid() else {}
    labels = []
    for name, value in submitted.items():
        stored = getattr(current, name, None)
        if name in ("present", "risk_flags"):
            stored, value = (
                set(current.present_list if name == "present" else current.risk_flag_list),
                set(value),
            )
        if (stored or None) != (value or None):
            labels.append(str(current._meta.get_field(name).verbose_name))
    return labels


@login_required
def visit_create(request, uuid):
    child = registry.child_get(user=request.user, uuid=uuid, action=Action.CHANGE)
    if request.method == "POST":
        form = VisitForm(request.POST)
        if form.is_valid():
            try:
                visit = services.visit_record(user=request.user, child=child, fields=form.service_fields())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                _saved_message(request, visit)
                return redirect("fieldwork:visit_detail", pk=visit.pk)
    else:
        form = VisitForm(initial={"visited_on": clock.today(), "method": "home"})
    return render(request, "fieldwork/visit_form.html", {"form": form, "child": child, "creating": True})


def _saved_message(request, visit) -> None:
    if any(f in MANDATORY_REPORT_FLAGS for f in visit.risk_flag_list):
        messages.warning(
            request,
            _("已保存。您记录了须强制报告的情形：请立即向公安机关报告（110），并告知乡镇督导员和民政部门。"),
        )
    else:
        messages.success(request, _("走访记录已保存。可在下方添加照片或文件。"))


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_open(user=request.user, pk=pk)
    may_change = user_may(request.user, Action.CHANGE, visit.child.area_id)
    versions = list(selectors.visit_versions(visit=visit))
    for version in versions:
        version.shown = visit_display(version.content)
    context = {
        "visit": visit,
        "child": visit.child,
        "content": visit_display(services.visit_content(visit)),
        "versions": versions,
        "attachments": selectors.visit_attachments(visit=visit),
        "may_change": may_change,
        "attachment_form": AttachmentForm() if may_change else None,
        "max_mb": getattr(settings, "SEEDLING_ATTACHMENT_MAX_MB", 10),
    }
    return render(request, "fieldwork/visit_detail.html", context)


@login_required
def visit_edit(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk, action=Action.CHANGE)
    late = rules.edit_mode(
        recorded_at=visit.created_at, now=clock.now(), window_days=services.edit_window_days()
    )
    stale = None
    if request.method == "POST":
        form = VisitEditForm(request.POST)
        if form.is_valid():
            try:
                visit = services.visit_update(
                    user=request.user,
                    visit=visit,
                    expected_version=form.cleaned_data["version"],
                    fields=form.service_fields(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except StaleEdit as exc:
                stale = _stale_fields(form, exc.current)
                data = request.POST.copy()
                data["version"] = exc.current.version
                form = VisitEditForm(data)
                form.is_valid()
            else:
                messages.success(request, _("已保存。"))
                return redirect("fieldwork:visit_detail", pk=visit.pk)
    else:
        form = VisitEditForm(initial=VisitForm.initial_from(visit))
    context = {
        "form": form,
        "child": visit.child,
        "visit": visit,
        "late": late == rules.NEW_VERSION,
        "stale": stale,
        "window": services.edit_window_days(),
    }
    audit_log(user=request.user, action="view", obj=visit, reason="edit")  # the form shows the whole record
    return render(request, "fieldwork/visit_form.html", context)


@login_required
@require_POST
def attachment_add(request, pk):
    visit = selectors.visit_get(user=request.user, pk=pk, action=Action.CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect("fieldwork:visit_detail", pk=visit.pk)
    try:
        services.attachment_add(user=request.user, visit=visit, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        for message in exc.message_dict.get("file", exc.messages):
            messages.error(request, message)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("fieldwork:visit_detail", pk=visit.pk)


def attachment_response(attachment) -> FileResponse:
    """The file itself, never cached, never sniffed into something the browser would run."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def attachment_download(request, pk):
    return attachment_response(selectors.attachment_open(user=request.user, pk=pk))


@login_required
def child_visits(request, uuid):
    """Every visit of one child (the file shows the latest few)."""
    child = registry.child_file_open(user=request.user, uuid=uuid)
    page = Paginator(selectors.child_visits(child=child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "fieldwork/child_visits.html",
        {
            "child": child,
            "page": page,
            "status": selectors.visit_status(child=child),
            "may_record": user_may(request.user, Action.CHANGE, child.area_id),
            "today": clock.today(),
        },
    )
