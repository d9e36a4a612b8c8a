"""Case pages: the list (mine / my area), intake, and the case with every stage and its actions."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import StaleEdit
from seedling.registry import selectors as registry_selectors

from .. import access, selectors, services
from ..choices import CaseStatus, PlanStatus
from ..forms import (
    ActionForm,
    AssessmentForm,
    AssignForm,
    CaseEditForm,
    CaseFilterForm,
    CaseOpenForm,
    ClosureForm,
    GoalForm,
    NoteForm,
    ReopenForm,
    ReviewForm,
    ServiceForm,
)

PAGE_SIZE = 25


@login_required
def case_list(request):
    """Mine or my area's cases, filtered by stage and risk."""
    if not access.role_prefixes(request.user, access.CASE_VIEW):
        if access.is_org_member(request.user):
            return redirect("cases:referral_list")
        raise PermissionDenied
    form = CaseFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    is_worker = access.role_prefixes(request.user, access.CASE_WORK)
    scope = filters.get("scope") or ("mine" if is_worker else "area")
    filters["mine"] = scope == "mine"
    page = Paginator(selectors.case_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "scope": scope,
            "may_approve": bool(access.role_prefixes(request.user, access.CASE_APPROVE)),
        },
    )


@login_required
def case_create(request):
    """Open a case (接案) for a child in the user's scope (?child=<uuid>)."""
    child = registry_selectors.child_get(user=request.user, uuid=_uuid(request.GET.get("child")))
    if not access.may(request.user, access.CASE_WORK, child.area_id):
        raise PermissionDenied
    workers = selectors.workers_for(area_code=child.area_id)
    data = request.POST if request.method == "POST" else None
    form = CaseOpenForm(data, workers=workers, initial={"worker": request.user, "opened_on": clock.today()})
    if data is not None and form.is_valid():
        # An empty worker is left out: the service makes the opener the worker.
        fields = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            case = services.case_open(user=request.user, child=child, fields=fields)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已接案：%(number)s") % {"number": case.number})
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "child": child})


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def _forms(case, today) -> dict:
    workers = selectors.workers_for(area_code=case.child.area_id)
    goals = list(case.plangoals.all())
    organizations = selectors.organizations_serving(area_code=case.child.area_id)
    return {
        "assessment": AssessmentForm(initial={"assessed_on": today}),
        "goal": GoalForm(),
        "action": ActionForm(goals=goals, workers=workers),
        "plan_request": NoteForm(),
        "service": ServiceForm(workers=workers, organizations=organizations, initial={"delivered_on": today}),
        "review": ReviewForm(initial={"reviewed_on": today}),
        "closure": ClosureForm(),
        "reopen": ReopenForm(initial={"version": case.version}),
        "assign": AssignForm(workers=workers, initial={"version": case.version, "worker": case.worker}),
    }


