"""Two-step verification is required for every role above the configured level (default: above
village). A signed-in person who needs it but has no authenticator app yet can reach only the
activation page, sign-out, re-authentication, the language switch and static files.

Users who already have TOTP are asked for a code by allauth at sign-in, so they pass straight through.
API calls with a token (issued by an administrator, `seedling token`) are not affected: DRF
authenticates the token after this middleware, and the session user seen here plays no part.
"""

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .mfa import has_totp, mfa_required

_OPEN_VIEWS = frozenset({"mfa_activate_totp", "account_logout", "account_reauthenticate", "set_language"})
# Public pages for children and guardians (no account needed): they use nothing of the signed-in staff
# member, so a counsellor without an authenticator yet can still show a child the self-check or link.
_PUBLIC_NAMESPACES = frozenset({"screening"})
_PORTAL_STAFF_VIEWS = frozenset(
    {"manage", "article_create", "article_edit", "article_publish", "hotline_create", "hotline_edit",
     "invitation_create", "invitation_revoke"}
)  # fmt: skip


def _is_public_page(match) -> bool:
    if match is None:
        return False
    if match.namespace in _PUBLIC_NAMESPACES:
        return True
    return match.namespace == "portal" and match.url_name not in _PORTAL_STAFF_VIEWS


def _is_token_api_call(request) -> bool:
    return request.path.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION", "").startswith(
        "Token "
    )


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path.startswith(settings.STATIC_URL) or _is_token_api_call(request):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in _OPEN_VIEWS and not match.namespace:
            return None
        if _is_public_page(match):
            return None
        if not mfa_required(user) or has_totp(user):
            return None
        return self._refuse(request)

    def _refuse(self, request):
        if request.path.startswith("/api/"):
            message = _("您的角色必须启用两步验证：请先在网页上设置验证器应用，或使用令牌访问接口。")
            return JsonResponse({"detail": message}, status=403)
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
