"""What a screening result sets in motion (分级处置): inbox tasks for the responsible counsellor.

urgent_referral_today → an urgent task due at the end of today (and a notification); counsellor_within_days
→ a task due in N days; watch → a task to follow the child at the next screening; none → nothing.
An anonymous high-risk result cannot be tied to anyone: the counsellor gets one task per campaign per
day with the count, opened by the hourly sweep (campaign_jobs), never at the moment of the answer, so
the task's time does not point at one child; the respondent sees the hotlines at once. Task titles
name the class or area, never the child (they also go out by e-mail).
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.inbox.models import Task
from seedling.inbox.services import task_open

from . import rules
from .campaign_selectors import high_risk_q
from .models import Campaign, Invitation, Response

URGENT_KIND = "screening_urgent"
FOLLOWUP_KIND = "screening_followup"
WATCH_KIND = "screening_watch"
ANONYMOUS_KIND = "screening_anonymous_risk"
RESCREEN_KIND = "screening_rescreen"
DEFAULT_WITHIN_DAYS = 7


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last minute of a day in Asia/Shanghai: a task due "today" is overdue tomorrow."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def result_key(invitation: Invitation) -> str:
    return f"screening_result:{invitation.pk}"


def _where(campaign: Campaign) -> str:
    if campaign.school_class_id:
        return str(campaign.school_class)
    if campaign.school_id:
        return campaign.school.name
    return campaign.area.name


def _previous_watch_close(invitation: Invitation) -> int:
    """A "follow at the next screening" task of the previous round is done once this round's answer is in."""
    campaign = invitation.campaign
    if campaign.previous_id is None:
        return 0
    earlier = Invitation.objects.filter(campaign_id=campaign.previous_id)
    if invitation.student_id:
        earlier = earlier.filter(student_id=invitation.student_id)
    elif invitation.child_id:
        earlier = earlier.filter(child_id=invitation.child_id)
    else:
        return 0
    keys = [result_key(e) for e in earlier]
    return Task.objects.filter(key__in=keys, kind=WATCH_KIND, status=Task.Status.OPEN).update(
        status=Task.Status.DONE, closed_at=clock.now()
    )


def result_task_open(*, response: Response, invitation: Invitation) -> Task | None:
    """The counsellor's task for one identified result, by the action its band (or a critical item) asks."""
    campaign = invitation.campaign
    _previous_watch_close(invitation)
    action = response.action or "none"
    if action == "none":
        return None
    url = reverse("assessments:screening_result", kwargs={"uuid": response.uuid})
    names = {"where": _where(campaign), "campaign": campaign.title}
    common = {
        "key": result_key(invitation),
        "url": url,
        "assignee": campaign.counsellor,
        "child": response.child,
        "area_code": response.child.area_id if response.child_id else campaign.area_id,
    }
    today = clock.today()
    if action == rules.URGENT_ACTION:
        return task_open(
            **common,
            kind=URGENT_KIND,
            title=_("心理筛查紧急：%(where)s一名学生需今天内评估并转介（%(campaign)s）") % names,
            due_at=end_of_day(today),
            priority=Task.Priority.URGENT,
        )
    if action == "counsellor_within_days":
        days = (response.score or {}).get("within_days") or DEFAULT_WITHIN_DAYS
        return task_open(
            **common,
            kind=FOLLOWUP_KIND,
            title=_("心理筛查：%(where)s一名学生需在 %(days)d 天内约谈（%(campaign)s）")
            % {**names, "days": days},
            due_at=end_of_day(today + datetime.timedelta(days=days)),
        )
    # watch: nothing to do today; the counsellor looks again at the next screening (no notification).
    return task_open(
        **common,
        kind=WATCH_KIND,
        title=_("心理筛查：%(where)s一名学生需持续关注，下次筛查时复核（%(campaign)s）") % names,
        notify=False,
    )


def anonymous_risk_task_open(*, campaign: Campaign, day: datetime.date) -> Task | None:
    """One task per campaign per day: how many anonymous high-risk results came in that day (no identity).

    Called by the sweep; the count covers the whole day so far, and an open task is updated.
    """
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    count = (
        Response.objects.filter(
            campaign=campaign,
            anonymous=True,
            submitted_at__gte=start,
            submitted_at__lt=start + datetime.timedelta(days=1),
        )
        .filter(high_risk_q())
        .count()
    )
    if not count:
        return None
    today = clock.today()
    names = {"campaign": campaign.title, "n": count, "where": _where(campaign)}
    if day == today:
        title = (
            _(
                "匿名筛查“%(campaign)s”今天有 %(n)d 份高风险结果（无法识别身份）：请在%(where)s开展面向全体的心理支持，并再次公布求助热线"
            )
            % names
        )
    else:
        title = _(
            "匿名筛查“%(campaign)s”%(day)s 有 %(n)d 份高风险结果（无法识别身份）：请在%(where)s开展面向全体的心理支持，并再次公布求助热线"
        ) % {**names, "day": day.isoformat()}
    return task_open(
        key=f"screening_anonymous:{campaign.pk}:{day.isoformat()}",
        kind=ANONYMOUS_KIND,
        title=title,
        url=reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk}),
        assignee=campaign.counsellor,
        area_code=campaign.area_id,
        due_at=end_of_day(max(day, today)),
        priority=Task.Priority.URGENT,
    )


def response_actions(*, response: Response, invitation: Invitation | None) -> Task | None:
    """Open what an identified response asks for (called inside the submission's transaction).

    An anonymous response opens nothing here: the sweep reports anonymous high-risk answers in bulk.
    """
    if response.campaign.anonymous:
        return None
    return result_task_open(response=response, invitation=invitation)
