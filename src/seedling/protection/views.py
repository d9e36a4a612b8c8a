"""Pages of mandatory reports (强制报告). Thin: parse the request, call a selector or service, render.

There is no page that deletes or edits a report: corrections are added as notes.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log_each
from seedling.registry import selectors as registry
from seedling.registry.validation import age_on

from . import rules, selectors, services
from .choices import Source
from .forms import NoteForm, PoliceAckForm, ReportFilterForm, ReportForm

PAGE_SIZE = 25


def _may_use_reports(user) -> bool:
    return bool(user.area_prefixes(Action.VIEW)) or selectors.is_report_contact_user(user=user)


@login_required
def report_list(request):
    """The reports the user may see: their area's, or (police contacts) those routed to them."""
    if not _may_use_reports(request.user):
        raise PermissionDenied
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.report_list(
        user=request.user, status=filters.get("status", ""), overdue=bool(filters.get("overdue"))
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now, today = clock.now(), clock.today()
    for report in page.object_list:
        report.overdue = rules.is_overdue(
            now=now,
            ack_due_at=report.ack_due_at,
            police=report.police_acknowledged_at is not None,
            civil_affairs=report.civil_affairs_acknowledged_at is not None,
            closed=report.is_closed,
        )
        report.child_age = age_on(report.child.birth_date, today)
    # A list shows children's names and situations: a read of each report shown, tied to its child.
    audit_log_each(user=request.user, action="view", objs=page.object_list, detail={"list": "mandatory_reports"})
    return render(request, "protection/report_list.html", {"form": form, "page": page})


def _source(request) -> tuple[str, int | None]:
    data = request.POST if request.method == "POST" else request.GET
    for source, name in ((Source.VISIT, "visit"), (Source.CASE, "case")):
        value = data.get(name, "")
        if value.isdigit() and int(value) > 0:
            return source, int(value)
    return Source.DIRECT, None


@login_required
def report_create(request):
    """File a report about a child: from the child's file, a visit (?visit=) or a case (?case=)."""
    uuid = (request.POST if request.method == "POST" else request.GET).get("child", "")
    try:
        child = registry.child_get(user=request.user, uuid=uuid)  # 404 outside the user's scope
    except (ValidationError, ValueError):
        raise Http404 from None
    source, source_id = _source(request)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                user=request.user,
                child=child,
                source=source,
                source_id=source_id,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已提交强制报告，并已推送至公安机关和民政部门。"))
            return redirect("protection:report_detail", pk=report.pk)
    context = {
        "form": form,
        "child": child,
        "age": age_on(child.birth_date, clock.today()),
        "source": source,
        "source_id": source_id,
    }
    return render(request, "protection/report_form.html", context, status=400 if form.errors else 200)


def _detail(request, pk, status=200, **forms):
    report, view = selectors.report_open(user=request.user, pk=pk)
    context = {
        "report": report,
        "view": view,
        "age": age_on(report.child.birth_date, clock.today()),
        "events": [(event, view.actor_label(event)) for event in selectors.report_events(report=report)],
        "routings": selectors.report_routings(report=report),
        "police_form": forms.get("police_form") or PoliceAckForm(prefix="police"),
        "civil_form": forms.get("civil_form") or NoteForm(prefix="civil"),
        "close_form": forms.get("close_form") or NoteForm(prefix="close"),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
    }
    return render(request, "protection/report_detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    return _detail(request, pk)


def _transition(request, pk, *, form_class, prefix, form_key, call, done):
    """Run one transition from a detail-page form; show the page again with the errors on failure."""
    report = selectors.report_get(user=request.user, pk=pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            call(report, form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("您没有权限进行此操作。"))
        else:
            messages.success(request, done)
            return redirect("protection:report_detail", pk=pk)
    return _detail(request, pk, status=400, **{form_key: form})


@login_required
@require_POST
def report_acknowledge_police(request, pk):
    return _transition(
        request,
        pk,
        form_class=PoliceAckForm,
        prefix="police",
        form_key="police_form",
        call=lambda report, data: services.report_acknowledge_police(
            user=request.user, report=report, reference=data.get("reference", "")
        ),
        done=_("已登记公安机关接报。"),
    )


@login_required
@require_POST
def report_acknowledge_civil_affairs(request, pk):
    return _transition(
        request,
        pk,
        form_class=NoteForm,
        prefix="civil",
        form_key="civil_form",
        call=lambda report, data: services.report_acknowledge_civil_affairs(
            user=request.user, report=report, note=data.get("note", "")
        ),
        done=_("已登记民政部门接报。"),
    )


@login_required
@require_POST
def report_close(request, pk):
    return _transition(
        request,
        pk,
        form_class=NoteForm,
        prefix="close",
        form_key="close_form",
        call=lambda report, data: services.report_close(
            user=request.user, report=report, note=data.get("note", "")
        ),
        done=_("报告已办结。"),
    )


@login_required
@require_POST
def report_note_add(request, pk):
    return _transition(
        request,
        pk,
        form_class=NoteForm,
        prefix="note",
        form_key="note_form",
        call=lambda report, data: services.report_note_add(
            user=request.user, report=report, note=data.get("note", "")
        ),
        done=_("已添加补充说明。"),
    )
