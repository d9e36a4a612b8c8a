"""The portal card on a child's file: the child's and guardians' invitation codes, a link to make one."""

from django.utils.translation import gettext as _

from seedling.core import clock

from . import selectors, services


def section(*, user, child) -> dict | None:
    """Shown to the child's counsellor or director (those who may give codes), nobody else."""
    if not services.may_invite(user, child):
        return None
    now = clock.now()
    active = [
        i for i in selectors.invitation_list(child=child) if i.revoked_at is None and i.expires_at > now
    ]
    return {
        "title": _("自助服务平台邀请码"),
        "template": "portal/_child_section.html",
        "order": 60,
        "context": {"child": child, "active": active},
    }
