"""Who may do what with cases, transfers and referrals: roles held at an area covering the child.

accounts.roles has no case actions yet, so the roles are named here and combined with the area
prefixes of the user's memberships (the same prefix rule as core.scope). Reads still go through
core.scope.restrict first; these filters only narrow it to the roles that do case work.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from seedling.accounts.roles import ROLE_ACTIONS, Action, Role
from seedling.core.scope import area_q, collapse_prefixes, restrict

R = Role
# Read cases, approvals and the referrals an area sent (case files are not for counsellors or researchers).
CASE_VIEW = frozenset(
    {
        R.VILLAGE_DIRECTOR,
        R.TOWNSHIP_SUPERVISOR,
        R.COUNTY_OFFICER,
        R.CITY_OFFICER,
        R.PROVINCE_OFFICER,
        R.NATIONAL_OFFICER,
        R.SOCIAL_WORKER,
        R.INSTITUTION_WORKER,
    }
)
# Open cases, record assessments, plans, services and reviews, send referrals, be a case's worker.
CASE_WORK = frozenset(
    {R.VILLAGE_DIRECTOR, R.TOWNSHIP_SUPERVISOR, R.COUNTY_OFFICER, R.SOCIAL_WORKER, R.INSTITUTION_WORKER}
)
# Approve plans and closures (the township supervisor, or the county officer above them).
CASE_APPROVE = frozenset({R.TOWNSHIP_SUPERVISOR, R.COUNTY_OFFICER})
# Accept or decline a child moving in (the destination's director, supervisor or county).
TRANSFER_DECIDE = frozenset({R.VILLAGE_DIRECTOR, R.TOWNSHIP_SUPERVISOR, R.COUNTY_OFFICER})
# Keep the organizations directory for their area.
ORG_MANAGE = frozenset({R.COUNTY_OFFICER, R.CITY_OFFICER, R.PROVINCE_OFFICER, R.NATIONAL_OFFICER, R.SYSADMIN})


def role_prefixes(user, roles, *, action: str = Action.VIEW) -> list[str]:
    """Area prefixes where the user holds one of `roles` ("" = the whole country)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return collapse_prefixes(
        m.area_code
        for m in user.active_memberships()
        if m.role in roles and (action is None or action in ROLE_ACTIONS[m.role])
    )


def may(user, roles, area_code: str, *, action: str | None = Action.VIEW) -> bool:
    """Whether the user holds one of `roles` at an area containing `area_code`."""
    return any(area_code.startswith(p) for p in role_prefixes(user, roles, action=action))


def require(user, roles, area_code: str, *, action: str | None = Action.VIEW) -> None:
    if not may(user, roles, area_code, action=action):
        deny()


def deny():
    raise PermissionDenied(_("您没有权限在该区域进行此操作。"))


def prefix_q(field: str, prefixes: list[str]) -> Q:
    """Rows whose `field` starts with one of the prefixes (no prefix: no rows)."""
    if "" in prefixes:
        return Q()
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= area_q(field, prefix)
    return condition


def scoped(queryset: QuerySet, user, roles) -> QuerySet:
    """The area scope (core.scope.restrict, action view) narrowed to areas where the user holds `roles`."""
    qs = restrict(queryset, user, Action.VIEW)
    return qs.filter(prefix_q(queryset.model.scope_field, role_prefixes(user, roles)))


def is_org_member(user) -> bool:
    return bool(user.is_authenticated and user.organizations.filter(active=True).exists())
