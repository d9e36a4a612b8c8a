"""The campaigns' periodic sweep (定时任务): close at the window's end, remind, open the re-screen,
and report anonymous high-risk answers to the counsellor (in bulk, not at the moment of an answer).

Every step is idempotent (timestamps and keys decide what is due), so the sweep can run every hour
and after a restart without doing anything twice.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.accounts.roles import Role
from seedling.core import clock
from seedling.inbox.services import notify, task_open

from . import rules
from .campaign_selectors import high_risk_q
from .campaigns import campaign_close, campaign_open, counsellor_qualifies, new_token
from .models import Campaign, Invitation, Response
from .screening_actions import RESCREEN_KIND, anonymous_risk_task_open

WAITING = [Invitation.Status.INVITED, Invitation.Status.STARTED]
# Anonymous answers older than this are not reported any more (the sweep was down for that long).
RISK_LOOKBACK = datetime.timedelta(days=7)


def campaigns_close_due(*, now: datetime.datetime | None = None) -> int:
    """Close every open campaign whose window has ended; returns how many were closed."""
    now = now or clock.now()
    closed = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.OPEN, closes_at__lte=now):
        campaign_close(user=None, campaign=campaign)
        closed += 1
    return closed


@transaction.atomic
def _remind(campaign: Campaign, now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(days=campaign.remind_every_days)
    if campaign.opens_at > cutoff or (campaign.opened_at and campaign.opened_at > cutoff):
        return 0  # the first reminder comes remind_every_days after the window opened
    due = Invitation.objects.select_for_update(of=("self",)).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=cutoff), campaign=campaign, status__in=WAITING
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    Invitation.objects.filter(pk__in=ids).update(
        reminded_at=now, reminders=F("reminders") + 1, updated_at=now
    )
    waiting = Invitation.objects.filter(campaign=campaign, status__in=WAITING).count()
    notify(
        users=[campaign.counsellor],
        title=_("筛查“%(campaign)s”还有 %(n)d 人未完成，请提醒他们在 %(when)s 前完成")
        % {
            "campaign": campaign.title,
            "n": waiting,
            "when": timezone.localtime(campaign.closes_at).strftime("%Y-%m-%d %H:%M"),
        },
        url=reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk}),
    )
    return len(ids)


def invitations_remind(*, now: datetime.datetime | None = None) -> dict:
    """Open identified campaigns in their window: invitations not completed and not reminded within
    remind_every_days are marked reminded, and the counsellor gets one notification with the count."""
    now = now or clock.now()
    campaigns = Campaign.objects.filter(
        status=Campaign.Status.OPEN, opens_at__lte=now, closes_at__gt=now, remind_every_days__gt=0
    ).exclude(target=Campaign.Target.ANONYMOUS)
    result = {"campaigns": 0, "invitations": 0}
    for campaign in campaigns.select_related("counsellor"):
        n = _remind(campaign, now)
        if n:
            result["campaigns"] += 1
            result["invitations"] += n
    return result


def _root_title(campaign: Campaign) -> tuple[str, int]:
    rounds, root = 1, campaign
    while root.previous_id is not None:
        root, rounds = root.previous, rounds + 1
    return root.title, rounds


@transaction.atomic
def rescreen_open(*, campaign: Campaign, now: datetime.datetime | None = None) -> Campaign | None:
    """Create and open the next round of a closed campaign, once: same target, questionnaire and counsellor,
    a window as long as before. If the counsellor no longer works there, the area's counsellors get a task."""
    now = now or clock.now()
    campaign = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    if campaign.rescreens.exists():
        return None
    title, rounds = _root_title(campaign)
    if not counsellor_qualifies(campaign.counsellor, campaign.area_id):
        task_open(
            key=f"screening_rescreen:{campaign.pk}",
            kind=RESCREEN_KIND,
            title=_("“%(campaign)s”到了复筛时间，但原负责人已不在该区域：请重新发起") % {"campaign": title},
            url=reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk}),
            assignee_role=Role.SCHOOL_COUNSELLOR,
            area_code=campaign.area_id,
        )
        return None
    opens_at, closes_at = rules.rescreen_window(
        opens_at=campaign.opens_at, closes_at=campaign.closes_at, now=now
    )
    nxt = Campaign.objects.create(
        title=_("%(title)s（第 %(n)d 轮）") % {"title": title, "n": rounds + 1},
        questionnaire_version=campaign.questionnaire_version,
        target=campaign.target,
        school=campaign.school,
        school_class=campaign.school_class,
        area=campaign.area,
        opens_at=opens_at,
        closes_at=closes_at,
        token=new_token(),
        counsellor=campaign.counsellor,
        remind_every_days=campaign.remind_every_days,
        rescreen_after_days=campaign.rescreen_after_days,
        previous=campaign,
    )
    try:
        nxt = campaign_open(user=None, campaign=nxt).campaign
    except ValidationError:  # nobody to invite any more (the class has left): keep it as a draft
        title = _("复筛“%(title)s”未能开放：名单中没有可邀请的学生，请检查后手动开放")
    else:
        if nxt.anonymous:
            title = _("复筛“%(title)s”已开始：请重新发布链接或二维码")
        else:
            title = _("复筛“%(title)s”已开始：请打开筛查活动，生成并打印新的邀请码")
    notify(
        users=[campaign.counsellor],
        title=title % {"title": nxt.title},
        url=reverse("assessments:campaign_detail", kwargs={"pk": nxt.pk}),
    )
    return nxt


