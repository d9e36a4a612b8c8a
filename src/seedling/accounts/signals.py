"""Sign-ins go into the access log (审计日志), including refused second factors."""

from allauth.account.signals import user_logged_in
from allauth.mfa.signals import authentication_failed
from django.dispatch import receiver

from .audit import AUTH_RECORDS_KEY, sign_in_audit


def _second_factor(request) -> str:
    session = getattr(request, "session", None)
    records = session.get(AUTH_RECORDS_KEY, []) if session is not None else []
    types = [r.get("type", "") for r in records if r.get("method") == "mfa"]
    return types[-1] if types else ""


@receiver(user_logged_in, dispatch_uid="seedling_login_audit")
def audit_sign_in(sender, request, user, **kwargs):
    sign_in_audit(user=user, result="success", mfa=_second_factor(request))


@receiver(authentication_failed, dispatch_uid="seedling_mfa_failure_audit")
def audit_second_factor_failure(sender, request, user, reauthentication=False, **kwargs):
    sign_in_audit(user=user, result="mfa_failed", reauthentication=bool(reauthentication))
