"""Reads of schools, classes, rosters and activities: always within the user's SCREEN scope.

A school outside the user's area is a 404, never a 403. Reading a roster and the link suggestions
(which show registered children) writes the access log.
"""

import uuid

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log, audit_log_each
from seedling.core.scope import area_q, restrict, user_may
from seedling.registry.models import Child

from . import rules
from .models import EducationActivity, School, SchoolClass, Student

SCREEN = Action.SCREEN


def school_list(*, user, filters: dict | None = None) -> QuerySet:
    """Schools of the user's area; filters: pilot, kind, area (prefix), q (name or code), active."""
    filters = filters or {}
    rows = restrict(School.objects.select_related("area"), user, SCREEN)
    if filters.get("pilot") in (True, False):
        rows = rows.filter(pilot=filters["pilot"])
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("area"):
        rows = rows.filter(area_q("area_id", filters["area"]))
    if filters.get("q"):
        rows = rows.filter(Q(name__contains=filters["q"]) | Q(code=filters["q"]))
    if filters.get("active") in (True, False):
        rows = rows.filter(active=filters["active"])
    return rows


def school_get(*, user, pk: int) -> School:
    school = restrict(School.objects.select_related("area"), user, SCREEN).filter(pk=pk).first()
    if school is None:
        raise Http404
    return school


def class_list(*, user, school: School | None = None, school_year: int | None = None) -> QuerySet:
    """Classes of the user's area (of one school, one school year), with active student counts."""
    rows = restrict(SchoolClass.objects.select_related("school"), user, SCREEN)
    if school is not None:
        rows = rows.filter(school=school)
    if school_year is not None:
        rows = rows.filter(school_year=school_year)
    return rows.annotate(students_count=Count("students", filter=Q(students__active=True))).order_by(
        "school_id", "-school_year", "grade", "name"
    )


def class_get(*, user, pk: int) -> SchoolClass:
    row = (
        restrict(SchoolClass.objects.select_related("school", "school__area"), user, SCREEN)
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    return row


def roster(*, user, school_class: SchoolClass, include_left: bool = False) -> QuerySet:
    """A class's students (a logged read: a roster is children's personal data)."""
    rows = restrict(Student.objects.filter(school_class=school_class), user, SCREEN).select_related("child")
    if not include_left:
        rows = rows.filter(active=True)
    audit_log(
        user=user,
        action="view",
        obj=school_class,
        area_code=school_class.school.area_id,
        detail={"roster": True},
    )
    return rows


def student_get(*, user, pk: int) -> Student:
    row = (
        restrict(Student.objects.select_related("school_class__school", "child"), user, SCREEN)
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise Http404
    return row


def student_open(*, user, pk: int) -> Student:
    """A student to read or edit through a page: scope-checked and logged."""
    student = student_get(user=user, pk=pk)
    audit_log(
        user=user,
        action="view",
        obj=student,
        child=student.child,
        area_code=student.school_class.school.area_id,
    )
    return student


def linked_child_open(*, user, student: Student) -> Child | None:
    """The child a student is linked to, to show by name: only to a user who may view that child's
    file (the child may be registered in another area than the school), and then a logged read.
    None when there is no link or the user may not see the child (the page says only that a link exists).
    """
    child = student.child
    if child is None or not user_may(user, Action.VIEW, child.area_id):
        return None
    audit_log(user=user, action="view", obj=student, child=child, area_code=child.area_id)
    return child


def link_suggestions(*, user, student: Student, limit: int = 10) -> list[Child]:
    """Registered children the user may see who may be this student: the same identity number
    (the registry's blind index), or the same name and birth date. Logged as a search."""
    match = Q(pk__in=[])
    if student.id_number_hash:
        match |= Q(id_number_hash=student.id_number_hash)
    if student.birth_date:
        match |= Q(name=student.name, birth_date=student.birth_date)
    children = list(restrict(Child.objects.filter(match), user, Action.VIEW).select_related("area")[:limit])
    for child in children:
        child.match_by_id = bool(student.id_number_hash) and child.id_number_hash == student.id_number_hash
    children.sort(key=lambda c: (not c.match_by_id, c.pk))
    # Each suggestion shows a child's name, birth date and village: a read of each, tied to the child.
    audit_log_each(user=user, action="view", objs=children, reason="student_link")
    audit_log(
        user=user,
        action="search",
        obj=student,
        area_code=student.school_class.school.area_id,
        detail={"link_suggestions": [c.pk for c in children]},
    )
    return children


def link_candidate(*, user, student: Student, child_uuid) -> Child:
    """A child the student may be linked to: one the user may see (else 404)."""
    try:
        child_uuid = uuid.UUID(str(child_uuid))
    except ValueError:
        raise Http404 from None
    child = restrict(Child.objects.filter(uuid=child_uuid), user, Action.VIEW).first()
    if child is None:
        raise Http404
    return child


def activity_list(*, user, school: School | None = None, filters: dict | None = None) -> QuerySet:
    filters = filters or {}
    rows = restrict(EducationActivity.objects.select_related("school", "school_class"), user, SCREEN)
    if school is not None:
        rows = rows.filter(school=school)
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("since"):
        rows = rows.filter(held_on__gte=filters["since"])
    return rows


def current_school_year() -> int:
    return rules.school_year_of(clock.today())
