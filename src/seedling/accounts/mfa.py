"""Who must use two-step verification (两步验证, TOTP): everyone whose highest role sits above the
configured level (settings.SEEDLING_MFA_REQUIRED_ABOVE, default "village": every role above a village
child director). Superusers and staff count as national: they can change everyone's access.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .roles import LEVEL_RANK


def mfa_threshold() -> str:
    threshold = settings.SEEDLING_MFA_REQUIRED_ABOVE
    if threshold != "none" and threshold not in LEVEL_RANK:
        choices = ", ".join(["none", *LEVEL_RANK])
        raise ImproperlyConfigured(f"SEEDLING_MFA_REQUIRED_ABOVE must be one of: {choices}")
    return threshold


def mfa_required(user) -> bool:
    """True when `user` may not work without TOTP (roles above the configured level)."""
    threshold = mfa_threshold()
    if threshold == "none" or not getattr(user, "is_authenticated", False):
        return False
    level = "national" if (user.is_superuser or user.is_staff) else user.highest_level
    if level is None:
        # No area role, but linked to a police contact or an organisation that receives reports or
        # referrals: they read children's data, so they count as county level.
        level = "county" if _external_recipient(user) else None
    if level is None:
        return False
    return LEVEL_RANK[level] < LEVEL_RANK[threshold]


# Reverse relations by which other apps link users who receive children's data without an area role
# (accounts does not import those apps: it only looks the relations up by name).
EXTERNAL_RECIPIENT_RELATIONS = ("report_contacts", "organizations")


def _external_recipient(user) -> bool:
    for name in EXTERNAL_RECIPIENT_RELATIONS:
        related = getattr(user, name, None)
        if related is not None and hasattr(related, "exists") and related.exists():
            return True
    return False


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
