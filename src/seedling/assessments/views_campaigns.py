"""Pages of screening campaigns for counsellors: list, create, progress, codes, in-person filling, consent.

Thin: parse, call a selector (area scope, access log) or a service (rules, audit), render. A campaign
outside the user's SCREEN/COUNSEL scope is 404; managing it needs SCREEN over its area.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.locking import StaleEdit

from . import campaign_selectors as selectors
from . import campaigns, consents, rules, screening, services
from .campaign_access import invitations_read
from .campaign_progress import campaign_progress, min_cell
from .forms_campaigns import CampaignForm, ConsentForm, WithdrawForm
from .models import Campaign, Invitation
from .submission import data_from_post
from .views import fill_context, fill_language, score_explained, started_at_from, started_now
from .views_public import respondent_context

STATES = [
    (selectors.AWAITING_CONSENT, gettext_lazy("待监护人同意")),
    (Invitation.Status.INVITED, gettext_lazy("未开始")),
    (Invitation.Status.STARTED, gettext_lazy("已开始")),
    (Invitation.Status.COMPLETED, gettext_lazy("已完成")),
    (Invitation.Status.EXCUSED, gettext_lazy("免于筛查")),
]


def _may_any(user) -> bool:
    return bool(user.area_prefixes(Action.SCREEN) or user.area_prefixes(Action.COUNSEL))


@login_required
def campaign_list(request):
    """Campaigns of the areas where the user screens or counsels (others have no such page)."""
    if not _may_any(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in Campaign.Status.values else ""
    rows = selectors.campaign_list(user=request.user, filters={"status": status})
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": rows[:200],
            "status": status,
            "statuses": Campaign.Status.choices,
            "may_create": bool(request.user.area_prefixes(Action.SCREEN)),
        },
    )


def _window_initial() -> dict:
    now = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + datetime.timedelta(days=7), "remind_every_days": 3}


@login_required
def campaign_create(request):
    """A new campaign (a draft until opened)."""
    if not request.user.area_prefixes(Action.SCREEN):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user, initial=_window_initial())
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaigns.campaign_create(user=request.user, fields=form.service_fields())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("筛查活动已保存为草稿。核对无误后请点击“开放”。"))
            return redirect("assessments:campaign_detail", pk=campaign.pk)
    return render(request, "assessments/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request, pk: int):
    """Edit a draft (a stale edit is refused with the other person's version)."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    campaigns.require_screen(request.user, campaign)
    initial = {name: getattr(campaign, name) for name in campaigns.CAMPAIGN_FIELDS}
    initial["version"] = campaign.version
    form = CampaignForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaigns.campaign_update(
                user=request.user,
                campaign=campaign,
                expected_version=form.cleaned_data.get("version") or campaign.version,
                fields=form.service_fields(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("assessments:campaign_detail", pk=campaign.pk)
    return render(request, "assessments/campaign_form.html", {"form": form, "campaign": campaign})


def public_url(request, campaign: Campaign) -> str:
    return request.build_absolute_uri(reverse("screening:entry", kwargs={"token": campaign.token}))


@login_required
def campaign_detail(request, pk: int):
    """Progress: invited / started / completed / awaiting consent (per class for a school), the bands,
    and every invitation with its state. Reading it is logged (it shows results)."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    rows = [] if campaign.anonymous else selectors.invitation_rows(campaign=campaign)
    progress = campaign_progress(campaign=campaign, rows=rows)
    selectors.campaign_results_read(
        user=request.user,
        campaign=campaign,
        shown=progress.responses,
        invitations=[row.invitation for row in rows],
    )
    state = rules.window_state(campaign.status, campaign.opens_at, campaign.closes_at, clock.now())
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "progress": progress,
            "states": [(code, label, progress.counts.get(code, 0)) for code, label in STATES],
            "state_labels": dict(STATES),
            "window": state,
            "may_manage": campaigns.may_screen(request.user, campaign.area_id),
            "public_url": public_url(request, campaign),
            "rescreens": list(campaign.rescreens.all()),
            "min_cell": min_cell(),
        },
    )


def _sheet(request, campaign: Campaign, codes) -> object:
    # The sheet names every child or student invited: a read of each, tied to the child.
    invitations_read(user=request.user, campaign=campaign, invitations=[c.invitation for c in codes], shown="codes")
    rows = []
    for issued in codes:
        inv = issued.invitation
        if inv.student_id:
            name, group = inv.student.name, inv.student.school_class.name
        else:
            name, group = inv.child.name, inv.child.area.name
        rows.append({"name": name, "group": group, "code": issued.display})
    response = render(
        request,
        "assessments/campaign_codes.html",
        {"campaign": campaign, "rows": rows, "public_url": public_url(request, campaign)},
    )
    response["Cache-Control"] = "no-store"  # the codes are shown once: no copy in any cache
    return response


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require_POST
@login_required
def campaign_open(request, pk: int):
    """Open: invite everyone and show the personal codes once, as a printable sheet."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    try:
        opened = campaigns.campaign_open(
            user=request.user, campaign=campaign, expected_version=_version(request)
        )
    except (ValidationError, StaleEdit) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("assessments:campaign_detail", pk=pk)
    if opened.codes:
        return _sheet(request, opened.campaign, opened.codes)
    messages.success(request, _("筛查已开放：请发布下面的链接或二维码。"))
    return redirect("assessments:campaign_detail", pk=pk)


@require_POST
@login_required
def campaign_close(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    try:
        campaigns.campaign_close(user=request.user, campaign=campaign, expected_version=_version(request))
    except (ValidationError, StaleEdit) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("筛查已结束，不再接收填写。"))
    return redirect("assessments:campaign_detail", pk=pk)


@require_POST
@login_required
def campaign_codes(request, pk: int):
    """New codes for everyone not yet done, or for one invitation (`invitation`); old codes stop working."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    only = None
    if request.POST.get("invitation"):
        try:
            only = [
                selectors.invitation_get(
                    user=request.user, campaign=campaign, pk=int(request.POST["invitation"])
                )
            ]
        except ValueError:
            raise Http404 from None
    try:
        codes = campaigns.invitation_codes_issue(user=request.user, campaign=campaign, invitations=only)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:campaign_detail", pk=pk)
    return _sheet(request, campaign, codes)


@require_POST
@login_required
def invitation_excuse(request, pk: int, invitation_pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    invitation = selectors.invitation_get(user=request.user, campaign=campaign, pk=invitation_pk)
    excused = request.POST.get("excused", "1") == "1"
    try:
        campaigns.invitation_excuse(user=request.user, invitation=invitation, excused=excused)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("assessments:campaign_detail", kwargs={"pk": pk}) + "#invitations")


@login_required
def invitation_fill(request, pk: int, invitation_pk: int):
    """The counsellor fills a student's form in person (SCREEN; consent and window rules apply as online).

    Looking at the form changes nothing; the invitation counts as started from the first answer sent.
    """
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    campaigns.require_screen(request.user, campaign)
    invitation = selectors.invitation_get(user=request.user, campaign=campaign, pk=invitation_pk)
    back = reverse("assessments:campaign_detail", kwargs={"pk": pk})
    try:
        screening.invitation_check(invitation=invitation)
    except screening.ScreeningRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    version = campaign.questionnaire_version
    language = fill_language(request, version.spec)
    data, errors, status, started = None, {}, 200, started_now()
    if request.method == "POST":
        try:
            response = screening.campaign_response_submit(
                campaign=campaign,
                invitation=invitation,
                data=data_from_post(version.spec, request.POST),
                language=language,
                user=request.user,
                started_at=started_at_from(request.POST.get("__started", "")),
            )
        except services.ResponseRefused as refused:
            data, errors, status = refused.checked.data, refused.checked.errors, 400
            started = request.POST.get("__started", started)
            try:
                screening.invitation_start(invitation=invitation)  # answers were given: taking part
            except screening.ScreeningRefused as exc:
                messages.error(request, str(exc))
                return redirect(back)
        except screening.ScreeningRefused as exc:
            messages.error(request, str(exc))
            return redirect(back)
        else:
            context = respondent_context(campaign, response)
            context["back_url"] = back
            context["result_url"] = reverse("assessments:screening_result", kwargs={"uuid": response.uuid})
            return render(request, "assessments/screening_done.html", context)
    invitations_read(user=request.user, campaign=campaign, invitations=[invitation], shown="fill")
    context = fill_context(version=version, language=language, data=data, errors=errors, started=started)
    context.update(
        {"campaign": campaign, "subject": selectors.subject_child(invitation) or invitation.student}
    )
    return render(request, "assessments/screening_fill.html", context, status=status)


@login_required
def invitation_consent(request, pk: int, invitation_pk: int):
    """A guardian's consent for an invitation's child: the consents on record, and a form to add one."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    campaigns.require_screen(request.user, campaign)
    invitation = selectors.invitation_get(user=request.user, campaign=campaign, pk=invitation_pk)
    form = ConsentForm(request.POST or None, initial={"given_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        in_campaign = form.cleaned_data["scope"] == ConsentForm.SCOPE_CAMPAIGN
        try:
            consents.consent_record(
                user=request.user,
                fields=form.service_fields(),
                student=invitation.student,
                child=None if invitation.student_id else invitation.child,
                campaign=campaign if in_campaign else None,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已记录监护人同意。"))
            return redirect(reverse("assessments:campaign_detail", kwargs={"pk": pk}) + "#invitations")
    subject_child = selectors.subject_child(invitation)
    on_file = selectors.consent_list(
        user=request.user, student=invitation.student, child=None if invitation.student_id else subject_child
    )
    birth = selectors.subject_birth_date(invitation)
    invitations_read(user=request.user, campaign=campaign, invitations=[invitation], shown="consent")
    return render(
        request,
        "assessments/consent_form.html",
        {
            "campaign": campaign,
            "invitation": invitation,
            "name": invitation.student.name if invitation.student_id else invitation.child.name,
            "age": rules.age_on(birth, clock.today()) if birth else None,
            "needs_consent": rules.needs_guardian_consent(birth, clock.today()),
            "form": form,
            "consents": on_file,
            "withdraw_form": WithdrawForm(),
        },
    )


@require_POST
@login_required
def consent_withdraw(request, pk: int):
    consent = selectors.consent_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        consents.consent_withdraw(user=request.user, consent=consent, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已撤回同意：该儿童今后不能再参加实名筛查，除非重新取得同意。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("assessments:campaign_list")
    return redirect(back)


@login_required
def screening_result(request, uuid):
    """One identified result for the counsellor: score, band, reasons, action (logged)."""
    response = selectors.screening_result_get(user=request.user, uuid=uuid)
    invitation = getattr(response, "invitation", None)
    return render(
        request,
        "assessments/screening_result.html",
        {
            "response": response,
            "invitation": invitation,
            "name": (
                response.child.name
                if response.child_id
                else (invitation.student.name if invitation and invitation.student_id else "")
            ),
            **score_explained(response),
        },
    )
