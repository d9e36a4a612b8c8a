""" "Talk to a counsellor" (找心理辅导员聊聊): a short form that becomes a request for a counsellor.

"I am not safe right now" makes the request urgent and puts the hotlines at the top at once, before
and after sending.

Hourly limits (throttle.py), so that a flood cannot use up the counsellors or bury a real request:
- per session (SEEDLING_PORTAL_HELP_REQUESTS_PER_HOUR): the form gives way to a message and the
  hotlines, as for anyone who has just written several times;
- per client address and per area (…_PER_ADDRESS_HOUR, …_PER_AREA_HOUR; a client that drops its
  cookie still meets them): the form stays, with a kind message and the hotlines first. A request
  that is not urgent is refused (429) and keeps what was typed; an urgent one ("I am not safe", or
  a shared self-check that calls for help) is never turned away: it is accepted as usual, flagged
  (portal.HelpRequestFlag) and the county officers get one task per hour about the surge.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from seedling.counselling.models import HelpRequest

from .. import rules, selectors, services, throttle
from ..forms import TalkForm
from ..visitor import Visitor
from .common import english, portal_render


def _shared_check(visitor: Visitor, uuid) -> object | None:
    """A self-check of this session (only its own: another session's uuid is ignored)."""
    if not uuid or not visitor.owns_check(uuid):
        return None
    return selectors.self_check_responses(uuids=[str(uuid)]).get(str(uuid))


def _kind(response) -> str:
    if response is None:
        return ""
    return rules.feedback_kind(band=response.band, action=response.action, score=response.score)


def _urgent_check(response) -> bool:
    return _kind(response) == "urgent"


def _needs_help(response) -> bool:
    return _kind(response) in ("urgent", "support")


def _urgent(form: TalkForm, shared) -> bool:
    data = form.cleaned_data
    return bool(data["not_safe"]) or _urgent_check(shared if data["share_check"] else None)


def _limit_area(visitor: Visitor, invitation) -> str:
    """The county whose hourly cap a request counts against: the child's (signed in), else the chosen."""
    return invitation.child.area_id[:6] if invitation is not None else visitor.area_code


def _send(form: TalkForm, visitor: Visitor, shared, invitation, *, urgent: bool, over_limit: str):
    """The request from a valid form, or None with the problems put on the form."""
    data = form.cleaned_data
    response = shared if data["share_check"] else None
    if not data["message"].strip() and not urgent and response is None:
        form.add_error("message", _("请写下你想说的话，或者勾选“我现在不安全”。"))
        return None
    try:
        help_request = services.portal_help_request_send(
            area=visitor.area,
            requester=data["requester"],
            message=data["message"],
            contact_name=data["contact_name"],
            contact=data["contact"],
            language=data["language"],
            urgent=urgent,
            response=response,
            invitation=invitation,
            over_limit=over_limit,
        )
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
    visitor.talk_add(request_pk=help_request.pk, urgent=urgent, has_contact=bool(data["contact"]))
    return help_request


@never_cache
def talk(request):
    """The form; anonymous visitors choose their county first, so the request reaches someone near."""
    visitor = Visitor(request)
    invitation = visitor.invitation
    if invitation is None and visitor.area is None:
        return redirect(reverse("portal:area") + "?" + urlencode({"next": request.get_full_path()}))
    limit = throttle.help_requests_per_hour()
    throttled = len(visitor.talk_times()) >= limit
    ip, area_code = throttle.client_ip(request), _limit_area(visitor, invitation)
    crowded = throttle.help_requests_over(ip=ip, area_code=area_code)
    check_uuid = request.POST.get("check") or request.GET.get("check") or ""
    shared = _shared_check(visitor, check_uuid)
    initial = {
        "language": "en" if english() else "zh",
        "requester": invitation.holder if invitation else (visitor.profile.get("who") or "child"),
        "check": shared.uuid if shared else None,
        "share_check": shared is not None,
    }
    status = 200
    form = TalkForm(request.POST if request.method == "POST" and not throttled else None, initial=initial)
    if request.method == "POST":
        status = 429 if throttled else 400
    if form.is_bound and form.is_valid():
        urgent = _urgent(form, shared)
        if crowded and not urgent:
            status = 429  # refused with the message and the lines; what they typed stays in the form
        else:
            sent = _send(form, visitor, shared, invitation, urgent=urgent, over_limit=crowded)
            if sent is not None:
                throttle.help_request_counted(ip=ip, area_code=area_code)
                return redirect("portal:talk_done")
    return portal_render(
        request,
        "portal/talk.html",
        {
            "form": form,
            "throttled": throttled,
            "limit": limit,
            "crowded": crowded,
            "shared": shared,
            # Ticked "not safe", or came from a self-check that called for help: the lines come first.
            "hotlines_first": throttled
            or bool(crowded)
            or (form.is_bound and bool(form.data.get("not_safe")))
            or _needs_help(shared),
        },
        status=status,
        visitor=visitor,
    )


@never_cache
def talk_done(request):
    """What happens next, honestly: a counsellor contacts you if you left a contact; else the hotlines."""
    visitor = Visitor(request)
    last = visitor.talk_last()
    if last is None:
        return redirect("portal:home")
    help_request = HelpRequest.objects.filter(pk=last.get("pk")).only("status", "counsellor_id").first()
    assigned = help_request is not None and help_request.counsellor_id is not None
    return portal_render(
        request,
        "portal/talk_done.html",
        {
            "urgent": bool(last.get("urgent")),
            "has_contact": bool(last.get("has_contact")),
            "assigned": assigned,
        },
        visitor=visitor,
    )
