"""Pages of import and export. Thin: parse the request, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.accounts.roles import Action
from seedling.registry import selectors as registry_selectors
from seedling.registry.forms import ChildFilterForm

from . import export, selectors, services
from .forms import CommitForm, ExportForm, UploadForm
from .template import template_csv, template_xlsx


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        form.add_service_errors(exc)
    else:
        form.add_error(None, exc.messages)


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def import_start(request):
    """Upload a roster (and download the template)."""
    if not request.user.area_prefixes(Action.ADD):
        raise PermissionDenied
    limit = services.max_upload_bytes()
    form = UploadForm()
    if request.method == "POST":
        # Refuse an oversized upload before reading it: the limit is known from the request's length.
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 1024 * 1024:
            form = UploadForm({}, {})
            form.full_clean()
            message = _("文件大小超过 %(n)d MB 的上限：请拆分成几个文件分别导入。") % {
                "n": limit // (1024 * 1024)
            }
            form.errors["file"] = form.error_class([message])
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    job = services.import_job_create(
                        user=request.user, upload=form.cleaned_data["file"], language=request.LANGUAGE_CODE
                    )
                except ValidationError as exc:
                    _form_errors(form, exc)
                else:
                    return redirect("exchange:import_detail", job_id=job.uuid)
    context = {
        "form": form,
        "jobs": selectors.import_job_list(user=request.user),
        "max_mb": limit // (1024 * 1024),
    }
    return render(request, "exchange/import_start.html", context, status=400 if form.errors else 200)


@login_required
def template_download(request, fmt: str):
    """The roster template, .xlsx (with drop-down lists and explanations) or CSV."""
    if fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    elif fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    return _attachment(response, f"{_('儿童花名册模板')}.{fmt}")


def _detail_context(request, job, **extra) -> dict:
    result = job.result or {}
    return {
        "job": job,
        "progress": services.import_job_progress(job=job),
        "result": result,
        "problems": result.get("problems", []),
        "commit_form": CommitForm(),
        **extra,
    }


@login_required
def import_detail(request, job_id):
    job = selectors.import_job_get(user=request.user, uuid=job_id)
    return render(request, "exchange/import_detail.html", _detail_context(request, job))


@login_required
def import_status(request, job_id):
    """The progress bar (polled by htmx while the job runs); reloads the page when it is done."""
    job = selectors.import_job_get(user=request.user, uuid=job_id)
    response = render(
        request,
        "exchange/_import_progress.html",
        {"job": job, "progress": services.import_job_progress(job=job)},
    )
    if request.htmx and not job.running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_commit(request, job_id):
    job = selectors.import_job_get(user=request.user, uuid=job_id)
    form = CommitForm(request.POST)
    form.is_valid()
    try:
        services.import_job_commit_request(
            user=request.user, job=job, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        _form_errors(form, exc)
        context = _detail_context(request, job, commit_form=form)
        return render(request, "exchange/import_detail.html", context, status=400)
    return redirect("exchange:import_detail", job_id=job.uuid)


@login_required
def import_problems(request, job_id):
    """Every problem of the last run as CSV (the page shows the first few thousand)."""
    job = selectors.import_job_get(user=request.user, uuid=job_id)
    if not job.problems_file.name or not default_storage.exists(job.problems_file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(job.problems_file.name, "rb"), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, f"{_('导入问题清单')}_{job.original_name.rsplit('.', 1)[0]}.csv")


@login_required
def child_export(request):
    """The child list as filtered on its page, as CSV or Excel; full numbers only by POST with a reason."""
    data = request.POST if request.method == "POST" else request.GET
    filter_form = ChildFilterForm(data, areas=registry_selectors.area_choices(user=request.user))
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    options = ExportForm(data)
    options.is_valid()
    fmt = options.cleaned_data.get("format") or "csv"
    full_ids = request.method == "POST" and bool(options.cleaned_data.get("full_ids"))
    try:
        prepared = export.child_list_export(
            user=request.user,
            filters=filters,
            query=filters.get("q", ""),
            fmt=fmt,
            full_ids=full_ids,
            reason=options.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        keep = {k: v for k, v in data.items() if k in filter_form.fields and v}
        return redirect(reverse("child_list") + (f"?{urlencode(keep)}" if keep else ""))
    if fmt == "xlsx":
        response = FileResponse(
            export.xlsx_file(prepared),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = StreamingHttpResponse(export.csv_chunks(prepared), content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return _attachment(response, prepared.filename)
