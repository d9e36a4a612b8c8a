"""The hourly sweep: close at the window's end, remind the counsellor, open the re-screen once."""

import datetime

import pytest

from seedling.assessments import campaign_jobs, campaigns, screening
from seedling.assessments.models import Campaign, Invitation
from seedling.core.schedule import jobs
from seedling.inbox.models import Notification

from .campaign_helpers import PHQ_A_GREEN, campaign_for, opened, window

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_the_sweep_is_registered_with_the_scheduler():
    assert "seedling.assessments.tasks.campaigns_sweep" in jobs()


def test_a_campaign_closes_by_itself_when_its_window_ends(users, klass, clock):
    campaign = opened(users.counsellor, school_class=klass, **window(days=2)).campaign
    assert campaign_jobs.campaigns_sweep()["closed"] == 0
    clock.travel(by=3 * DAY)
    assert campaign_jobs.campaigns_sweep()["closed"] == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED and campaign.closed_at is not None
    assert campaign_jobs.campaigns_sweep()["closed"] == 0


def test_unfinished_invitations_are_reminded_every_n_days_with_one_notification(users, klass, clock):
    result = opened(users.counsellor, school_class=klass, remind_every_days=2, **window(days=10))
    campaign = result.campaign
    screening.campaign_response_submit(
        campaign=campaign,
        invitation=next(c.invitation for c in result.codes if c.invitation.student.name == "林小雨"),
        data=PHQ_A_GREEN,
        language="zh",
    )
    notes = Notification.objects.filter(user=users.counsellor, title__contains="未完成")
    clock.travel(by=DAY)
    assert campaign_jobs.invitations_remind()["invitations"] == 0  # too early
    clock.travel(by=DAY + datetime.timedelta(hours=2))
    assert campaign_jobs.invitations_remind() == {"campaigns": 1, "invitations": 2}
    assert notes.count() == 1 and "2 人" in notes.get().title
    waiting = Invitation.objects.filter(campaign=campaign, status=Invitation.Status.INVITED)
    assert all(i.reminders == 1 and i.reminded_at is not None for i in waiting)
    clock.travel(by=datetime.timedelta(hours=5))
    assert campaign_jobs.invitations_remind()["invitations"] == 0  # not again within 2 days
    clock.travel(by=2 * DAY)
    assert campaign_jobs.invitations_remind()["invitations"] == 2 and notes.count() == 2
    assert {i.reminders for i in waiting.all()} == {2}


def test_no_reminders_when_the_interval_is_zero(users, klass, clock):
    opened(users.counsellor, school_class=klass, remind_every_days=0)
    clock.travel(by=5 * DAY)
    assert campaign_jobs.invitations_remind()["invitations"] == 0


def test_the_next_round_opens_once_after_the_rescreen_interval(users, klass, clock):
    campaign = opened(users.counsellor, school_class=klass, rescreen_after_days=30, **window(days=7)).campaign
    campaigns.campaign_close(user=users.counsellor, campaign=campaign)
    clock.travel(by=29 * DAY)
    assert campaign_jobs.rescreens_due() == 0
    clock.travel(by=DAY + datetime.timedelta(minutes=5))
    assert campaign_jobs.campaigns_sweep()["rescreens"] == 1
    nxt = Campaign.objects.get(previous=campaign)
    assert nxt.status == Campaign.Status.OPEN and nxt.target == campaign.target
    assert nxt.school_class == klass and nxt.questionnaire_version == campaign.questionnaire_version
    assert nxt.closes_at - nxt.opens_at == campaign.closes_at - campaign.opens_at
    assert nxt.invitations.count() == 3 and "第 2 轮" in nxt.title and nxt.token != campaign.token
    assert Notification.objects.filter(user=users.counsellor, title__contains="新的邀请码").exists()
    assert campaign_jobs.rescreens_due() == 0  # once
    assert Campaign.objects.filter(previous=campaign).count() == 1


def test_a_draft_or_a_campaign_without_interval_is_never_rescreened(users, klass, clock):
    campaign_for(users.counsellor, school_class=klass, rescreen_after_days=7)
    done = opened(users.counsellor, school_class=klass).campaign
    campaigns.campaign_close(user=users.counsellor, campaign=done)
    clock.travel(by=400 * DAY)
    assert campaign_jobs.rescreens_due() == 0


def test_a_watch_task_is_done_when_the_next_round_is_answered(users, klass, clock):
    from seedling.inbox.models import Task

    from .campaign_helpers import PHQ_A_YELLOW

    result = opened(users.counsellor, school_class=klass, rescreen_after_days=30)
    student = next(c.invitation for c in result.codes if c.invitation.student.name == "周子航")
    screening.campaign_response_submit(
        campaign=result.campaign, invitation=student, data=PHQ_A_YELLOW, language="zh"
    )
    watch = Task.objects.get(kind="screening_watch")
    campaigns.campaign_close(user=users.counsellor, campaign=result.campaign)
    clock.travel(by=31 * DAY)
    nxt = campaign_jobs.rescreen_open(campaign=result.campaign)
    again = nxt.invitations.get(student=student.student)
    screening.campaign_response_submit(campaign=nxt, invitation=again, data=PHQ_A_GREEN, language="zh")
    watch.refresh_from_db()
    assert watch.status == Task.Status.DONE and not Task.objects.filter(status="open").exists()
