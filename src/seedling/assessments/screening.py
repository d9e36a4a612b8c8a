"""Writes of taking part in a screening: start an invitation, submit a campaign's response.

The window is enforced here (not only on the page); identified screening of a child under 14 needs an
active guardian consent (PIPL Art. 31); a response of an identified campaign goes into the child's
file when the student is linked to one at the moment of the answer (the link as it is then, never a
copy taken when the campaign opened), and its band opens the counsellor's tasks.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from seedling.core import clock

from . import rules, screening_actions, services
from .campaign_selectors import consent_missing, subject_child
from .models import Campaign, Invitation, Response


class ScreeningRefused(Exception):
    """The campaign does not take this answer now; `reason` for the page, the message for people."""

    WINDOW = "window"
    CONSENT = "consent"
    COMPLETED = "completed"
    EXCUSED = "excused"

    def __init__(self, reason: str, message: str, state: str = ""):
        self.reason, self.state = reason, state
        super().__init__(message)


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def window_message(campaign: Campaign, state: str) -> str:
    """Why a campaign takes no answers now, in plain words for a child."""
    if state == rules.Window.DRAFT:
        return _("这次筛查还没有开放，请等老师通知。")
    if state == rules.Window.NOT_YET:
        return _("这次筛查将于 %(when)s 开始，请到时再来。") % {"when": _when(campaign.opens_at)}
    return _("这次筛查已经结束（截止时间 %(when)s），谢谢你的关注。") % {
        "when": _when(min(campaign.closes_at, campaign.closed_at or campaign.closes_at))
    }


def window_check(campaign: Campaign) -> None:
    """Raise ScreeningRefused unless the campaign is open and inside its window now."""
    state = rules.window_state(campaign.status, campaign.opens_at, campaign.closes_at, clock.now())
    if state != rules.Window.OPEN:
        raise ScreeningRefused(ScreeningRefused.WINDOW, window_message(campaign, state), state)


def _may_take_part(invitation: Invitation) -> None:
    if invitation.status == Invitation.Status.COMPLETED:
        raise ScreeningRefused(ScreeningRefused.COMPLETED, _("你已经完成了这次筛查，谢谢你！"))
    if invitation.status == Invitation.Status.EXCUSED:
        raise ScreeningRefused(ScreeningRefused.EXCUSED, _("你这次不需要参加筛查。有问题可以问心理老师。"))
    if consent_missing(invitation=invitation):
        raise ScreeningRefused(
            ScreeningRefused.CONSENT,
            _(
                "谢谢你愿意参加！因为你还不满 14 周岁，需要先请爸爸妈妈或其他监护人同意。老师收到同意后，你就可以用同一个邀请码来填写。"
            ),
        )


def invitation_check(*, invitation: Invitation) -> None:
    """Whether the form may be shown for an invitation now (window, status, consent); writes nothing.

    For a counsellor opening a student's form in person: looking at it is not taking part.
    """
    window_check(invitation.campaign)
    _may_take_part(invitation)


@transaction.atomic
def invitation_start(*, invitation: Invitation) -> Invitation:
    """The form is opened for an invitation: checks window, status and consent; marks it started once."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("campaign", "student__child", "child")
        .get(pk=invitation.pk)
    )
    window_check(invitation.campaign)
    _may_take_part(invitation)
    if invitation.started_at is None:
        invitation.started_at = clock.now()
        invitation.status = Invitation.Status.STARTED
        invitation.save(update_fields=["started_at", "status", "updated_at"])
    return invitation


@transaction.atomic
def campaign_response_submit(
    *,
    campaign: Campaign,
    data: dict,
    language: str,
    invitation: Invitation | None = None,
    user=None,
    started_at=None,
) -> Response:
    """Store one answer to a campaign: checked, scored, in the child's file where known, tasks opened.

    Anonymous: no invitation, no child, anonymous=True with the campaign's area. Identified: the
    invitation (personal code or the counsellor in person), completed once. Raises ScreeningRefused
    or services.ResponseRefused (answers to correct).
    """
    # As stored now, not as the caller read it: a campaign closed a moment ago takes no more answers.
    campaign = Campaign.objects.select_related(
        "area", "counsellor", "school", "school_class", "questionnaire_version__instrument_version"
    ).get(pk=campaign.pk)
    window_check(campaign)
    child = None
    if campaign.anonymous:
        if invitation is not None:
            raise ValueError("an anonymous campaign has no invitations")
    else:
        if invitation is None or invitation.campaign_id != campaign.pk:
            raise ValueError("an identified campaign needs one of its invitations")
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("campaign", "student__child", "child")
            .get(pk=invitation.pk)
        )
        _may_take_part(invitation)
        child = subject_child(invitation)
    response = services.response_submit(
        version=campaign.questionnaire_version,
        data=data,
        language=language,
        user=user,
        child=child,
        started_at=started_at,
        campaign=campaign,
        area=campaign.area,
        anonymous=campaign.anonymous,
    )
    if invitation is not None:
        now = clock.now()
        invitation.status = Invitation.Status.COMPLETED
        invitation.started_at = invitation.started_at or started_at or now
        invitation.completed_at = now
        invitation.response = response
        invitation.save()
    screening_actions.response_actions(response=response, invitation=invitation)
    return response
