"""The organizations directory (机构名录): departments, social organizations, schools, hospitals, ...

Kept by civil-affairs officers (county and above) and system administrators for the areas they
hold: an organization's areas served must lie inside the keeper's areas.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned

from .. import access
from ..choices import OrganizationKind, OrganizationService
from ..models import Organization
from .common import raise_if, unknown_fields

ORG_FIELDS = ("name", "kind", "services", "nationwide", "contact_person", "phone", "address", "active")


def manage_prefixes(user) -> list[str]:
    return access.role_prefixes(user, access.ORG_MANAGE, action=None)


def may_manage(user, organization: Organization | None = None) -> bool:
    """Whether the user keeps the directory, and (for an existing one) every area it serves."""
    prefixes = manage_prefixes(user)
    if not prefixes:
        return False
    if organization is None or "" in prefixes:
        return True
    if organization.nationwide:
        return False
    codes = list(organization.areas.values_list("code", flat=True))
    return all(any(c.startswith(p) for p in prefixes) for c in codes)


def _check(values: dict, areas, prefixes: list[str], errors: dict) -> None:
    values["name"] = (values.get("name") or "").strip()
    if len(values["name"]) < 2:
        errors["name"] = _("请填写机构名称。")
    if values.get("kind") not in OrganizationKind.values:
        errors["kind"] = _("请选择机构类型。")
    services = values.get("services") or []
    if not services or any(s not in OrganizationService.values for s in services):
        errors["services"] = _("请至少选择一项服务。")
    if values.get("nationwide"):
        if "" not in prefixes:
            errors["nationwide"] = _("只有全国层级的管理人员可以登记服务全国的机构。")
    elif not areas:
        errors["areas"] = _("请选择服务区域。")
    elif any(not any(a.code.startswith(p) for p in prefixes) for a in areas):
        errors["areas"] = _("服务区域须在您管辖的区域内。")


@transaction.atomic
def organization_save(
    *,
    user,
    fields: dict,
    areas=None,
    members=None,
    organization: Organization | None = None,
    expected_version: int | None = None,
) -> Organization:
    """Add or edit an organization: kind, services offered, areas served, contact, its users.

    `areas` None keeps an organization's areas served; `members` None keeps its users.
    """
    unknown_fields(fields, ORG_FIELDS)
    if not may_manage(user, organization):
        access.deny()
    values = {"nationwide": False, "active": True, "contact_person": "", "phone": "", "address": ""}
    if organization is not None:
        values.update({n: getattr(organization, n) for n in ORG_FIELDS})
        values["services"] = organization.service_list
    if areas is None:  # not given: an edit keeps the areas served
        areas = list(organization.areas.all()) if organization is not None else []
    values.update(fields)
    areas = list(areas)
    errors: dict[str, str] = {}
    _check(values, areas, manage_prefixes(user), errors)
    raise_if(errors)
    values["services"] = Organization.encode_services(values["services"])
    if organization is None:
        organization = Organization.objects.create(created_by=user, **values)
        action = "create"
    else:
        for name, value in values.items():
            setattr(organization, name, value)
        save_versioned(organization, expected_version=expected_version or 0)
        action = "change"
    organization.areas.set([] if values["nationwide"] else areas)
    if members is not None:
        organization.members.set(members)
    audit_log(
        user=user,
        action=action,
        obj=organization,
        area_code=areas[0].code if areas else "",
        detail={"members": sorted(m.pk for m in members) if members is not None else None},
    )
    return organization
