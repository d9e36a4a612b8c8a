"""The public screening pages at /s/<token>/: no sign-in, made for a child on a cheap phone.

Anonymous campaign: the form at once; nothing identifies the child. Identified campaign: the child
types the personal code (POSTed, never in the URL), then fills the form; a child under 14 needs a
guardian's consent first. The window is enforced with a plain message before and after. The result
page is kind and non-clinical, with the area's hotlines for orange/red or any critical answer.

Shared devices (a school lab, a family phone): no page here is cached, and the result page is shown
once. Which answer the result page shows is kept in a short-lived signed cookie of that campaign's
path, never in the server session, so no server-side row ever holds an anonymous answer next to an
identified one. The session holds only the invitation whose code was accepted, until the answer is in.
"""

import io
import uuid

import segno
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from seedling.core import clock
from seedling.core.request_context import current_request
from seedling.portal.selectors import hotlines_for

from . import campaign_selectors as selectors
from . import rules, screening, services
from .forms_campaigns import CodeForm
from .models import Campaign, Invitation, Response
from .submission import data_from_post
from .views import fill_context, fill_language, started_at_from, started_now

PORTAL_PATH = "/portal/"  # the anonymous self-check (portal app), linked by path
DONE_SECONDS = 5 * 60  # the result page can be opened this long after the answer, and only once
ATTEMPT_WINDOW = 15 * 60  # wrong personal codes are counted over this many seconds


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _invitation_key(campaign: Campaign) -> str:
    return f"screening:{campaign.pk}:invitation"


def _failures_key(campaign: Campaign) -> str:
    return f"screening:{campaign.pk}:code-failures"


def _done_cookie(campaign: Campaign) -> str:
    return f"screening_done_{campaign.pk}"


def _done_salt(campaign: Campaign) -> str:
    return f"seedling.screening.done:{campaign.pk}"


def _public_path(campaign: Campaign) -> str:
    return reverse("screening:entry", kwargs={"token": campaign.token})


