"""Writes of a class roster (花名册): add, edit and deactivate students; link a student to the
registered child (一人一档) so screening results reach the child's file, or unlink.

A child is linked to at most one active student per class. Linking and unlinking are logged in the
access log with the child, since they join a school roster to a child's file.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.core.scope import user_may
from seedling.registry.validation import clean_name

from .. import rules
from ..models import SchoolClass, Student
from .common import id_agreement, id_facts, id_index, raise_if, require_screen

STUDENT_FIELDS = ("name", "sex", "birth_date", "student_number", "id_number", "active")


def student_errors(
    values: dict, school_class: SchoolClass, student: Student | None, today
) -> tuple[dict, dict]:
    """Check a student's values; returns (errors, cleaned values) with the ID number turned into its index."""
    errors: dict[str, str] = {}
    cleaned = dict(values)
    if "name" in values or student is None:
        cleaned["name"] = clean_name(values.get("name", ""), errors)
    sex = values.get("sex", getattr(student, "sex", "")) or ""
    if sex not in ("", "M", "F"):
        errors["sex"] = _("性别应为“男”或“女”。")
    birth = values.get("birth_date", getattr(student, "birth_date", None))
    if birth is not None and "birth_date" in values:
        _day, problem = rules.parse_birth_date(birth, today=today)
        if problem:
            errors["birth_date"] = problem
    number = (values.get("student_number") or "").strip()
    cleaned["student_number"] = number
    problem = rules.student_number_problem(number)
    if problem:
        errors["student_number"] = problem
    elif number:
        clash = Student.objects.filter(school_class=school_class, student_number=number, active=True)
        if clash.exclude(pk=getattr(student, "pk", None)).exists():
            errors["student_number"] = _("本班已有学号为 %(n)s 的学生。") % {"n": number}
    if "id_number" in values:
        facts = id_facts(values.pop("id_number"), errors)
        cleaned.pop("id_number", None)
        if facts is not None:
            id_agreement(facts, birth, sex, errors)
            cleaned.setdefault("birth_date", facts.birth_date)
            cleaned["birth_date"] = cleaned["birth_date"] or facts.birth_date
            cleaned["sex"] = sex or facts.sex
            digest, mask = id_index(facts)
            clash = Student.objects.filter(school_class=school_class, id_number_hash=digest, active=True)
            if clash.exclude(pk=getattr(student, "pk", None)).exists():
                errors["id_number"] = _("本班名单中已有该身份证号的学生。")
            cleaned["id_number_hash"], cleaned["id_number_mask"] = digest, mask
    return errors, cleaned


@transaction.atomic
def student_save(
    *,
    user,
    school_class: SchoolClass,
    fields: dict,
    student: Student | None = None,
    expected_version: int | None = None,
) -> Student:
    """Add a student to a class roster or edit one (the ID number is kept as blind index and mask only).

    An edit carries the version it was read at; a stale edit is refused (StaleEdit) with the newer student.
    """
    unknown = set(fields) - set(STUDENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    require_screen(user, school_class.school.area_id)
    errors, cleaned = student_errors(dict(fields), school_class, student, clock.today())
    raise_if(errors)
    creating = student is None
    student = student or Student(school_class=school_class)
    for name, value in cleaned.items():
        setattr(student, name, value if value is not None or name == "birth_date" else "")
    if creating:
        student.save()
    else:
        save_versioned(student, expected_version=expected_version)
    audit_log(
        user=user,
        action="create" if creating else "change",
        obj=student,
        child=student.child,
        area_code=school_class.school.area_id,
    )
    return student


@transaction.atomic
def student_deactivate(*, user, student: Student, active: bool = False) -> Student:
    """Mark a student as left (or back); a left student's link to a child stays for the history."""
    require_screen(user, student.school_class.school.area_id)
    if active and student.child_id:
        other = Student.objects.filter(
            school_class=student.school_class, child_id=student.child_id, active=True
        )
        if other.exclude(pk=student.pk).exists():
            raise_if({"active": _("该儿童已关联本班另一名在读学生。")})
    student.active = active
    student.save(update_fields=["active", "updated_at"])
    audit_log(user=user, action="change", obj=student, child=student.child, detail={"active": active})
    return student


@transaction.atomic
def student_link(*, user, student: Student, child) -> Student:
    """Link a student to a registered child the user may see; one active student per child per class.

    A left (inactive) student of the same class still linked to the child gives the link up: the
    child came back on the roster as a new row.
    """
    area = student.school_class.school.area_id
    require_screen(user, area)
    if child is None or not user_may(user, Action.VIEW, child.area_id):
        raise PermissionDenied
    if not student.active:
        raise_if({"student": _("该学生已不在读，不能关联。")})
    if student.child_id == child.pk:
        return student
    others = Student.objects.select_for_update().filter(school_class=student.school_class, child=child)
    others = others.exclude(pk=student.pk)
    if others.filter(active=True).exists():
        raise_if({"child": _("该儿童已关联本班另一名学生。")})
    for left in others:
        left.child = None
        left.save(update_fields=["child", "updated_at"])
        audit_log(user=user, action="change", obj=left, child=child, detail={"unlinked": True, "area": area})
    previous = student.child
    student.child = child
    student.save(update_fields=["child", "updated_at"])
    moved = _screening_results_follow(student)
    if previous is not None:
        audit_log(user=user, action="change", obj=student, child=previous, detail={"unlinked": True})
    audit_log(user=user, action="change", obj=student, child=child, detail={"linked": True, "results": moved})
    return student


@transaction.atomic
def student_unlink(*, user, student: Student) -> Student:
    """Remove a student's link to a child (a wrong match)."""
    require_screen(user, student.school_class.school.area_id)
    child = student.child
    if child is None:
        return student
    student.child = None
    student.save(update_fields=["child", "updated_at"])
    moved = _screening_results_follow(student)
    audit_log(
        user=user, action="change", obj=student, child=child, detail={"unlinked": True, "results": moved}
    )
    return student


def _screening_results_follow(student: Student) -> int:
    """The student's screening results follow the link: a wrong match undone takes the results out of
    the other child's file (a mental-health result in the wrong file is a leak), a new link brings
    them into the right one. Returns how many results moved."""
    from seedling.assessments.models import Response

    rows = Response.objects.filter(invitation__student=student).only("pk", "child_id")
    moving = [r.pk for r in rows if r.child_id != student.child_id]
    if moving:
        Response.objects.filter(pk__in=moving).update(child_id=student.child_id)
    return len(moving)
