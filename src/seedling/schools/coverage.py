"""Screening coverage (筛查覆盖) of schools and classes, read from assessments' invitations.

Per class: active students, how many were invited to a screening this term and how many completed
one; per school the same summed, plus the education activities held this term. Read only: this
module never writes to assessments, and with no campaigns every figure is zero.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from seedling.accounts.roles import Action
from seedling.assessments.models import Invitation
from seedling.core import clock
from seedling.core.scope import area_q, restrict

from . import rules
from .models import EducationActivity, School, SchoolClass, Student


@dataclass
class Coverage:
    students: int = 0
    invited: int = 0
    completed: int = 0
    activities: int = 0

    @property
    def completed_percent(self) -> int | None:
        return round(100 * self.completed / self.students) if self.students else None

    def add(self, other: "Coverage") -> None:
        self.students += other.students
        self.invited += other.invited
        self.completed += other.completed


def _term_invitations(since):
    """Invitations of students in campaigns opened this term (from the term's first day, China time)."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    return Invitation.objects.filter(campaign__opens_at__gte=start, student__isnull=False)


def class_coverage(*, classes, today=None) -> dict[int, Coverage]:
    """Coverage of each class (by class id) this term."""
    today = today or clock.today()
    since = rules.term_start(today)
    ids = [c.pk for c in classes]
    result = {pk: Coverage() for pk in ids}
    students = (
        Student.objects.filter(school_class_id__in=ids, active=True)
        .values("school_class_id")
        .annotate(n=Count("pk"))
    )
    for row in students:
        result[row["school_class_id"]].students = row["n"]
    invited = (
        _term_invitations(since)
        .filter(student__school_class_id__in=ids, student__active=True)
        .values("student__school_class_id")
        .annotate(
            invited=Count("student", distinct=True),
            completed=Count("student", filter=Q(status=Invitation.Status.COMPLETED), distinct=True),
        )
    )
    for row in invited:
        cover = result[row["student__school_class_id"]]
        cover.invited, cover.completed = row["invited"], row["completed"]
    activities = (
        EducationActivity.objects.filter(school_class_id__in=ids, held_on__gte=since)
        .values("school_class_id")
        .annotate(n=Count("pk"))
    )
    for row in activities:
        result[row["school_class_id"]].activities = row["n"]
    return result


def school_coverage(*, schools, today=None) -> dict[int, Coverage]:
    """Coverage of each school (by id) over its classes of the current school year, and its activities this term."""
    today = today or clock.today()
    since = rules.term_start(today)
    school_ids = [s.pk for s in schools]
    classes = list(
        SchoolClass.objects.filter(school_id__in=school_ids, school_year=rules.school_year_of(today)).only(
            "pk", "school_id"
        )
    )
    per_class = class_coverage(classes=classes, today=today)
    result = {pk: Coverage() for pk in school_ids}
    for school_class in classes:
        result[school_class.school_id].add(per_class[school_class.pk])
    activities = (
        EducationActivity.objects.filter(school_id__in=school_ids, held_on__gte=since)
        .values("school_id")
        .annotate(n=Count("pk"))
    )
    for row in activities:
        result[row["school_id"]].activities = row["n"]
    return result


def county_overview(*, user, area: str = "", today=None) -> tuple[list[tuple[School, Coverage]], Coverage]:
    """Pilot schools of the user's area with their coverage, and the total over them."""
    schools = restrict(
        School.objects.filter(pilot=True, active=True).select_related("area"), user, Action.SCREEN
    )
    if area:
        schools = schools.filter(area_q("area_id", area))
    schools = list(schools.order_by("area_id", "name"))
    covers = school_coverage(schools=schools, today=today)
    total = Coverage()
    for school in schools:
        total.add(covers[school.pk])
        total.activities += covers[school.pk].activities
    return [(s, covers[s.pk]) for s in schools], total
