"""Self-checks (自测): anonymous use of the built-in instruments, with kind feedback at once.

Privacy: a self-check is the user's private check. The answers are stored as an anonymous response
(no child, no user, anonymous=True, only the county the user chose) and the access log gets no row.
Even when a child is signed in with an invitation code, the response is NOT put on the child's file
(Response.child stays None) and no table links the code to it. The list of this browser's checks
lives only in a signed cookie in the browser (see visitor.py), never in the server-side session that
holds the invitation id: it lets the browser open its own results and shows a signed-in child their
history until they sign out. A child who wants a counsellor to see a result sends it with a request
for a counsellor, by their own choice.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from seedling.assessments import services as assessment_services
from seedling.assessments import views as assessment_views
from seedling.assessments.formview import choose_language
from seedling.assessments.scoring import scale_items
from seedling.assessments.submission import data_from_post, text_in

from .. import rules, selectors, services
from ..forms import ProfileForm
from ..visitor import Visitor
from .common import english, portal_render


def checks(request):
    """Who are you (child with an age, or guardian) → the self-checks that suit you."""
    visitor = Visitor(request)
    profile = visitor.profile
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            visitor.profile_set(who=form.cleaned_data["who"], age=form.cleaned_data["age"])
            return redirect(reverse("portal:checks") + "#list")
        status = 400
    else:
        initial = {"who": profile.get("who"), "age": profile.get("age")} if profile else {}
        form, status = ProfileForm(initial=initial), 200
    pairs = selectors.self_check_list(who=profile["who"], age=profile.get("age")) if profile else []
    offered = [
        {"check": check, "version": version, "questions": _question_count(version.spec)}
        for check, version in pairs
    ]
    return portal_render(
        request,
        "portal/checks.html",
        {"form": form, "profile": profile, "offered": offered},
        status=status,
        visitor=visitor,
    )


def _question_count(spec: dict) -> int:
    return sum(1 for node in spec.get("children", []) if node.get("type") == "select_one")


@never_cache
def check_fill(request, code):
    """Fill a self-check with the same form partials and server check as the staff fill page."""
    visitor = Visitor(request)
    found = selectors.self_check_get(code=code)
    if found is None:
        raise Http404
    check, version = found
    spec = version.spec
    language = choose_language(spec, "en" if english() else "zh", get_language())
    errors: dict = {}
    status = 200
    started = assessment_views.started_now()
    data = None
    if request.method == "POST":
        data = data_from_post(spec, request.POST)
        try:
            response = services.self_check_submit(
                version=version,
                data=data,
                language=language,
                area=visitor.area,
                started_at=assessment_views.started_at_from(request.POST.get("__started", "")),
            )
        except assessment_services.ResponseRefused as refused:
            data, errors, status = refused.checked.data, refused.checked.errors, 400
            started = request.POST.get("__started", started)
        else:
            visitor.check_add(uuid=str(response.uuid), code=check.code)
            return redirect("portal:check_result", uuid=response.uuid)
    definition = version.instrument_version.definition
    lang = "en" if english() else "zh"
    return portal_render(
        request,
        "portal/check_fill.html",
        {
            **assessment_views.fill_context(
                version=version, language=language, data=data, errors=errors, started=started
            ),
            "check": check,
            "official_title": text_in(spec.get("title"), language),
            "licence": (definition.get("licence") or {}).get(lang, ""),
        },
        status=status,
        visitor=visitor,
    )


@never_cache
def check_result(request, uuid):
    """Kind feedback by band; for orange/red or a critical answer the hotlines come first, at once.

    Only the browser that made the check can open it (404 otherwise: nobody learns it exists).
    """
    visitor = Visitor(request)
    if not visitor.owns_check(uuid):
        raise Http404
    response = selectors.self_check_responses(uuids=[str(uuid)]).get(str(uuid))
    if response is None:
        raise Http404
    code = response.instrument_version.instrument.code
    check = rules.SELF_CHECK_BY_CODE.get(code)
    topic = check.topic if check else "feelings"
    invitation = visitor.invitation
    who = visitor.profile.get("who") or (invitation.holder if invitation else rules.CHILD)
    said = rules.feedback(
        band=response.band, action=response.action, score=response.score, topic=topic, who=who
    )
    scales = (response.score or {}).get("scales", {})
    definition = response.instrument_version.definition
    return portal_render(
        request,
        "portal/check_result.html",
        {
            "response": response,
            "check": check,
            "feedback": said,
            "total": scales.get("total"),
            "total_max": _total_max(definition),
            "articles": selectors.article_related(topic=topic, limit=4),
            "talk_url": reverse("portal:talk") + f"?check={response.uuid}",
        },
        visitor=visitor,
    )


def _total_max(definition: dict) -> int | None:
    """The highest total the instrument can give (shown next to the score, for the curious)."""
    members = scale_items(definition).get("total")
    if not members:
        return None
    items = {i["id"]: i for i in definition["items"]}
    return sum(max(o["value"] for o in definition["option_sets"][items[i]["options"]]) for i in members)
