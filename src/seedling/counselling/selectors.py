"""Reads of counselling: the pool, requests by who may see them, session notes (each read logged).

Requests are not scoped by area alone: their contents belong to the owning counsellor and that
counsellor's supervisor (see access). Officers get counts through `request_counts`, never rows
with contents. Anything a user may not see is a 404, not a 403, so its existence does not leak.
"""

from django.db.models import Count, Q
from django.http import Http404

from seedling.core.scope import area_q, collapse_prefixes

from . import access
from .access_log import counselling_log
from .models import Counsellor, HelpRequest, SessionNote
from .services.common import OPEN_STATUSES


def _prefix_q(field: str, prefixes) -> Q:
    condition = Q(pk__in=[])
    for prefix in collapse_prefixes(prefixes):
        if prefix == "":
            return Q()
        condition |= area_q(field, prefix)
    return condition


def counsellor_list(*, user, filters: dict | None = None):
    """Counsellors the user may see: the pool of their officer area, those they supervise, themselves."""
    filters = filters or {}
    if user is None or not user.is_authenticated or not user.is_active:
        return Counsellor.objects.none()
    visible = Q(user=user) | Q(supervisor=user)
    prefixes = access.officer_prefixes(user)
    if prefixes:
        visible |= _prefix_q("home_area_id", prefixes)
    rows = Counsellor.objects.filter(visible).select_related("user", "home_area", "supervisor")
    if filters.get("active") in (True, False):
        rows = rows.filter(active=filters["active"])
    if filters.get("qualification"):
        rows = rows.filter(qualification=filters["qualification"])
    if filters.get("language"):
        rows = rows.filter(languages__contains=f",{filters['language']},")
    if filters.get("area"):
        rows = rows.filter(areas__code__in=[filters["area"][:n] for n in (2, 4, 6, 9, 12)]).distinct()
    return rows.annotate(
        open_requests=Count("requests", filter=Q(requests__status__in=OPEN_STATUSES), distinct=True)
    ).order_by("home_area_id", "pk")


def counsellor_get(*, user, pk: int) -> Counsellor:
    """One counsellor's profile, or 404 outside what the user may see."""
    counsellor = counsellor_list(user=user).filter(pk=pk).first()
    if counsellor is None:
        raise Http404
    return counsellor


def request_list(*, user, filters: dict | None = None):
    """Requests the user may read: their own as counsellor, and those of counsellors they supervise."""
    filters = filters or {}
    if user is None or not user.is_authenticated or not user.is_active:
        return HelpRequest.objects.none()
    rows = HelpRequest.objects.filter(Q(counsellor__user=user) | Q(counsellor__supervisor=user))
    if filters.get("mine"):
        rows = rows.filter(counsellor__user=user)
    status = filters.get("status")
    if status == "open":
        rows = rows.exclude(status=HelpRequest.Status.CLOSED)
    elif status:
        rows = rows.filter(status=status)
    return rows.select_related("counsellor__user", "area", "child")


def request_get(*, user, pk: int) -> HelpRequest:
    """A request for its counsellor or their supervisor (contents), or 404."""
    request = request_list(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def request_open(*, user, pk: int) -> HelpRequest:
    """Open a request with its contents: a logged read (the row is not tied to the child's file)."""
    request = request_get(user=user, pk=pk)
    counselling_log(user=user, action="view", obj=request, area_code=request.area_id)
    return request


def request_outline(*, user, pk: int) -> HelpRequest:
    """A request as a county officer sees it (status, area, counsellor; no contents), or 404."""
    prefixes = access.officer_prefixes(user)
    request = (
        HelpRequest.objects.filter(_prefix_q("area_id", prefixes), pk=pk)
        .select_related("counsellor__user", "area")
        .first()
        if prefixes
        else None
    )
    if request is None:
        raise Http404
    return request


def request_counts(*, user) -> dict:
    """For county officers: requests of their area by status and by counsellor, counts only."""
    prefixes = access.officer_prefixes(user)
    if not prefixes:
        return {"by_status": {}, "by_counsellor": [], "waiting": []}
    rows = HelpRequest.objects.filter(_prefix_q("area_id", prefixes))
    by_status = {row["status"]: row["n"] for row in rows.values("status").annotate(n=Count("pk"))}
    by_counsellor = list(
        rows.filter(status__in=OPEN_STATUSES)
        .values("counsellor_id", "counsellor__user__full_name", "counsellor__user__username")
        .annotate(n=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
        .order_by("-n")
    )
    # Waiting requests are listed by number only, so an officer can assign them by hand.
    waiting = list(
        rows.filter(status=HelpRequest.Status.NEW).values(
            "pk", "area__name", "urgent", "language", "created_at"
        )
    )
    return {"by_status": by_status, "by_counsellor": by_counsellor, "waiting": waiting}


def notes_read(*, user, request: HelpRequest):
    """A request's session notes, for its counsellor and their supervisor only; every read logged."""
    if not access.may_read_contents(user, request):
        raise Http404
    notes = list(SessionNote.objects.filter(request=request).select_related("counsellor__user", "written_by"))
    counselling_log(
        user=user, action="view", obj=request, area_code=request.area_id, detail={"session_notes": len(notes)}
    )
    return notes


def reassign_choices(*, request: HelpRequest, user=None):
    """Active counsellors who serve the request's area, except its counsellor and the user (for the
    reassign form: nobody assigns a request to themselves)."""
    from .services.common import area_prefixes

    return (
        Counsellor.objects.filter(
            active=True, user__is_active=True, areas__code__in=area_prefixes(request.area_id)
        )
        .exclude(pk=request.counsellor_id or 0)
        .exclude(user_id=getattr(user, "pk", None) or 0)
        .select_related("user")
        .distinct()
    )
