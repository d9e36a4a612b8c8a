"""Access-log rows for sign-ins (登录): the username, the outcome and the second factor used; never the
password, the code, or anything else about the person."""

from seedling.core.audit import audit_log
from seedling.core.models import AccessLog

# allauth keeps the steps of the current sign-in (password, mfa...) in the session under these keys.
AUTH_RECORDS_KEY = "account_authentication_methods"
AUTH_RECORDS_USER_KEY = "account_authentication_methods_user"


def home_area(user) -> str:
    """The user's widest area, so the auditors of that area see their own staff's sign-ins."""
    codes = [m.area_code for m in user.active_memberships()]
    return min(codes, key=len) if codes else ""


def sign_in_audit(*, user, result: str, **detail) -> AccessLog:
    """One access-log row for a sign-in event (success, failed, locked, mfa_failed)."""
    return audit_log(
        user=user,
        action=AccessLog.Action.LOGIN,
        area_code=home_area(user) if user is not None else "",
        detail={"result": result, **detail},
    )


def sign_in_failure_audit(*, username: str, result: str) -> AccessLog:
    """A refused sign-in. A username that matches no account is not stored: people sometimes type
    their password into the username box."""
    from .models import User

    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    if user is None:
        return sign_in_audit(user=None, result=result, unknown_user=True)
    return sign_in_audit(user=user, result=result)
