"""Every read of children's data, always through the area scope (core.scope.restrict)."""

import datetime
import re

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.scope import area_q, restrict

from .models import CategoryAssignment, CategoryProposal, Child, Person

AGE_BANDS = {  # label -> (min age, max age) inclusive
    "0-2": (0, 2),
    "3-5": (3, 5),
    "6-11": (6, 11),
    "12-15": (12, 15),
    "16-17": (16, 17),
    "18+": (18, 200),
}


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _birth_range(band: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Birth dates of children whose age today is within the band: age >= low and age <= high."""
    low, high = AGE_BANDS[band]
    latest = years_before(today, low)
    earliest = years_before(today, high + 1) + datetime.timedelta(days=1)
    return earliest, latest


def child_list(*, user, filters: dict | None = None, action: str = "view", today=None) -> QuerySet:
    """Children the user may see, filtered by category, area prefix, age band, status."""
    filters = filters or {}
    today = today or clock.today()
    # A file merged into another (duplicate queue) is kept for unmerge but no longer listed.
    qs = restrict(Child.objects.select_related("area", "area__parent"), user, action).filter(
        merged_into__isnull=True
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("area"):
        qs = qs.filter(area_q("area", filters["area"]))
    if filters.get("category"):
        qs = qs.filter(
            Exists(
                CategoryAssignment.objects.filter(
                    child=OuterRef("pk"), category=filters["category"], ended_on__isnull=True
                )
            )
        )
    if filters.get("age_band") in AGE_BANDS:
        earliest, latest = _birth_range(filters["age_band"], today)
        qs = qs.filter(birth_date__gte=earliest, birth_date__lte=latest)
    return qs.order_by("area_id", "name", "pk")


_NUMBER_IN_QUERY = re.compile(r"[0-9０-９]{6,}")


def child_search(
    *, user, query: str, base: QuerySet | None = None, limit: int = 50, filters=None
) -> list[Child]:
    """Search children in scope, best first; logged once (numbers in the query are not written)."""
    from . import search

    rows = search.search_children(user=user, query=query, base=base, limit=limit)
    logged = "[number]" if _NUMBER_IN_QUERY.search(query.replace(" ", "")) else query
    detail = {"query": logged, "results": len(rows)}
    detail.update({k: str(v) for k, v in (filters or {}).items() if v not in ("", None)})
    audit_log(user=user, action="search", detail=detail)
    return rows


def child_get(*, user, uuid, action: str = "view") -> Child:
    """One child in the user's scope for `action`, or 404 (never 403: existence is not revealed)."""
    child = (
        restrict(Child.objects.select_related("area", "area__parent", "hukou_area"), user, action)
        .filter(uuid=uuid)
        .first()
    )
    if child is None:
        raise Http404
    return child


def child_file_open(*, user, uuid, reason: str = "") -> Child:
    """Open a child's file to read it: scope-checked and written to the access log (every view)."""
    child = child_get(user=user, uuid=uuid)
    audit_log(user=user, action="view", obj=child, reason=reason)
    return child


def child_persons(*, child: Child) -> QuerySet:
    """Family members of a child already opened through child_get/child_file_open."""
    return Person.objects.filter(child=child).prefetch_related("situations").order_by("pk")


def category_history(*, child: Child) -> QuerySet:
    return CategoryAssignment.objects.filter(child=child).order_by("ended_on", "-started_on", "-pk")


def proposal_queue(*, user, area: str = "") -> QuerySet:
    """Pending category proposals the user may review, oldest first."""
    qs = restrict(CategoryProposal.objects.select_related("child", "child__area"), user, "review")
    if area:
        qs = qs.filter(area_q("child__area", area))
    return qs.filter(status=CategoryProposal.Status.PENDING).order_by("created_at", "pk")


def with_open_categories(rows):
    """Prefetch open category assignments into `open_categories`: one extra query for a page, not one each."""
    from django.db.models import Prefetch, prefetch_related_objects

    prefetch = Prefetch(
        "categoryassignments",
        queryset=CategoryAssignment.objects.filter(ended_on__isnull=True).order_by("category"),
        to_attr="open_categories",
    )
    if isinstance(rows, list):
        prefetch_related_objects(rows, prefetch)
        return rows
    return rows.prefetch_related(prefetch)


def pending_proposals(*, child: Child) -> QuerySet:
    """Category proposals of a child (already opened through the scope) waiting for review."""
    return CategoryProposal.objects.filter(child=child, status=CategoryProposal.Status.PENDING).order_by("pk")


def situation_get(*, user, pk: int, action: str = "view"):
    """One situation row of a child's file in the user's scope for `action`, or 404."""
    from .models import PersonSituation

    situation = (
        restrict(PersonSituation.objects.select_related("child", "person"), user, action)
        .filter(pk=pk)
        .first()
    )
    if situation is None:
        raise Http404
    return situation


def person_list(*, user, action: str = "view") -> QuerySet:
    return restrict(Person.objects.select_related("child"), user, action)


def assignment_list(*, user, action: str = "view") -> QuerySet:
    return restrict(CategoryAssignment.objects.select_related("child"), user, action)


def village_choices(*, user, action: str) -> QuerySet:
    """Active villages where the user may `action` (the village select of the child form)."""
    from seedling.core.scope import collapse_prefixes
    from seedling.geo.models import Division

    prefixes = collapse_prefixes(user.area_prefixes(action))
    if not prefixes:
        return Division.objects.none()
    qs = Division.objects.filter(level=Division.Level.VILLAGE, retired_in__isnull=True).select_related(
        "parent"
    )
    if "" not in prefixes:
        condition = area_q("code", prefixes[0])
        for prefix in prefixes[1:]:
            condition |= area_q("code", prefix)
        qs = qs.filter(condition)
    return qs.order_by("code")


def area_choices(*, user) -> list[tuple[str, str]]:
    """Areas to filter the child list by: each area the user may view and the level just below it."""
    from seedling.core.scope import collapse_prefixes
    from seedling.geo.models import Division

    choices: list[tuple[str, str]] = []
    for prefix in collapse_prefixes(user.area_prefixes("view")):
        if prefix == "":
            parents = Division.objects.filter(level=Division.Level.PROVINCE)
            choices += [(d.code, d.name) for d in parents]
            continue
        area = Division.objects.filter(code=prefix).first()
        if area is None:
            continue
        choices.append((area.code, area.name))
        choices += [
            (d.code, f"— {d.name}") for d in area.children.filter(retired_in__isnull=True).order_by("code")
        ]
    return choices


def work_summary(*, user) -> dict:
    """What the home page shows: the user's areas, children and categories in scope, reviews waiting."""
    from django.db.models import Count

    from .choices import Category, ChildStatus

    summary: dict = {"memberships": user.active_memberships(), "may_view": bool(user.area_prefixes("view"))}
    if not summary["may_view"]:
        return summary
    children = restrict(Child.objects.all(), user, "view").filter(status=ChildStatus.ACTIVE)
    summary["children"] = children.count()
    open_assignments = restrict(CategoryAssignment.objects.all(), user, "view").filter(
        ended_on__isnull=True, child__status=ChildStatus.ACTIVE
    )
    counts = dict(
        open_assignments.values_list("category").annotate(n=Count("id")).values_list("category", "n")
    )
    summary["categories"] = [(value, label, counts.get(value, 0)) for value, label in Category.choices]
    left_behind = open_assignments.filter(category__in=[Category.LEFT_BEHIND_BOTH, Category.LEFT_BEHIND_ONE])
    summary["left_behind_without_carer"] = (
        children.filter(pk__in=left_behind.values("child_id"))
        .exclude(persons__is_delegated_carer=True)
        .count()
    )
    summary["living_alone"] = children.filter(lives_alone=True).count()
    summary["pending_reviews"] = proposal_queue(user=user).count() if user.area_prefixes("review") else 0
    summary["recent"] = list(children.filter(created_by=user).order_by("-created_at")[:5])
    return summary
