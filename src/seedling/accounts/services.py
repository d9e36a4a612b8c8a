"""Writes on accounts: API tokens and resetting a user's two-step verification."""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from seedling.core.audit import audit_log
from seedling.core.models import AccessLog

from .models import User


class AccountError(Exception):
    """A refused account operation; the message is for the person who asked."""


@transaction.atomic
def api_token_issue(*, username: str, rotate: bool = False) -> str:
    """Return the user's REST API token, creating it if needed; `rotate` replaces the old one.

    Tokens are handed out by administrators only (`seedling token USERNAME`), never to inactive users.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        raise AccountError(_("没有用户名为“%(username)s”的用户。") % {"username": username})
    if not user.is_active:
        raise AccountError(_("用户“%(username)s”已停用，不能发放令牌。") % {"username": username})
    if rotate:
        Token.objects.filter(user=user).delete()
    token, _created = Token.objects.get_or_create(user=user)
    return token.key


@transaction.atomic
def user_mfa_reset(*, user: User, by: User) -> int:
    """Remove a user's authenticator app and recovery codes (a lost phone); returns how many were removed.

    The user must set up a new authenticator at their next sign-in if their role requires one.
    """
    from allauth.mfa.models import Authenticator

    removed, _details = Authenticator.objects.filter(user=user).delete()
    audit_log(user=by, action=AccessLog.Action.CHANGE, obj=user, detail={"what": "mfa_reset"})
    return removed
