"""Signing in through allauth's real pages, and computing TOTP codes the way a phone app does."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from seedling.testing.scenario import PASSWORD


def totp_code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (`step` = 30-second steps ahead)."""
    counter = int(time.time()) // 30 + step
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": username, "password": password}, **extra)


def activate_totp(client) -> str:
    """Set up the authenticator app for the signed-in user; returns the TOTP secret."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


def recovery_codes(user) -> list[str]:
    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return auth.wrap().get_unused_codes()
