"""Pages of the assessments app: the list of forms, the fill page, the confirmation.

Thin: parse the request, call a selector or service, render. The fill page works for XLSForm
questionnaires and instruments alike; the server checks every submission again.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from seedling.core import clock

from . import scoring, selectors, services
from .formview import choose_language, form_view, initial_data
from .submission import data_from_post, text_in


@login_required
def questionnaire_index(request):
    """Instruments and questionnaires that can be filled."""
    rows = [(q, q.current_version()) for q in selectors.questionnaire_list()]
    return render(request, "assessments/index.html", {"rows": rows})


def started_at_from(raw: str):
    """The moment the form was first shown (a hidden field), if it is a plausible aware past moment."""
    try:
        started = datetime.datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    if timezone.is_naive(started):
        return None
    return started if started <= clock.now() else None


def started_now() -> str:
    return timezone.localtime(clock.now()).isoformat(timespec="seconds")


def fill_language(request, spec: dict) -> str:
    return choose_language(spec, request.POST.get("__lang") or request.GET.get("lang", ""), get_language())


def fill_context(*, version, language: str, data: dict | None, errors: dict, started: str) -> dict:
    """What assessments/fill.html needs: the render tree of the form with its answers and errors."""
    spec = version.spec
    env = services.submission_env()
    return {
        "version": version,
        "spec": spec,
        "title": text_in(spec.get("title"), language),
        "language": language,
        "languages": spec.get("languages", []),
        "nodes": form_view(spec, initial_data(spec) if data is None else data, errors, language, env),
        "errors": errors,
        "started": started,
        "env": env,
        "is_instrument": version.instrument_version_id is not None,
    }


@login_required
def questionnaire_fill(request, version_id: int):
    """Fill a questionnaire version (GET shows it; POST checks on the server and stores it)."""
    version = selectors.questionnaire_version_get(pk=version_id)
    if version is None:
        raise Http404
    language = fill_language(request, version.spec)
    data, errors, status, started = None, {}, 200, started_now()
    if request.method == "POST":
        posted = data_from_post(version.spec, request.POST)
        try:
            response = services.response_submit(
                version=version,
                data=posted,
                language=language,
                user=request.user,
                started_at=started_at_from(request.POST.get("__started", "")),
            )
        except services.ResponseRefused as refused:
            data, errors, status = refused.checked.data, refused.checked.errors, 400
            started = request.POST.get("__started", started)
        else:
            return redirect("assessments:response_done", uuid=response.uuid)
    context = fill_context(version=version, language=language, data=data, errors=errors, started=started)
    return render(request, "assessments/fill.html", context, status=status)


def score_explained(response) -> dict:
    """The score of an instrument response in the reader's language: scales, band label, action, reasons."""
    reasons, scales, band_label = [], [], ""
    if response.score and response.instrument_version:
        definition = response.instrument_version.definition
        lang = "en" if get_language().startswith("en") else "zh"
        names = {s["id"]: s["name"][lang] for s in definition.get("subscales", [])}
        names["total"] = _("总分")
        reasons = [scoring.reason_text(r, get_language(), names) for r in response.score["reasons"]]
        scales = [(names.get(k, k), v) for k, v in response.score["scales"].items()]
        primary = response.score["bands"].get("total") or next(iter(response.score["bands"].values()), None)
        band_label = primary["label"][lang] if primary else ""
    action = ""
    if response.action:
        action = scoring.action_label(response.action, (response.score or {}).get("within_days"))
    return {"reasons": reasons, "band_label": band_label, "scales": scales, "action": action}


@login_required
def response_done(request, uuid):
    """Confirmation after submitting; for an instrument, the score, band and the reasons."""
    response = selectors.response_own_get(user=request.user, uuid=uuid)
    if response is None:
        raise Http404
    context = {
        "response": response,
        "title": text_in(response.questionnaire_version.spec.get("title"), response.language),
        **score_explained(response),
    }
    return render(request, "assessments/done.html", context)