def _detail(request, case, *, bound: dict | None = None, status: int = 200):
    user, today = request.user, clock.today()
    forms = _forms(case, today)
    forms.update(bound or {})
    # Several forms share field names (text, note, version): each gets its own id prefix so every
    # label points at its own input on the one page.
    for key, form in forms.items():
        form.auto_id = f"id_{key}_%s"
    area = case.child.area_id
    may_work = access.may(user, access.CASE_WORK, area)
    context = {
        "case": case,
        "child": case.child,
        **selectors.case_parts(case=case),
        "forms": forms,
        "today": today,
        "may_work": may_work and case.is_open,
        "may_reopen": may_work and not case.is_open,
        "may_approve": access.may(user, access.CASE_APPROVE, area),
        "may_assign": case.is_open
        and (access.may(user, access.CASE_APPROVE, area) or case.worker_id == user.pk),
        "plan_editable": may_work
        and case.is_open
        and case.status in (CaseStatus.ASSESSMENT, CaseStatus.PLAN)
        and case.plan_status in (PlanStatus.NONE, PlanStatus.DRAFT),
        "stages": [s for s in CaseStatus if s != CaseStatus.CLOSED],
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    case = selectors.case_open(user=request.user, pk=pk)
    return _detail(request, case)


@login_required
def case_edit(request, pk):
    """Edit the intake; a stale save shows the newer values and keeps the user's input to save again."""
    case = selectors.case_get(user=request.user, pk=pk)
    if not access.may(request.user, access.CASE_WORK, case.child.area_id):
        raise PermissionDenied
    initial = {
        "version": case.version,
        "source_kind": case.source_kind,
        "source_id": case.source_id,
        "presenting_problem": case.presenting_problem,
    }
    form = CaseEditForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ("source_kind", "source_id", "presenting_problem")}
        try:
            services.case_update(
                user=request.user, case=case, expected_version=form.cleaned_data["version"], fields=fields
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            stale = exc.current
            data = request.POST.copy()
            data["version"] = exc.current.version
            form = CaseEditForm(data)
            form.is_valid()
        else:
            messages.success(request, _("已保存。"))
            return redirect("cases:case_detail", pk=case.pk)
    audit_log(user=request.user, action="view", obj=case, child=case.child, reason="edit")  # the form shows it
    return render(
        request, "cases/case_form.html", {"form": form, "child": case.child, "case": case, "stale": stale}
    )


def _step_forms(request, case):
    """The bound form and the service call of each step posted from the case page."""
    user, data = request.user, request.POST
    workers = selectors.workers_for(area_code=case.child.area_id)
    organizations = selectors.organizations_serving(area_code=case.child.area_id)

    def fields(form, names):
        return {n: form.cleaned_data[n] for n in names if form.cleaned_data.get(n) not in (None, "")}

    return {
        "assessment": (
            AssessmentForm(data),
            lambda f: services.assessment_save(
                user=user, case=case, fields=fields(f, [n for n in f.cleaned_data if n != "version"])
            ),
        ),
        "goal": (
            GoalForm(data),
            lambda f: services.goal_add(user=user, case=case, text=f.cleaned_data["text"]),
        ),
        "action": (
            ActionForm(data, goals=list(case.plangoals.all()), workers=workers),
            lambda f: services.action_add(
                user=user,
                case=case,
                fields={
                    "text": f.cleaned_data["text"],
                    "owner": f.cleaned_data["owner"],
                    "due_on": f.cleaned_data["due_on"],
                    "goal": case.plangoals.filter(pk=f.cleaned_data["goal"]).first()
                    if f.cleaned_data.get("goal")
                    else None,
                },
            ),
        ),
        "plan_request": (
            NoteForm(data),
            lambda f: services.plan_approval_request(user=user, case=case, note=f.cleaned_data["note"]),
        ),
        "service": (
            ServiceForm(data, workers=workers, organizations=organizations),
            lambda f: services.service_record(
                user=user,
                case=case,
                fields=fields(f, ["kind", "delivered_on", "provider_user", "provider_org", "outcome"]),
            ),
        ),
        "review": (
            ReviewForm(data),
            lambda f: services.review_record(user=user, case=case, fields=dict(f.cleaned_data)),
        ),
        "closure": (
            ClosureForm(data),
            lambda f: services.closure_request(
                user=user,
                case=case,
                closure_reason=f.cleaned_data["closure_reason"],
                note=f.cleaned_data["note"],
            ),
        ),
        "reopen": (
            ReopenForm(data),
            lambda f: services.case_reopen(
                user=user,
                case=case,
                target=f.cleaned_data["target"],
                reason=f.cleaned_data["reason"],
                expected_version=f.cleaned_data["version"],
            ),
        ),
        "assign": (
            AssignForm(data, workers=workers),
            lambda f: services.case_assign(
                user=user,
                case=case,
                worker=f.cleaned_data["worker"],
                expected_version=f.cleaned_data["version"],
            ),
        ),
    }


STEP_MESSAGES = {
    "assessment": gettext_lazy("已保存评估。"),
    "goal": gettext_lazy("已添加目标。"),
    "action": gettext_lazy("已添加行动。"),
    "plan_request": gettext_lazy("服务计划已提交督导审批。"),
    "service": gettext_lazy("已记录服务。"),
    "review": gettext_lazy("已记录回顾。"),
    "closure": gettext_lazy("结案申请已提交督导审批。"),
    "reopen": gettext_lazy("个案已重新开案。"),
    "assign": gettext_lazy("已指派负责社工。"),
}


def _show_errors(request, form, exc: ValidationError) -> None:
    """Errors of the form's fields go beside them; the others (the stage, the plan) at the top of the page,
    since their form may not be shown at this stage."""
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            form.add_service_errors(ValidationError({field: errors}))
        else:
            for message in errors:
                messages.error(request, message)


@login_required
@require_POST
def case_step(request, pk, step):
    """One step of the case (assessment, plan, services, review, closure, reopening, assignment)."""
    case = selectors.case_get(user=request.user, pk=pk)
    steps = _step_forms(request, case)
    if step not in steps:
        raise Http404
    form, call = steps[step]
    if form.is_valid():
        try:
            call(form)
        except ValidationError as exc:
            _show_errors(request, form, exc)
        except StaleEdit:
            messages.error(request, _("此个案已被他人修改，请查看最新内容后再操作。"))
            return redirect("cases:case_detail", pk=case.pk)
        else:
            messages.success(request, STEP_MESSAGES[step])
            return redirect(f"{_case_url(case.pk)}#{step}")
    case = selectors.case_open(user=request.user, pk=pk)  # the whole case again: a read, logged
    return _detail(request, case, bound={step: form}, status=400)


@login_required
@require_POST
def case_transition(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    try:
        services.case_transition(
            user=request.user,
            case=case,
            target=request.POST.get("target", ""),
            expected_version=int(request.POST.get("version") or 0),
        )
    except ValidationError as exc:
        for message in exc.message_dict.get("status", exc.messages):
            messages.error(request, message)
    except StaleEdit:
        messages.error(request, _("此个案已被他人修改，请查看最新内容后再操作。"))
    return redirect("cases:case_detail", pk=case.pk)


@login_required
@require_POST
def action_status(request, pk):
    """Mark a plan action done or cancelled (its owner or the case team)."""
    action = selectors.plan_action_get(user=request.user, pk=pk)
    try:
        services.action_status_set(
            user=request.user,
            action=action,
            status=request.POST.get("status", ""),
            expected_version=int(request.POST.get("version") or 0),
        )
    except (ValidationError, StaleEdit) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(f"{_case_url(action.case_id)}#plan")


@login_required
@require_POST
def goal_achieved(request, pk):
    goal = selectors.plan_goal_get(user=request.user, pk=pk)
    try:
        services.goal_update(
            user=request.user,
            goal=goal,
            achieved=request.POST.get("achieved") == "1",
            expected_version=int(request.POST.get("version") or 0),
        )
    except (ValidationError, StaleEdit) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(f"{_case_url(goal.case_id)}#plan")


def _case_url(pk):
    from django.urls import reverse

    return reverse("cases:case_detail", kwargs={"pk": pk})
