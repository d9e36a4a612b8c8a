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

from . import scoring, selectors, services
from .formview import choose_language, form_view, initial_data
from .submission import data_from_post, text_in


@login_required
def questionnaire_index(request):
    """Instruments and questionnaires that can be filled."""
    rows = [(q, q.current_version()) for q in selectors.questionnaire_list()]
    return render(request, "assessments/index.html", {"rows": rows})


def _started_at(raw: str):
    try:
        started = datetime.datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    if timezone.is_naive(started):
        return None
    return started if started <= timezone.now() else None


@login_required
def questionnaire_fill(request, version_id: int):
    """Fill a questionnaire version (GET shows it; POST checks on the server and stores it)."""
    version = selectors.questionnaire_version_get(pk=version_id)
    if version is None:
        raise Http404
    spec = version.spec
    language = choose_language(
        spec, request.POST.get("__lang") or request.GET.get("lang", ""), get_language()
    )
    env = services.submission_env()
    errors: dict = {}
    status = 200
    started = timezone.localtime().isoformat(timespec="seconds")
    if request.method == "POST":
        data = data_from_post(spec, request.POST)
        started_at = _started_at(request.POST.get("__started", ""))
        try:
            response = services.response_submit(
                version=version, data=data, language=language, user=request.user, started_at=started_at
            )
        except services.ResponseRefused as refused:
            data, errors, status = refused.checked.data, refused.checked.errors, 400
            started = request.POST.get("__started", started)
        else:
            return redirect("assessments:response_done", uuid=response.uuid)
    else:
        data = initial_data(spec)
    context = {
        "version": version,
        "spec": spec,
        "title": text_in(spec.get("title"), language),
        "language": language,
        "languages": spec.get("languages", []),
        "nodes": form_view(spec, data, errors, language, env),
        "errors": errors,
        "started": started,
        "env": env,
        "is_instrument": version.instrument_version_id is not None,
    }
    return render(request, "assessments/fill.html", context, status=status)


@login_required
def response_done(request, uuid):
    """Confirmation after submitting; for an instrument, the score, band and the reasons."""
    response = selectors.response_own_get(user=request.user, uuid=uuid)
    if response is None:
        raise Http404
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
    context = {
        "response": response,
        "title": text_in(response.questionnaire_version.spec.get("title"), response.language),
        "reasons": reasons,
        "band_label": band_label,
        "scales": scales,
        "action": scoring.action_label(response.action, response.score.get("within_days"))
        if response.action
        else "",
    }
    return render(request, "assessments/done.html", context)
