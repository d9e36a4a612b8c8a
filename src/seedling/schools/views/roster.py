"""Pages of classes and their rosters: add and edit classes, students, deactivate, link to a
registered child (suggestions, confirm, unlink), and import a roster (dry run, then commit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.core.locking import StaleEdit

from .. import coverage, selectors, services
from ..forms import ClassForm, ImportForm, StudentForm

_SESSION_KEY = "schools:roster_import:{pk}"


@login_required
def class_edit(request, school_pk=None, pk=None):
    """Add a class to a school (school_pk) or edit one (pk)."""
    school_class = selectors.class_get(user=request.user, pk=pk) if pk else None
    school = school_class.school if school_class else selectors.school_get(user=request.user, pk=school_pk)
    initial = {"school_year": selectors.current_school_year()}
    if school_class is not None:
        initial = {
            f: getattr(school_class, f) for f in ("version", "school_year", "grade", "name", "head_teacher")
        }
    form = ClassForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            school_class = services.class_save(
                user=request.user,
                school=school,
                school_class=school_class,
                fields=fields,
                expected_version=version,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            stale = exc.current
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("schools:class_detail", pk=school_class.pk)
    return render(
        request,
        "schools/class_form.html",
        {"form": form, "school": school, "school_class": school_class, "stale": stale},
    )


@login_required
def class_detail(request, pk):
    """A class: its roster (a logged read), screening coverage this term, and what can be done."""
    school_class = selectors.class_get(user=request.user, pk=pk)
    show_left = request.GET.get("left") == "1"
    students = selectors.roster(user=request.user, school_class=school_class, include_left=show_left)
    cover = coverage.class_coverage(classes=[school_class])[school_class.pk]
    return render(
        request,
        "schools/class_detail.html",
        {"c": school_class, "students": students, "cover": cover, "show_left": show_left},
    )


@login_required
def student_edit(request, class_pk=None, pk=None):
    """Add a student to a class (class_pk) or edit one (pk)."""
    student = selectors.student_open(user=request.user, pk=pk) if pk else None
    school_class = student.school_class if student else selectors.class_get(user=request.user, pk=class_pk)
    initial = {}
    if student is not None:
        initial = {f: getattr(student, f) for f in ("version", "name", "sex", "birth_date", "student_number")}
    form = StudentForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        if not fields["id_number"]:
            fields.pop("id_number")  # blank keeps the stored index
        try:
            services.student_save(
                user=request.user,
                school_class=school_class,
                student=student,
                fields=fields,
                expected_version=version,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            stale = exc.current
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("schools:class_detail", pk=school_class.pk)
    return render(
        request,
        "schools/student_form.html",
        {"form": form, "student": student, "school_class": school_class, "stale": stale},
    )


@login_required
@require_POST
def student_active(request, pk):
    """Mark a student as left (停学、转出) or back on the roster."""
    student = selectors.student_get(user=request.user, pk=pk)
    try:
        services.student_deactivate(
            user=request.user, student=student, active=request.POST.get("active") == "1"
        )
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, _("已更新在读状态。"))
    return redirect("schools:class_detail", pk=student.school_class_id)


@login_required
def student_link(request, pk):
    """Suggestions of registered children for a student; confirm one, or unlink."""
    student = selectors.student_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("unlink"):
                services.student_unlink(user=request.user, student=student)
                messages.success(request, _("已取消关联。"))
            else:
                child = selectors.link_candidate(
                    user=request.user, student=student, child_uuid=request.POST.get("child")
                )
                services.student_link(user=request.user, student=student, child=child)
                messages.success(request, _("已关联儿童档案。"))
        except ValidationError as exc:
            for problems in exc.message_dict.values():
                for problem in problems:
                    messages.error(request, problem)
        return redirect("schools:student_link", pk=student.pk)
    suggestions = selectors.link_suggestions(user=request.user, student=student)
    linked = selectors.linked_child_open(user=request.user, student=student)
    return render(
        request,
        "schools/student_link.html",
        {"student": student, "suggestions": suggestions, "linked": linked},
    )


@login_required
def roster_import(request, pk):
    """Upload → dry run listing every problem by row and column → commit (all rows or none)."""
    school_class = selectors.class_get(user=request.user, pk=pk)
    key = _SESSION_KEY.format(pk=school_class.pk)
    form = ImportForm()
    result, file_error = None, None
    if request.method == "POST" and request.POST.get("commit"):
        rows = request.session.get(key)
        if not rows:
            messages.error(request, _("请先上传文件并检查。"))
            return redirect("schools:roster_import", pk=school_class.pk)
        result = services.roster_commit(user=request.user, school_class=school_class, rows=rows)
        if result.ok:
            del request.session[key]
            messages.success(request, _("已导入 %(n)s 名学生。") % {"n": len(result.rows)})
            return redirect("schools:class_detail", pk=school_class.pk)
        request.session.pop(key, None)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = services.read_table(name=upload.name, content=upload.read())
            except services.RosterFileError as exc:
                file_error = str(exc)
            else:
                result = services.roster_check(school_class=school_class, table=table)
                if result.ok:
                    request.session[key] = services.rows_for_session(result)
                else:
                    request.session.pop(key, None)
    return render(
        request,
        "schools/roster_import.html",
        {"c": school_class, "form": form, "result": result, "file_error": file_error},
    )
