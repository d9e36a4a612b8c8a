"""Sign-in with username and password: messages, lockout per username, the access-log row."""

import pytest
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from seedling.accounts.lockout import login_key
from seedling.core.models import AccessLog

from .helpers import sign_in

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_chinese_by_default_and_fits_a_phone(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in html
    assert "登录小苗" in html and "用户名" in html and "密码" in html
    assert 'name="viewport" content="width=device-width' in html
    # No self sign-up and no e-mail password reset: accounts come from administrators.
    assert reverse("account_signup") not in html
    assert 'autocapitalize="none"' in html


def test_sign_in_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("account_login"))
    assert 'lang="en"' in response.content.decode()


def test_right_password_signs_in_and_is_logged_without_the_password(client, users):
    response = sign_in(client, "director")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(users.director.pk)
    row = AccessLog.objects.get(action=AccessLog.Action.LOGIN, user=users.director)
    assert row.username == "director"
    assert row.detail == {"result": "success", "mfa": ""}
    assert row.area_code == users.director.memberships.get().area_id
    assert "seedling-demo" not in str(row.detail) + row.reason + row.path


def test_wrong_password_says_so_and_counts_down(client, users):
    response = sign_in(client, "director", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "用户名或密码不正确。" in html
    left = settings.SEEDLING_LOGIN_MAX_FAILURES - 1
    assert f"再失败 {left} 次，该账户将被锁定 {settings.SEEDLING_LOGIN_LOCKOUT_MINUTES} 分钟。" in html
    row = AccessLog.objects.get(action=AccessLog.Action.LOGIN)
    assert (row.user, row.detail) == (users.director, {"result": "failed"})


def test_unknown_username_is_not_stored_in_the_log(client, users):
    sign_in(client, "my-secret-password", "whatever")
    row = AccessLog.objects.get(action=AccessLog.Action.LOGIN)
    assert (row.user, row.username) == (None, "")
    assert row.detail == {"result": "failed", "unknown_user": True}


def _fail_until_locked(client, username="director"):
    for _ in range(settings.SEEDLING_LOGIN_MAX_FAILURES):
        response = sign_in(client, username, "wrong-password")
        assert response.status_code == 200
    return response


def test_lockout_refuses_even_the_right_password_and_says_for_how_long(client, users):
    last = _fail_until_locked(client)
    minutes = settings.SEEDLING_LOGIN_LOCKOUT_MINUTES
    assert f"请 {minutes} 分钟后再试" in last.content.decode()

    response = sign_in(client, "director")  # the right password
    html = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多，该账户已暂时锁定" in html
    assert f"请 {minutes} 分钟后再试" in html
    assert AccessLog.objects.filter(user=users.director, detail__result="locked").count() == 1


def test_lockout_is_per_username_not_per_host(client, users):
    _fail_until_locked(client)
    response = sign_in(client, "director", HTTP_HOST="localhost")
    assert "_auth_user_id" not in client.session
    assert "该账户已暂时锁定" in response.content.decode()
    # Another username is not affected.
    assert sign_in(client, "director_b").status_code == 302


def test_lockout_counts_live_in_the_database_cache(client, users):
    """Every web process must see the same counts: the cache is the database table."""
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    _fail_until_locked(client)
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 -- table name from settings
        assert cursor.fetchone()[0] >= 1


def test_lock_lifts_when_the_window_has_passed(client, users):
    _fail_until_locked(client)
    # Age every recorded failure past the window instead of waiting for it.
    request = RequestFactory().post("/")
    window = settings.SEEDLING_LOGIN_LOCKOUT_MINUTES * 60
    for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
        key = ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=login_key("director")
        )
        history = cache.get(key, [])
        cache.set(key, [t - window - 1 for t in history], 3600)
    assert sign_in(client, "director").status_code == 302


def test_a_successful_sign_in_does_not_reset_the_count(client, users):
    """Otherwise an attacker who knows one password could interleave it to keep guessing."""
    for _ in range(settings.SEEDLING_LOGIN_MAX_FAILURES - 1):
        sign_in(client, "director", "wrong-password")
    assert sign_in(client, "director").status_code == 302
    client.post(reverse("account_logout"))
    response = sign_in(client, "director", "wrong-password")
    assert "该账户已暂时锁定" in response.content.decode()


def test_inactive_user_cannot_sign_in(client, users):
    users.director.is_active = False
    users.director.save()
    sign_in(client, "director")
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()
