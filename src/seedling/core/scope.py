"""Area scope (区域权限): the one place where a user's memberships become queryset filters.

Every child-related model names the field that holds its area code in `scope_field`
("area" on the child, "child__area" on rows of the child's file). A membership grants a role at an
area prefix; the user sees rows whose area code starts with one of their prefixes for the action.
Pages, API, search, exports, dashboards and jobs all go through `restrict`; no view filters by hand.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest digit string greater than every code starting with `prefix` (None: no bound).

    Codes are digits, so a half-open range [prefix, bound) selects the prefix and uses a plain
    b-tree index on SQLite and PostgreSQL alike (LIKE with ESCAPE does not, on SQLite).
    """
    stripped = prefix.rstrip("9")
    if not stripped:
        return None
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


def area_q(field: str, prefix: str) -> Q:
    """Rows whose `field` starts with the area prefix `prefix`."""
    if prefix == "":
        return Q()
    upper = prefix_upper_bound(prefix)
    q = Q(**{f"{field}__gte": prefix})
    if upper is not None:
        q &= Q(**{f"{field}__lt": upper})
    return q


def collapse_prefixes(prefixes) -> list[str]:
    """Drop prefixes already covered by a shorter one ("3307" covers "330723")."""
    kept: list[str] = []
    for p in sorted(set(prefixes), key=lambda s: (len(s), s)):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """Limit `queryset` to the rows `user` may `action` by their area memberships."""
    field = getattr(queryset.model, "scope_field", None)
    if field is None:
        raise ImproperlyConfigured(f"{queryset.model.__name__} has no scope_field")
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    prefixes = collapse_prefixes(user.area_prefixes(action))
    if not prefixes:
        return queryset.none()
    if "" in prefixes:
        return queryset
    condition = Q()
    for prefix in prefixes:
        condition |= area_q(field, prefix)
    return queryset.filter(condition)


def user_may(user, action: str, area_code: str) -> bool:
    """Whether `user` may `action` at `area_code` (a full or partial code)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return any(area_code.startswith(p) for p in user.area_prefixes(action))
