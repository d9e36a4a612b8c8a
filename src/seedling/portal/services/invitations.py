"""Invitation codes (邀请码): a child or guardian signs in to the portal with a code, no account.

The child's counsellor (Action.COUNSEL) or director (Action.CHANGE) makes the code. It is shown once;
only an HMAC of it (keyed by SECRET_KEY) is stored, so a database copy does not give anyone a way in.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.models import AccessLog
from seedling.core.scope import user_may

from .. import rules
from ..models import PortalInvitation
from ..selectors import INVITATION_ACTIONS

DAYS_MAX = 365


def invitation_days_default() -> int:
    """How long a new code stays valid unless the giver says otherwise (setting, default 90 days)."""
    return int(getattr(settings, "SEEDLING_PORTAL_INVITATION_DAYS", 90))


def invitation_code_hash(code: str) -> str:
    """The stored form of a (normalised) code: HMAC-SHA256 keyed by SECRET_KEY, hex."""
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def may_invite(user, child) -> bool:
    """The child's counsellor or director (COUNSEL or CHANGE over the child's area)."""
    return any(user_may(user, action, child.area_id) for action in INVITATION_ACTIONS)


@transaction.atomic
def portal_invitation_create(
    *, user, child, holder: str, days: int | None = None
) -> tuple[PortalInvitation, str]:
    """Make a code for the child or a guardian; returns the invitation and the code (shown once).

    Written to the access log with the child. Raises ValidationError by field, PermissionDenied.
    """
    if not may_invite(user, child):
        raise PermissionDenied
    days = invitation_days_default() if days in (None, "") else days
    errors: dict[str, str] = {}
    if holder not in PortalInvitation.Holder.values:
        errors["holder"] = _("请选择邀请码给谁使用：儿童本人或监护人。")
    if not isinstance(days, int) or not 1 <= days <= DAYS_MAX:
        errors["days"] = _("有效天数必须是 1 到 %(max)d 之间的整数。") % {"max": DAYS_MAX}
    if errors:
        raise ValidationError(errors)
    code = rules.invitation_code_new()
    while PortalInvitation.objects.filter(code_hash=invitation_code_hash(code)).exists():
        code = rules.invitation_code_new()  # 31^8 codes: a clash is rare, never reused
    invitation = PortalInvitation.objects.create(
        code_hash=invitation_code_hash(code),
        holder=holder,
        child=child,
        # The giver, when a member of the counsellor pool (a missing one-to-one reads as None).
        counsellor=getattr(user, "counsellor", None),
        created_by=user,
        expires_at=clock.now() + datetime.timedelta(days=days),
    )
    audit_log(
        user=user, action=AccessLog.Action.CREATE, obj=invitation, child=child, detail={"holder": holder}
    )
    return invitation, code


@transaction.atomic
def portal_invitation_revoke(*, user, invitation: PortalInvitation) -> PortalInvitation:
    """Make a code unusable at once (a session signed in with it ends at its next page)."""
    if not may_invite(user, invitation.child):
        raise PermissionDenied
    if invitation.revoked_at is None:
        invitation.revoked_at = clock.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_log(
            user=user,
            action=AccessLog.Action.CHANGE,
            obj=invitation,
            child=invitation.child,
            detail={"revoked": True},
        )
    return invitation


@transaction.atomic
def portal_signin(*, code: str) -> PortalInvitation | None:
    """The valid invitation for a typed code, or None (unknown, revoked and expired look the same).

    Logged as a sign-in to the child's file: who used the code is part of the child's access trail.
    """
    normalised = rules.invitation_code_normalize(code)
    if normalised is None:
        return None
    invitation = (
        PortalInvitation.objects.select_for_update()
        .select_related("child")
        .filter(code_hash=invitation_code_hash(normalised))
        .first()
    )
    now = clock.now()
    if invitation is None or invitation.revoked_at is not None or invitation.expires_at <= now:
        return None
    invitation.last_used_at = now
    invitation.save(update_fields=["last_used_at", "updated_at"])
    audit_log(
        user=None,
        action=AccessLog.Action.LOGIN,
        obj=invitation,
        child=invitation.child,
        detail={"portal_holder": invitation.holder},
    )
    return invitation
