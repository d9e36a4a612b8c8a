"""`seedling token USERNAME`: administrators hand out REST API tokens."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def _token(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def test_prints_the_token_and_creates_it_once(client, users):
    key = _token("director")
    assert key == Token.objects.get(user=users.director).key
    assert _token("director") == key
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_rotate_replaces_the_token(client, users):
    old = _token("director")
    new = _token("director", "--rotate")
    assert new != old
    assert Token.objects.filter(user=users.director).count() == 1
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {old}").status_code == 401


def test_unknown_user_is_a_clear_error(users):
    with pytest.raises(CommandError, match="没有用户名为“nobody”的用户"):
        _token("nobody")


def test_inactive_user_gets_no_token(users):
    users.director.is_active = False
    users.director.save()
    with pytest.raises(CommandError, match="已停用"):
        _token("director")
    assert not Token.objects.filter(user=users.director).exists()
