"""Pages of schools: list with filters, add and edit, the school with its classes, coverage and
activities, activities, and the county overview of pilot schools."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.locking import StaleEdit

from .. import coverage, rules, selectors, services
from ..forms import ActivityForm, SchoolFilterForm, SchoolForm

PAGE_SIZE = 25


def _may_screen(user) -> bool:
    return bool(user.area_prefixes(Action.SCREEN))


@login_required
def school_list(request):
    if not _may_screen(request.user):
        raise PermissionDenied
    form = SchoolFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(selectors.school_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "schools/school_list.html", {"form": form, "page": page})


@login_required
def school_detail(request, pk):
    school = selectors.school_get(user=request.user, pk=pk)
    year = selectors.current_school_year()
    classes = list(selectors.class_list(user=request.user, school=school, school_year=year))
    per_class = coverage.class_coverage(classes=classes)
    total = coverage.school_coverage(schools=[school])[school.pk]
    activities = selectors.activity_list(user=request.user, school=school)[:10]
    older = selectors.class_list(user=request.user, school=school).exclude(school_year=year)[:20]
    return render(
        request,
        "schools/school_detail.html",
        {
            "school": school,
            "year": year,
            "classes": [(c, per_class[c.pk]) for c in classes],
            "older": older,
            "total": total,
            "activities": activities,
        },
    )


@login_required
def school_edit(request, pk=None):
    """Add (pk None) or edit a school; a stale edit shows the other person's version."""
    if not _may_screen(request.user):
        raise PermissionDenied
    school = selectors.school_get(user=request.user, pk=pk) if pk else None
    initial = {"active": True}
    if school is not None:
        initial = {
            "version": school.version,
            "name": school.name,
            "code": school.code,
            "kind": school.kind,
            "area": school.area_id,
            "address": school.address,
            "pilot": school.pilot,
            "pilot_since": school.pilot_since,
            "active": school.active,
        }
    form = SchoolForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            school = services.school_save(
                user=request.user, school=school, fields=data, expected_version=version
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied:
            form.add_error("area", _("该区域不在您的管理范围内。"))
        except StaleEdit as exc:
            stale = exc.current
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("schools:school_detail", pk=school.pk)
    return render(request, "schools/school_form.html", {"form": form, "school": school, "stale": stale})


@login_required
def activity_list(request, pk):
    school = selectors.school_get(user=request.user, pk=pk)
    rows = selectors.activity_list(user=request.user, school=school)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "schools/activity_list.html", {"school": school, "page": page})


@login_required
def activity_create(request, pk):
    school = selectors.school_get(user=request.user, pk=pk)
    classes = selectors.class_list(
        user=request.user, school=school, school_year=selectors.current_school_year()
    )
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        initial={"held_on": clock.today(), "audience": "students"},
        classes=classes,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record(user=request.user, school=school, fields=dict(form.cleaned_data))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("活动已记录。"))
            return redirect("schools:activity_list", pk=school.pk)
    return render(request, "schools/activity_form.html", {"form": form, "school": school})


@login_required
def overview(request):
    """The county overview: pilot schools of the user's area with screening coverage this term."""
    if not _may_screen(request.user):
        raise PermissionDenied
    area = request.GET.get("area", "")
    area = area if area.isdigit() and len(area) <= 12 else ""
    rows, total = coverage.county_overview(user=request.user, area=area)
    return render(
        request,
        "schools/overview.html",
        {"rows": rows, "total": total, "area": area, "term_start": rules.term_start(clock.today())},
    )
