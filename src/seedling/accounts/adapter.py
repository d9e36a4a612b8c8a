"""allauth adapters: no self sign-up, messages in our words, lockout per username, audited sign-ins,
TOTP secrets encrypted at rest, and no switching TOTP off for roles that must have it.
"""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seedling.core.crypto import decrypt_text, encrypt_text

from .audit import AUTH_RECORDS_KEY, AUTH_RECORDS_USER_KEY, sign_in_failure_audit
from .lockout import attempts_left, lockout_minutes_left, lockout_window_minutes, login_key
from .mfa import mfa_required


def _signed_in_just_now_for_first_setup() -> bool:
    """A password sign-in within the re-authentication window, with no authenticator app at that time.

    Such a person has just proved the password, exactly what re-authentication would ask again; the
    window then also covers viewing the recovery codes made with the new authenticator.
    """
    from allauth.account import app_settings as account_settings
    from allauth.core import context

    request = context.request
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if request.session.get(AUTH_RECORDS_USER_KEY) != str(user.pk):
        return False
    records = request.session.get(AUTH_RECORDS_KEY, [])
    signed_in = max((r.get("at", 0) for r in records if r.get("method") == "password"), default=0)
    if signed_in < time.time() - account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    totp = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    return totp is None or totp.created_at.timestamp() >= signed_in


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators; nobody signs themselves up."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _("用户名或密码不正确。"),
        "invalid_login": _("用户名或密码不正确。"),
        "too_many_login_attempts": _("登录失败次数过多，请稍后再试。"),
        "incorrect_password": _("密码不正确。"),
        "incorrect_code": _("验证码不正确。"),
        "enter_current_password": _("请输入当前密码。"),
    }

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _signed_in_just_now_for_first_setup():
            # Setting up the first authenticator right after typing the password (as the MFA
            # requirement forces) should not ask for the password a second time.
            return False
        return required

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth prefixes the host name; drop it so one username has one lockout counter.
        return login_key(credentials.get("username", ""))

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            username = credentials.get("username", "")
            minutes = max(lockout_minutes_left(request, username=username), 1)
            sign_in_failure_audit(username=username, result="locked")
            raise ValidationError(
                gettext("登录失败次数过多，该账户已暂时锁定，请 %(minutes)s 分钟后再试。")
                % {"minutes": minutes},
                code="too_many_login_attempts",
            ) from None

    def authentication_failed(self, request, **credentials):
        username = credentials.get("username", "")
        sign_in_failure_audit(username=username, result="failed")
        self._seedling_failure_note = self._failure_note(request, username)

    def _failure_note(self, request, username: str) -> str:
        left = attempts_left(request, username=username)
        if left is None:
            return ""
        if left == 0:
            minutes = max(lockout_minutes_left(request, username=username), 1)
            return gettext("失败次数过多，该账户已暂时锁定，请 %(minutes)s 分钟后再试。") % {
                "minutes": minutes
            }
        return gettext("再失败 %(left)s 次，该账户将被锁定 %(minutes)s 分钟。") % {
            "left": left,
            "minutes": lockout_window_minutes(),
        }

    def validation_error(self, code, *args):
        error = super().validation_error(code, *args)
        note = getattr(self, "_seedling_failure_note", "")
        if code == "username_password_mismatch" and note:
            return ValidationError([error, ValidationError(note, code=code)])
        return error


class MfaAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (AES-GCM, like identity numbers)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _("您的角色必须使用两步验证，不能停用验证器应用。"),
        "incorrect_code": _("验证码不正确。"),
    }

    def encrypt(self, text: str) -> str:
        return encrypt_text(text, context="mfa.secret")

    def decrypt(self, encrypted_text: str) -> str:
        # Secrets saved before encryption was switched on are base32/hex, which never contain ":".
        if ":" not in encrypted_text:
            return encrypted_text
        return decrypt_text(encrypted_text, context="mfa.secret")

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
