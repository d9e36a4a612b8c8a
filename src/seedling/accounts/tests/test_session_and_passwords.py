"""Idle sessions expire; passwords are stored with argon2."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from seedling.config import settings as project_settings

from .helpers import sign_in

pytestmark = pytest.mark.django_db


def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_every_request_pushes_the_idle_deadline_forward(client, users):
    sign_in(client, "director")
    row = _session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(reverse("mfa_index")).status_code == 200
    renewed = _session_row(client).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((renewed - expected).total_seconds()) < 60


def test_a_session_idle_longer_than_the_limit_is_signed_out(client, users):
    sign_in(client, "director")
    assert client.get(reverse("mfa_index")).status_code == 200
    # As if the person had left the page open for longer than the idle limit.
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE) - idle
    )
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_session_cookie_dies_with_the_browser(client, users):
    response = sign_in(client, "director")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


def test_argon2_is_the_production_hasher(settings, users):
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = users.director
    user.set_password("a-new-long-passphrase")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password("a-new-long-passphrase")


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(client, settings, users):
    # Users created under the fast test hasher (MD5) sign in once argon2 is preferred again.
    settings.PASSWORD_HASHERS = [
        *project_settings.PASSWORD_HASHERS,
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert users.director.password.startswith("md5$")
    assert sign_in(client, "director").status_code == 302
    users.director.refresh_from_db()
    assert users.director.password.startswith("argon2$")
