"""MFA is required for every role above the configured level (default: above village)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .roles import LEVEL_RANK

# Pages a user without MFA may still reach: setting up MFA, signing out, language, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/")


def mfa_required(user) -> bool:
    threshold = settings.SEEDLING_MFA_REQUIRED_ABOVE
    if threshold == "none" or not user.is_authenticated:
        return False
    level = user.highest_level
    if level is None:
        return False
    return LEVEL_RANK[level] < LEVEL_RANK[threshold]


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and mfa_required(user)
            and not request.session.get("seedling_mfa_ok")
        ):
            if has_totp(user):
                request.session["seedling_mfa_ok"] = True
            else:
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
