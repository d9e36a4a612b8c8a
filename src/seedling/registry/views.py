"""Pages of the child registry. Thin: parse the request, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log, audit_log_each
from seedling.core.locking import StaleEdit
from seedling.core.scope import user_may

from . import categories, sections, selectors, services
from .context_processors import pending_count_forget
from .duplicates import DuplicateIdBlocked, PossibleDuplicates
from .forms import (
    CarerForm,
    ChildFilterForm,
    ChildForm,
    DecisionForm,
    EndSituationForm,
    FamilyMemberForm,
    PersonForm,
    RevealForm,
    SituationForm,
)

PAGE_SIZE = 25


@login_required
def home(request):
    """The user's work: their areas, children and categories in scope, reviews waiting."""
    summary = selectors.work_summary(user=request.user)
    return render(request, "registry/home.html", {"summary": summary})


@login_required
def child_list(request):
    if not request.user.area_prefixes(Action.VIEW):
        raise PermissionDenied
    form = ChildFilterForm(request.GET or None, areas=selectors.area_choices(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.child_list(user=request.user, filters=filters)
    query = (filters.get("q") or "").strip()
    if query:
        results = selectors.child_search(user=request.user, query=query, base=qs, limit=200, filters=filters)
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_open_categories(list(page.object_list))
    context = {"form": form, "page": page, "query": query, "today": clock.today()}
    template = "registry/_child_results.html" if request.htmx else "registry/child_list.html"
    return render(request, template, context)


def _family_forms(data=None):
    return {
        "father": FamilyMemberForm(data, prefix="father", relation="father"),
        "mother": FamilyMemberForm(data, prefix="mother", relation="mother"),
        "carer": CarerForm(data, prefix="carer"),
    }


def _family_payload(forms) -> list[dict]:
    family = []
    for key in ("father", "mother"):
        f = forms[key]
        if not f.filled:
            continue
        d = f.cleaned_data
        situation = None
        if d.get("situation"):
            situation = {
                "kind": d["situation"],
                "started_on": d.get("since"),
                "place": d.get("place", ""),
                "outside_county": bool(d.get("outside_county")),
                "evidence_type": d.get("evidence_type", ""),
            }
        family.append(
            {
                "prefix": key,
                "person": {
                    "relation": key,
                    "name": d["name"],
                    "phone": d.get("phone", ""),
                    "is_guardian": True,
                },
                "id_number": d.get("id_number", ""),
                "situation": situation,
            }
        )
    carer = forms["carer"]
    if carer.filled:
        d = carer.cleaned_data
        family.append(
            {
                "prefix": "carer",
                "person": {
                    "relation": d["relation"],
                    "name": d["name"],
                    "phone": d.get("phone", ""),
                    "is_delegated_carer": True,
                    "lives_with_child": True,
                    "health": d["health"],
                    "capacity": d["capacity"],
                },
                "id_number": d.get("id_number", ""),
                "situation": None,
            }
        )
    return family


def _apply_errors(error: ValidationError, form, family_forms) -> None:
    for key, messages_ in error.message_dict.items():
        prefix, _sep, field = key.partition("-")
        target = family_forms.get(prefix) if field else None
        if target is not None:
            target.add_service_errors(ValidationError({field: messages_}))
        else:
            form.add_service_errors(ValidationError({key: messages_}))


@login_required
def child_create(request):
    villages = selectors.village_choices(user=request.user, action=Action.ADD)
    if not villages.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    initial = {"area": villages.first()} if villages.count() == 1 else {}
    form = ChildForm(data, villages=villages, initial=initial)
    family = _family_forms(data)
    candidates, blocked = [], None
    if data is not None and form.is_valid() and all(f.is_valid() for f in family.values()):
        try:
            child = services.child_register(
                user=request.user,
                fields=form.service_fields(),
                id_number=form.cleaned_data.get("id_number", ""),
                family=_family_payload(family),
                duplicate_reason=request.POST.get("duplicate_reason", "").strip(),
            )
        except ValidationError as exc:
            _apply_errors(exc, form, family)
        except DuplicateIdBlocked as exc:
            blocked = exc
            form.add_error("id_number", str(exc))
        except PossibleDuplicates as exc:
            candidates = exc.candidates
            # Their names, birth dates and villages are shown to compare: a read of each, logged.
            audit_log_each(user=request.user, action="view", objs=candidates, reason="duplicate_check")
        else:
            messages.success(request, _("已登记 %(name)s 的档案。") % {"name": child.name})
            return redirect("child_detail", uuid=child.uuid)
    return render(
        request,
        "registry/child_form.html",
        {
            "form": form,
            "family": family,
            "candidates": candidates,
            "blocked": blocked,
            "creating": True,
        },
    )


@login_required
def child_detail(request, uuid):
    child = selectors.child_file_open(user=request.user, uuid=uuid)
    return render(request, "registry/child_detail.html", _file_context(request, child))


def _file_context(request, child, **extra):
    user = request.user
    history = list(child.history.select_related("history_user").order_by("-history_date")[:11])
    changes = []
    for newer, older in zip(history, history[1:], strict=False):
        delta = newer.diff_against(older, excluded_fields=["version", "updated_at", "name_pinyin"])
        if delta.changes:
            changes.append({"record": newer, "changes": [_change_row(child, c) for c in delta.changes]})
    return {
        "child": child,
        "persons": selectors.child_persons(child=child),
        "assignments": selectors.category_history(child=child),
        "proposals": selectors.pending_proposals(child=child),
        "changes": changes,
        "may_change": user_may(user, Action.CHANGE, child.area_id),
        "may_reveal": user_may(user, Action.REVEAL, child.area_id) and child.has_id_number,
        "may_review": user_may(user, Action.REVIEW, child.area_id),
        # The add-person and add-situation forms are fetched when opened (person_add / situation_add
        # on GET); they are in the page only when a post came back with errors (`extra`).
        "today": clock.today(),
        "sections": sections.child_sections(user=user, child=child),
        "timeline": sections.child_timeline(user=user, child=child),
        **extra,
    }


def _change_row(child, change) -> dict:
    """One changed field of the history, with its label and choice labels instead of codes."""
    field = child._meta.get_field(change.field)
    choices = dict(field.choices or [])

    def shown(value):
        return choices.get(value, value)

    return {"label": field.verbose_name, "old": shown(change.old), "new": shown(change.new)}


@login_required
def child_edit(request, uuid):
    child = selectors.child_get(user=request.user, uuid=uuid, action=Action.CHANGE)
    villages = selectors.village_choices(user=request.user, action=Action.CHANGE)
    data = request.POST if request.method == "POST" else None
    form = ChildForm(data, instance=child, villages=villages)
    stale = None
    if data is not None and form.is_valid():
        number = form.cleaned_data.get("id_number", "").strip()
        try:
            services.child_update(
                user=request.user,
                child=selectors.child_get(user=request.user, uuid=uuid, action=Action.CHANGE),
                expected_version=form.cleaned_data.get("version") or 0,
                fields=form.service_fields(),
                id_number=number or None,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            stale = _stale_rows(form, exc.current)
            # Show the user's input again, now against the newer version: saving again is a conscious choice.
            mutable = request.POST.copy()
            mutable["version"] = exc.current.version
            form = ChildForm(mutable, instance=exc.current, villages=villages)
            form.is_valid()
        except DuplicateIdBlocked as exc:
            form.add_error("id_number", str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("child_detail", uuid=child.uuid)
    audit_log(user=request.user, action="view", obj=child, reason="edit")  # the form shows the whole file
    return render(request, "registry/child_form.html", {"form": form, "child": child, "stale": stale})


def _stale_rows(form, current) -> list[dict]:
    """Fields where the stored (newer) value differs from what this user submitted."""
    rows = []
    for name in form.service_fields():
        if name not in form.fields:
            continue
        mine, theirs = form.cleaned_data.get(name), getattr(current, name, None)
        if mine != theirs and not (mine in ("", None) and theirs in ("", None)):
            field = current._meta.get_field(name)
            shown = getattr(current, f"get_{name}_display")() if field.choices else theirs
            rows.append({"label": form.fields[name].label, "theirs": shown, "mine": mine})
    return rows


@login_required
@require_POST
def child_reveal_id(request, uuid):
    child = selectors.child_get(user=request.user, uuid=uuid)
    form = RevealForm(request.POST)
    number, error = None, None
    if form.is_valid():
        try:
            number = services.child_reveal_id_number(
                user=request.user, child=child, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("您没有权限查看完整身份证号。")
    else:
        error = _("请说明查看完整身份证号的理由。")
    return render(
        request,
        "registry/_reveal.html",
        {"child": child, "number": number, "error": error, "reveal_form": form},
    )


def _file_again(request, child, **extra):
    """The whole file again with a form that came back with errors: a read of the file, so logged."""
    audit_log(user=request.user, action="view", obj=child)
    return render(request, "registry/child_detail.html", _file_context(request, child, **extra), status=400)


def _file_form(request, child, template: str, title: str, context: dict):
    """An empty form of the file: the fragment the file page fetches when a section is opened,
    or a page of its own without JavaScript. Nothing of the file is shown but its address."""
    context = {"child": child, **context}
    if request.htmx:
        return render(request, template, context)
    return render(request, "registry/file_form.html", {**context, "template": template, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request, uuid):
    child = selectors.child_get(user=request.user, uuid=uuid, action=Action.CHANGE)
    if request.method == "GET":
        return _file_form(
            request,
            child,
            "registry/_person_form.html",
            _("添加家庭成员或照护人"),
            {"person_form": PersonForm(prefix="person")},
        )
    form = PersonForm(request.POST, prefix="person")
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in services.PERSON_FIELDS}
        try:
            services.person_create(
                user=request.user,
                child=child,
                fields=fields,
                id_number=form.cleaned_data.get("id_number", ""),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已添加家庭成员。"))
            return redirect(reverse("child_detail", kwargs={"uuid": uuid}) + "#family")
    return _file_again(request, child, person_form=form, open_person_form=True)


@login_required
@require_http_methods(["GET", "POST"])
def situation_add(request, uuid, person_uuid):
    child = selectors.child_get(user=request.user, uuid=uuid, action=Action.CHANGE)
    person = get_object_or_404(selectors.child_persons(child=child), uuid=person_uuid)
    if request.method == "GET":
        return _file_form(
            request,
            child,
            "registry/_situation_form.html",
            _("记录状况"),
            {"person": person, "situation_form": SituationForm(prefix="situation")},
        )
    form = SituationForm(request.POST, prefix="situation")
    if form.is_valid():
        try:
            services.situation_add(user=request.user, person=person, fields=dict(form.cleaned_data))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已记录状况。"))
            return redirect(reverse("child_detail", kwargs={"uuid": uuid}) + "#family")
    return _file_again(request, child, situation_form=form, open_situation_for=person.uuid)


@login_required
@require_POST
def situation_end(request, uuid, situation_id):
    situation = selectors.situation_get(user=request.user, pk=situation_id, action=Action.CHANGE)
    if str(situation.child.uuid) != str(uuid):
        raise Http404
    form = EndSituationForm(request.POST)
    if form.is_valid():
        try:
            services.situation_end(
                user=request.user, situation=situation, ended_on=form.cleaned_data["ended_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已记录结束日期。"))
    else:
        messages.error(request, _("请填写有效的结束日期。"))
    return redirect(reverse("child_detail", kwargs={"uuid": uuid}) + "#family")


@login_required
def proposal_queue(request):
    if not request.user.area_prefixes(Action.REVIEW):
        raise PermissionDenied
    page = Paginator(selectors.proposal_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "registry/proposal_queue.html", {"page": page, "decision_form": DecisionForm()})


@login_required
@require_POST
def proposal_decide(request, proposal_id):
    proposal = selectors.proposal_queue(user=request.user).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    note, evidence = form.cleaned_data.get("note", ""), form.cleaned_data.get("evidence", "")
    try:
        if request.POST.get("decision") == "confirm":
            categories.proposal_confirm(user=request.user, proposal=proposal, note=note, evidence=evidence)
            messages.success(request, _("已确认：%(c)s。") % {"c": proposal.get_category_display()})
        else:
            categories.proposal_reject(user=request.user, proposal=proposal, note=note)
            messages.info(request, _("已驳回：%(c)s。") % {"c": proposal.get_category_display()})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    pending_count_forget(request.user)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("child_detail", kwargs={"uuid": proposal.child.uuid})
    return redirect(target)
