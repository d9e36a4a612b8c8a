"""Reads of the access log (访问日志), always limited to the areas the user may audit.

The log has no `scope_field` (login rows have no area), so the audit scope is applied here by hand,
with the same prefix rule as core.scope.restrict (Regulations on the Online Protection of Minors
Art. 36: each staff access is logged and reviewable; PIPL Art. 51).
"""

import datetime

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AccessLog
from .scope import area_q, collapse_prefixes, restrict

AUDIT = "audit"  # accounts.roles.Action.AUDIT; core does not import accounts (it sits below it)
SYSADMIN = "sysadmin"  # accounts.roles.Role.SYSADMIN


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def audit_prefixes(user) -> list[str]:
    """Area prefixes whose access-log rows the user may read ("" = the whole country)."""
    if not _active(user):
        return []
    return collapse_prefixes(user.area_prefixes(AUDIT))


def user_may_audit(user) -> bool:
    return bool(audit_prefixes(user))


def access_log_scope(user) -> QuerySet:
    """Every access-log row the user may read.

    Rows with an area go to auditors of that area or above. Rows without one (sign-ins, searches)
    belong to no area: only national auditors and system administrators see them.
    """
    prefixes = audit_prefixes(user)
    qs = AccessLog.objects.all()
    if not prefixes:
        return qs.none()
    if "" in prefixes:
        return qs
    condition = Q()
    for prefix in prefixes:
        condition |= area_q("area_code", prefix)
    if user.has_role(SYSADMIN):
        condition |= Q(area_code="")
    return qs.filter(condition)


def audit_child_id(*, user, uuid) -> int | None:
    """The id of the child with `uuid` if it is in the user's audit scope, else None (existence hidden)."""
    child_model = apps.get_model("registry", "Child")  # looked up late: registry depends on core
    return (
        restrict(child_model.objects.all(), user, AUDIT)
        .filter(uuid=uuid)
        .values_list("pk", flat=True)
        .first()
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    # Dates are Beijing dates (what the auditor sees on the page); rows are stored in UTC.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_list(*, user, filters: dict | None = None) -> QuerySet:
    """Access-log rows the user may audit, newest first, narrowed by the page's filters.

    filters: date_from, date_to (dates, inclusive), action, username, child_id (already resolved
    within the scope by audit_child_id), area (a prefix; applied inside the scope, never widening it).
    """
    filters = filters or {}
    qs = access_log_scope(user)
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("username"):
        qs = qs.filter(username=filters["username"])
    if filters.get("child_id") is not None:
        qs = qs.filter(child_id=filters["child_id"])
    if filters.get("area"):
        qs = qs.filter(area_q("area_code", filters["area"]))
    return qs.order_by("-at", "-id")


def access_log_counts(qs: QuerySet) -> dict[str, int]:
    """How many of the rows are sealed into the chain and how many still wait for the sealer."""
    total = qs.count()
    unsealed = qs.filter(seq__isnull=True).count()
    return {"total": total, "sealed": total - unsealed, "unsealed": unsealed}


def area_names(codes) -> dict[str, str]:
    """Names of the divisions with these codes, to label log rows."""
    division = apps.get_model("geo", "Division")
    return dict(division.objects.filter(pk__in={c for c in codes if c}).values_list("pk", "name"))