def _done_mark(http_response, campaign: Campaign, answer: Response):
    """Remember, in this browser only and for a few minutes, which answer the result page shows."""
    http_response.set_signed_cookie(
        _done_cookie(campaign),
        str(answer.uuid),
        salt=_done_salt(campaign),
        max_age=DONE_SECONDS,
        path=_public_path(campaign),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return http_response


def _done_forget(request, http_response, campaign: Campaign):
    if _done_cookie(campaign) in request.COOKIES:
        http_response.delete_cookie(_done_cookie(campaign), path=_public_path(campaign), samesite="Lax")
    return http_response


def _done_answer(request, campaign: Campaign) -> Response | None:
    value = request.get_signed_cookie(
        _done_cookie(campaign), default=None, salt=_done_salt(campaign), max_age=DONE_SECONDS
    )
    try:
        answer_uuid = uuid.UUID(value or "")
    except ValueError:
        return None
    return Response.objects.filter(campaign=campaign, uuid=answer_uuid).first()


def _campaign(token: str) -> Campaign:
    campaign = selectors.campaign_by_token(token=token)
    if campaign is None:
        raise Http404
    return campaign


def _window_page(request, campaign: Campaign, exc: screening.ScreeningRefused):
    return render(request, "assessments/screening_closed.html", {"campaign": campaign, "message": str(exc)})


def respondent_context(campaign: Campaign, response: Response) -> dict:
    """The kind result page: a message chosen by band (never its clinical label) and, for orange/red
    or a critical answer, the hotlines of the campaign's area at once."""
    hotlines = []
    if rules.shows_hotlines(response.band, response.action, response.score):
        english = get_language().startswith("en")
        hotlines = [
            {
                "name": h.name_en if english else h.name_zh,
                "number": h.number,
                "hours": h.hours_en if english else h.hours_zh,
            }
            for h in hotlines_for(area_code=campaign.area_id)
        ]
    return {
        "campaign": campaign,
        "feedback": rules.feedback_kind(response.band, response.action, response.score),
        "hotlines": hotlines,
        "anonymous": campaign.anonymous,
        "portal_url": PORTAL_PATH,
    }


def _address_key(campaign: Campaign) -> str:
    info = current_request.get()
    return f"screening:code-failures:{campaign.pk}:{(info.ip if info else '') or '-'}"


def _session_failures(request, campaign: Campaign) -> int:
    count, since = request.session.get(_failures_key(campaign), (0, 0))
    return count if clock.now().timestamp() - since < ATTEMPT_WINDOW else 0


def _too_many_attempts(request, campaign: Campaign) -> bool:
    # Two limits: a few wrong codes per browser session, so one pupil cannot lock out classmates behind
    # the school's single NAT address; and a high one per address and campaign against a guesser who
    # throws the session away (guessing one of ~50 codes among 31^8 still takes millions of tries).
    if _session_failures(request, campaign) >= _setting("SEEDLING_SCREENING_CODE_SESSION_ATTEMPTS", 5):
        return True
    return cache.get(_address_key(campaign), 0) >= _setting("SEEDLING_SCREENING_CODE_ATTEMPTS", 200)


def _count_failure(request, campaign: Campaign) -> None:
    key = _address_key(campaign)
    cache.add(key, 0, timeout=ATTEMPT_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=ATTEMPT_WINDOW)
    count = _session_failures(request, campaign)
    since = request.session.get(_failures_key(campaign), (0, 0))[1] if count else clock.now().timestamp()
    request.session[_failures_key(campaign)] = (count + 1, since)


def _refused_page(request, campaign: Campaign, exc: screening.ScreeningRefused):
    if exc.reason == exc.WINDOW:
        return _window_page(request, campaign, exc)
    return render(
        request,
        "assessments/screening_refused.html",
        {"campaign": campaign, "message": str(exc), "reason": exc.reason, "portal_url": PORTAL_PATH},
    )


@never_cache
def entry(request, token: str):
    """The public link: the anonymous form, or the personal-code page of an identified campaign."""
    campaign = _campaign(token)
    try:
        screening.window_check(campaign)
    except screening.ScreeningRefused as exc:
        return _window_page(request, campaign, exc)
    if campaign.anonymous:
        return _anonymous_fill(request, campaign)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "GET":
        # A shared computer in the school's lab: the next child starts clean.
        request.session.pop(_invitation_key(campaign), None)
    elif _too_many_attempts(request, campaign):
        form.add_error("code", _("尝试次数太多了。请过 15 分钟再试，或者请老师帮忙。"))
        status = 429
    elif form.is_valid():
        invitation = selectors.invitation_for_code(campaign=campaign, code=form.cleaned_data["code"])
        if invitation is None:
            _count_failure(request, campaign)
            form.add_error("code", _("邀请码不对，请对照纸条再输入一次（只有大写字母和数字）。"))
            status = 400
        else:
            try:
                screening.invitation_start(invitation=invitation)
            except screening.ScreeningRefused as exc:
                return _refused_page(request, campaign, exc)
            request.session.cycle_key()  # a fresh session id once a code is accepted
            request.session[_invitation_key(campaign)] = invitation.pk
            return _done_forget(request, redirect("screening:fill", token=token), campaign)
    page = render(
        request, "assessments/screening_code.html", {"campaign": campaign, "form": form}, status=status
    )
    return _done_forget(request, page, campaign) if request.method == "GET" else page


def _anonymous_fill(request, campaign: Campaign):
    # Nothing of an anonymous answer goes into the server session (it may hold an identified one).
    version = campaign.questionnaire_version
    language = fill_language(request, version.spec)
    data, errors, status, started = None, {}, 200, started_now()
    if request.method == "POST":
        try:
            answer = screening.campaign_response_submit(
                campaign=campaign,
                data=data_from_post(version.spec, request.POST),
                language=language,
                started_at=started_at_from(request.POST.get("__started", "")),
            )
        except services.ResponseRefused as refused:
            data, errors, status = refused.checked.data, refused.checked.errors, 400
            started = request.POST.get("__started", started)
        except screening.ScreeningRefused as exc:
            return _window_page(request, campaign, exc)
        else:
            return _done_mark(redirect("screening:done", token=campaign.token), campaign, answer)
    context = fill_context(version=version, language=language, data=data, errors=errors, started=started)
    context["campaign"] = campaign
    page = render(request, "assessments/screening_fill.html", context, status=status)
    return _done_forget(request, page, campaign) if request.method == "GET" else page


@never_cache
def fill(request, token: str):
    """The form of an identified campaign, for the invitation whose code this session entered."""
    campaign = _campaign(token)
    invitation_key = _invitation_key(campaign)
    invitation = Invitation.objects.filter(
        campaign=campaign, pk=request.session.get(invitation_key) or 0
    ).first()
    if campaign.anonymous or invitation is None:
        return redirect("screening:entry", token=token)
    try:
        # The respondent's own page (reached only with an accepted code): opening it is taking part.
        invitation = screening.invitation_start(invitation=invitation)
    except screening.ScreeningRefused as exc:
        request.session.pop(invitation_key, None)
        return _refused_page(request, campaign, exc)
    version = campaign.questionnaire_version
    language = fill_language(request, version.spec)
    data, errors, status, started = None, {}, 200, started_now()
    if request.method == "POST":
        try:
            answer = screening.campaign_response_submit(
                campaign=campaign,
                invitation=invitation,
                data=data_from_post(version.spec, request.POST),
                language=language,
                started_at=started_at_from(request.POST.get("__started", "")),
            )
        except services.ResponseRefused as refused:
            data, errors, status = refused.checked.data, refused.checked.errors, 400
            started = request.POST.get("__started", started)
        except screening.ScreeningRefused as exc:
            request.session.pop(invitation_key, None)
            return _window_page(request, campaign, exc)
        else:
            request.session.pop(invitation_key, None)  # the screening has ended for this browser
            return _done_mark(redirect("screening:done", token=token), campaign, answer)
    context = fill_context(version=version, language=language, data=data, errors=errors, started=started)
    context.update({"campaign": campaign, "identified": True})
    return render(request, "assessments/screening_fill.html", context, status=status)


@never_cache
def done(request, token: str):
    """The result page of this browser's answer, once (kind words, and hotlines when they are needed).

    Reloading it, the back button or the next child on the same device lands on the start page.
    """
    campaign = _campaign(token)
    request.session.pop(_invitation_key(campaign), None)
    answer = _done_answer(request, campaign)
    if answer is None:
        return _done_forget(request, redirect("screening:entry", token=token), campaign)
    context = respondent_context(campaign, answer)
    context["again_url"] = reverse("screening:entry", kwargs={"token": token})
    return _done_forget(request, render(request, "assessments/screening_done.html", context), campaign)


@never_cache
@require_POST
def leave(request, token: str):
    """Forget this browser's code and result (the next child on a shared device starts clean)."""
    campaign = _campaign(token)
    request.session.pop(_invitation_key(campaign), None)
    return _done_forget(request, redirect("screening:entry", token=token), campaign)


def qr(request, token: str):
    """The QR code of the public link, as SVG, drawn by the app (segno; no outside service)."""
    campaign = _campaign(token)
    url = request.build_absolute_uri(reverse("screening:entry", kwargs={"token": campaign.token}))
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=6, border=2, xmldecl=False)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response