def rescreens_due(*, now: datetime.datetime | None = None) -> int:
    """Closed campaigns with a re-screen interval that has passed and no next round yet: open the next."""
    now = now or clock.now()
    candidates = Campaign.objects.filter(
        status=Campaign.Status.CLOSED, rescreen_after_days__isnull=False, rescreens__isnull=True
    ).select_related("counsellor")
    opened = 0
    for campaign in candidates:
        closed_at = campaign.closed_at or campaign.closes_at
        if closed_at + datetime.timedelta(days=campaign.rescreen_after_days) <= now:
            opened += rescreen_open(campaign=campaign, now=now) is not None
    return opened


@transaction.atomic
def _risk_report(campaign_id: int, moments: list[datetime.datetime]) -> None:
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("counsellor", "area")
    campaign = campaign.get(pk=campaign_id)
    fresh = [m for m in moments if campaign.risk_reported_at is None or m > campaign.risk_reported_at]
    if not fresh:
        return  # another sweep reported them a moment ago
    for day in sorted({timezone.localdate(m) for m in fresh}):
        anonymous_risk_task_open(campaign=campaign, day=day)
    # update(): the sweep's bookkeeping is not a person's edit (no new version, no stale-edit refusal).
    Campaign.objects.filter(pk=campaign.pk).update(risk_reported_at=max(fresh))


def anonymous_risks_report(*, now: datetime.datetime | None = None) -> int:
    """Anonymous high-risk answers not reported yet: the counsellor's task of their day is opened (or its
    count updated), one per campaign per day. Returns how many campaigns were reported.

    Run by the hourly sweep, so a task's time points at an hour of answers, never at one answer.
    """
    now = now or clock.now()
    rows = (
        Response.objects.filter(
            anonymous=True,
            campaign__target=Campaign.Target.ANONYMOUS,
            submitted_at__gte=now - RISK_LOOKBACK,
            submitted_at__lte=now,
        )
        .filter(
            Q(campaign__risk_reported_at__isnull=True) | Q(submitted_at__gt=F("campaign__risk_reported_at"))
        )
        .filter(high_risk_q())
        .order_by()
        .values_list("campaign_id", "submitted_at")
    )
    moments: dict[int, list[datetime.datetime]] = {}
    for campaign_id, submitted_at in rows:
        moments.setdefault(campaign_id, []).append(submitted_at)
    for campaign_id, times in sorted(moments.items()):
        _risk_report(campaign_id, times)
    return len(moments)


def campaigns_sweep() -> dict:
    """Close ended campaigns, remind, open due re-screens, report anonymous high-risk answers (hourly)."""
    now = clock.now()
    return {
        "closed": campaigns_close_due(now=now),
        "reminded": invitations_remind(now=now),
        "rescreens": rescreens_due(now=now),
        "anonymous_risks": anonymous_risks_report(now=now),
    }
