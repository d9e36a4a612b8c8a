"""Every read of home visits and work lists, always through the area scope (core.scope.restrict)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.scope import area_q, collapse_prefixes, restrict
from seedling.geo.models import PREFIX_LENGTH, Division
from seedling.registry.models import Child

from . import alerts
from .models import ChildVisitStatus, Visit, VisitAttachment

SHOW_CHOICES = ("all", "overdue", "due", "never")


def visit_list(*, user, child: Child | None = None, area: str = "", action: str = Action.VIEW) -> QuerySet:
    """Visits the user may see (scope of the child's current area), newest first."""
    qs = restrict(Visit.objects.select_related("child", "child__area", "visitor"), user, action)
    if child is not None:
        qs = qs.filter(child=child)
    if area:
        qs = qs.filter(area_q("child__area", area))
    return qs.order_by("-visited_on", "-pk")


def visit_get(*, user, pk: int, action: str = Action.VIEW) -> Visit:
    """One visit in the user's scope for `action`, or 404 (never 403: existence is not revealed)."""
    visit = visit_list(user=user, action=action).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def visit_open(*, user, pk: int) -> Visit:
    """Open a visit record to read it: scope-checked and written to the access log."""
    visit = visit_get(user=user, pk=pk)
    audit_log(user=user, action="view", obj=visit, child=visit.child)
    return visit


def visit_versions(*, visit: Visit) -> QuerySet:
    """Earlier versions of a visit already opened through the scope, newest first."""
    return visit.versions.select_related("replaced_by").order_by("-revision")


def visit_attachments(*, visit: Visit) -> QuerySet:
    return visit.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")


def attachment_open(*, user, pk: int) -> VisitAttachment:
    """An attachment in the user's scope, or 404; every download is written to the access log."""
    attachment = restrict(VisitAttachment.objects.select_related("child", "visit"), user, Action.VIEW)
    attachment = attachment.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    audit_log(user=user, action="view", obj=attachment, child=attachment.child, detail={"download": True})
    return attachment


def child_visits(*, child: Child, limit: int | None = None) -> QuerySet:
    """Visits of a child already opened through the scope, newest first."""
    qs = Visit.objects.filter(child=child).select_related("visitor").order_by("-visited_on", "-pk")
    return qs[:limit] if limit else qs


def visit_status(*, child: Child) -> ChildVisitStatus | None:
    return ChildVisitStatus.objects.filter(child=child).first()


# --- work lists ---


def worklist_roots(*, user) -> list[Division | None]:
    """The areas a user's work list starts from (None: the whole country)."""
    prefixes = collapse_prefixes(user.area_prefixes(Action.VIEW))
    if "" in prefixes:
        return [None]
    return list(Division.objects.filter(code__in=prefixes).order_by("code"))


def worklist_area(*, user, code: str | None) -> Division | None:
    """The area asked for, if the user may see it; the user's own area when none was asked; else 404."""
    roots = worklist_roots(user=user)
    if not code:
        if not roots:
            raise Http404
        return roots[0]
    if not any(root is None or code.startswith(root.code) for root in roots):
        raise Http404
    area = Division.objects.filter(code=code).select_related("parent").first()
    if area is None:
        raise Http404
    return area


def _statuses(*, user, area: str) -> QuerySet:
    qs = restrict(ChildVisitStatus.objects.all(), user, Action.VIEW).filter(next_due_on__isnull=False)
    return qs.filter(area_q("area_code", area)) if area else qs


def worklist_children(
    *, user, area: str = "", within: int | None = None, show: str = "all", today: datetime.date | None = None
) -> QuerySet:
    """Children of an area with a visit due within `within` days, overdue, or never visited; the most
    urgent first (the village director's list, 走访工作清单)."""
    today = today or clock.today()
    within = alerts.due_soon_days() if within is None else within
    qs = _statuses(user=user, area=area).select_related("child", "child__area")
    overdue = Q(next_due_on__lt=today)
    due = Q(next_due_on__gte=today, next_due_on__lte=today + datetime.timedelta(days=within))
    never = Q(last_visit_on__isnull=True)
    condition = {"overdue": overdue, "due": due, "never": never}.get(show, overdue | due | never)
    return qs.filter(condition).order_by("next_due_on", "child_id")


@dataclass
class AreaCount:
    code: str
    name: str
    children: int = 0  # children with a visit plan
    overdue: int = 0
    escalated: int = 0
    due: int = 0
    never: int = 0
    is_village: bool = False


def _child_level_length(area: Division | None) -> int:
    if area is None:
        return PREFIX_LENGTH["province"]
    lengths = sorted(PREFIX_LENGTH.values())
    deeper = [n for n in lengths if n > len(area.code)]
    return deeper[0] if deeper else len(area.code)


def worklist_areas(
    *, user, area: Division | None, within: int | None = None, today: datetime.date | None = None
) -> list[AreaCount]:
    """Counts per area one level below `area`: the supervisor's per village, the county's per township
    (children with a visit plan, overdue, past the grace period, due soon, never visited)."""
    today = today or clock.today()
    within = alerts.due_soon_days() if within is None else within
    code = area.code if area is not None else ""
    length = _child_level_length(area)
    escalate_before = today - datetime.timedelta(days=alerts.grace_days())
    rows = (
        _statuses(user=user, area=code)
        .annotate(sub=Substr("area_code", 1, length))
        .values("sub")
        .annotate(
            children=Count("pk"),
            overdue=Count("pk", filter=Q(next_due_on__lt=today)),
            escalated=Count("pk", filter=Q(next_due_on__lt=escalate_before)),
            due=Count(
                "pk",
                filter=Q(next_due_on__gte=today, next_due_on__lte=today + datetime.timedelta(days=within)),
            ),
            never=Count("pk", filter=Q(last_visit_on__isnull=True)),
        )
    )
    counts = {row.pop("sub"): row for row in rows}
    subareas = (
        Division.objects.filter(parent_id=area.code)
        if area is not None
        else Division.objects.filter(level=Division.Level.PROVINCE)
    )
    result = []
    for sub in subareas.order_by("code"):
        row = counts.pop(sub.code, None)
        if row is None and sub.retired_in is not None:
            continue
        result.append(
            AreaCount(sub.code, sub.name, is_village=sub.level == Division.Level.VILLAGE, **(row or {}))
        )
    for leftover, row in sorted(counts.items()):  # codes not (or no longer) in the divisions table
        result.append(AreaCount(leftover, leftover, is_village=len(leftover) == 12, **row))
    return result


def worklist_totals(rows: list[AreaCount]) -> AreaCount:
    total = AreaCount("", "")
    for row in rows:
        for name in ("children", "overdue", "escalated", "due", "never"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def area_trail(area: Division | None, *, user) -> list[Division]:
    """The areas from the user's own area down to `area`, for the breadcrumb."""
    roots = {root.code if root else "" for root in worklist_roots(user=user)}
    trail = []
    node = area
    while node is not None:
        trail.append(node)
        if node.code in roots:
            break
        node = node.parent
    return list(reversed(trail))
