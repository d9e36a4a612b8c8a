"""Sign-in with an invitation code (邀请码登录), "my page", sign-out. No account, no password.

Failed attempts are counted per session and per client address in the cache; the answer never says
whether a code exists (unknown, expired and revoked codes get the same message).
"""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import rules, selectors, services, throttle
from ..forms import SigninForm
from ..visitor import Visitor
from .common import portal_render


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()  # a first visit has no key yet; the counter needs one
    return request.session.session_key


@never_cache
def signin(request):
    visitor = Visitor(request)
    if visitor.invitation is not None and request.method == "GET":
        return redirect("portal:me")
    form = SigninForm(request.POST or None)
    status, blocked = 200, False
    if request.method == "POST":
        key, ip = _session_key(request), throttle.client_ip(request)
        if throttle.signin_blocked(session_key=key, ip=ip):
            blocked, status, form = True, 429, SigninForm()
        elif form.is_valid():
            invitation = services.portal_signin(code=form.cleaned_data["code"])
            if invitation is not None:
                visitor.sign_in(invitation)
                return redirect("portal:me")
            throttle.signin_failed(session_key=key, ip=ip)
            form.add_error(
                "code", _("邀请码不正确或已经失效。请检查后再试，或者请给你邀请码的老师、儿童主任再发一个。")
            )
            status = 400
        else:
            status = 400
    return portal_render(
        request,
        "portal/signin.html",
        {"form": form, "blocked": blocked, "minutes": throttle.signin_window_minutes()},
        status=status,
        visitor=visitor,
    )


@require_POST
def signout(request):
    Visitor(request).sign_out()
    return redirect("portal:home")


@never_cache
def me(request):
    """Signed in: a greeting, the status of my requests for a counsellor, my self-checks this session."""
    visitor = Visitor(request)
    invitation = visitor.invitation
    if invitation is None:
        return redirect("portal:signin")
    rows = visitor.signed_in_checks()
    responses = selectors.self_check_responses(uuids=[r["uuid"] for r in rows])
    history = []
    for row in reversed(rows):
        response = responses.get(row.get("uuid"))
        check = rules.SELF_CHECK_BY_CODE.get(row.get("code", ""))
        if response is None or check is None:
            continue
        kind = rules.feedback_kind(band=response.band, action=response.action, score=response.score)
        history.append({"response": response, "check": check, "kind": kind})
    return portal_render(
        request,
        "portal/me.html",
        {"requests": selectors.invitation_requests(invitation=invitation), "history": history},
        visitor=visitor,
    )
