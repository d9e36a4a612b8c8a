"""The research data page (研究数据): filters, suppressed counts, the de-identified download, projects.

Thin: parse, call research.filters / aggregates / services, render. Only users with the RESEARCH
action get in (403 for everyone else, officers with identified data included).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import export, selectors, services
from .aggregates import aggregate_tables, min_cell
from .filters import ResearchFilters, filters_clean
from .forms import ExportForm, FilterForm, ProjectForm
from .suppression import display

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _put_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        form.add_service_errors(exc)
    else:
        form.add_error(None, exc.messages)


def _filters(request, form: FilterForm) -> ResearchFilters | None:
    """The checked filters, or None with the problems put on the form."""
    if not form.is_valid():
        return None
    try:
        return filters_clean(user=request.user, data=form.raw())
    except ValidationError as exc:
        _put_errors(form, exc)
        return None


def _page(request, *, filter_form, export_form=None, project_form=None, status=200):
    services.research_allowed(request.user)
    filters = _filters(request, filter_form) if filter_form.is_bound else ResearchFilters()
    report = count_display = refusal = months = None
    exportable = False
    if filters is not None and (filters.instrument or filters.questionnaire):
        minimum = min_cell()
        if filters.instrument is not None:
            report = aggregate_tables(user=request.user, filters=filters, minimum=minimum)
            # The grand total of the tables, hidden with them when they hide it.
            count_display = display(report.total, minimum)
        else:
            count = selectors.research_responses(user=request.user, filters=filters).count()
            count_display = display(count if count == 0 or count >= minimum else None, minimum)
        if (refused := services.row_level_refusal(user=request.user, filters=filters)) is not None:
            refusal = " ".join(refused.messages)
        else:
            # The file counts whole months: whether it can be made is decided on those.
            months = filters.whole_months()
            exportable = selectors.research_responses(user=request.user, filters=months).count() >= minimum
    context = {
        "filter_form": filter_form,
        "filter_values": filter_form.raw() if filter_form.is_bound and filters is not None else {},
        "export_form": export_form or ExportForm(user=request.user),
        "project_form": project_form or ProjectForm(),
        "projects": selectors.project_list(user=request.user),
        "filters": filters,
        "report": report,
        "count_display": count_display,
        "exportable": exportable,
        "refusal": refusal,
        "months": months if months and (months.date_from or months.date_to) else None,
        "minimum": min_cell(),
    }
    return render(request, "research/index.html", context, status=status)


@login_required
def index(request):
    """Filters; for a chosen instrument the suppressed tables; the download form; projects."""
    data = request.GET if any(request.GET.get(name) for name in request.GET) else None
    return _page(request, filter_form=FilterForm(data, user=request.user))


@login_required
@require_POST
def export_download(request):
    """The de-identified file of the filtered responses, with a stated purpose (logged)."""
    services.research_allowed(request.user)
    filter_form = FilterForm(request.POST, user=request.user)
    export_form = ExportForm(request.POST, user=request.user)
    filters = _filters(request, filter_form)
    if filters is None or not export_form.is_valid():
        return _page(request, filter_form=filter_form, export_form=export_form, status=400)
    project = None
    if project_id := export_form.cleaned_data.get("project"):
        project = selectors.project_get(user=request.user, pk=project_id)
    try:
        prepared = services.research_export_prepare(
            user=request.user,
            filters=filters,
            fmt=export_form.cleaned_data["format"],
            purpose=export_form.cleaned_data.get("purpose", ""),
            project=project,
        )
    except ValidationError as exc:
        _put_errors(export_form, exc)
        return _page(request, filter_form=filter_form, export_form=export_form, status=400)
    if prepared.fmt == "xlsx":
        response = FileResponse(export.xlsx_file(prepared), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(export.csv_chunks(prepared), content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = content_disposition_header(True, prepared.filename)
    return response


@login_required
@require_POST
def project_create(request):
    """A new research project (its own pseudonyms)."""
    services.research_allowed(request.user)
    form = ProjectForm(request.POST)
    if form.is_valid():
        try:
            project = services.research_project_create(user=request.user, title=form.cleaned_data["title"])
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            messages.success(request, _("已新建研究项目“%(title)s”。") % {"title": project.title})
            return redirect("research:index")
    return _page(request, filter_form=FilterForm(user=request.user), project_form=form, status=400)
