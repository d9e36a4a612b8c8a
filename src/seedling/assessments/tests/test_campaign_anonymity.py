"""Anonymous campaigns keep children unidentifiable: small band counts are not shown exactly, the
counsellor's high-risk task comes from the hourly sweep (not the second of an answer); and wrong
personal codes are limited per browser first, so one pupil cannot lock out a school behind one address."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from seedling.assessments import campaign_jobs, rules
from seedling.assessments.models import Response
from seedling.inbox.models import Notification, Task

from .campaign_helpers import PHQ_A_GREEN, PHQ_A_ITEM9, PHQ_A_ORANGE, PHQ_A_RED, PHQ_A_YELLOW, opened

KIND = "screening_anonymous_risk"


def entry(campaign) -> str:
    return reverse("screening:entry", kwargs={"token": campaign.token})


# --- small cells ---


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        ([("green", 10), ("yellow", 5)], [("green", 10), ("yellow", 5)]),
        ([("green", 3), ("red", 1)], [("green", "<5"), ("red", "<5")]),
        # one hidden cell would follow from the total: the smallest other is hidden too
        ([("green", 10), ("red", 1)], [("green", None), ("red", "<5")]),
        (
            [("green", 40), ("yellow", 10), ("orange", 6), ("red", 1)],
            [("green", 40), ("yellow", 10), ("orange", None), ("red", "<5")],
        ),
        # zero is a small cell too: "red 0" next to a total of 1 would tell the one answer's band
        (
            [("green", 7), ("yellow", 0), ("orange", 0), ("red", 1)],
            [("green", 7), ("yellow", "<5"), ("orange", "<5"), ("red", "<5")],
        ),
        ([("", 2)], [("", "<5")]),
    ],
)
def test_small_anonymous_cells_are_not_shown_exactly(cells, shown):
    assert rules.small_cells_suppress(cells, 5) == shown


@pytest.mark.parametrize(
    ("high_risk", "red", "shown"),
    [(3, "<5", None), (6, "<5", 6), (7, 5, None), (10, 10, 10), (12, 6, 12), (8, None, 8)],
)
def test_the_anonymous_high_risk_count_is_hidden_when_it_could_single_a_child_out(high_risk, red, shown):
    assert rules.anonymous_high_risk_shown(high_risk, red, 5) == shown


def _answer(campaign, data):
    assert Client().post(entry(campaign), data).status_code == 302


@pytest.mark.django_db
def test_one_anonymous_red_answer_is_not_a_cell_of_one(client, users, no_mfa):
    campaign = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    _answer(campaign, PHQ_A_RED)
    client.force_login(users.counsellor)
    progress = client.get(f"/api/v1/screening-campaigns/{campaign.pk}/").json()["progress"]
    assert progress["responses"] == 1 and progress["suppressed"] is True
    assert progress["bands"] == {"green": "<5", "yellow": "<5", "orange": "<5", "red": "<5"}
    assert progress["high_risk"] is None
    html = client.get(reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk})).content.decode()
    assert 'data-band-count="red">&lt;5<' in html and 'data-band-count="green">&lt;5<' in html
    assert 'id="small-cells"' in html and 'id="high-risk"' not in html


@pytest.mark.django_db
def test_enough_anonymous_answers_are_shown_exactly(client, users, no_mfa, settings):
    settings.SEEDLING_RESEARCH_MIN_CELL = 2
    campaign = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    for data in (PHQ_A_GREEN, PHQ_A_GREEN, PHQ_A_YELLOW, PHQ_A_YELLOW):
        _answer(campaign, data)
    for data in (PHQ_A_ORANGE, PHQ_A_ORANGE, PHQ_A_RED, PHQ_A_RED):
        _answer(campaign, data)
    client.force_login(users.counsellor)
    progress = client.get(f"/api/v1/screening-campaigns/{campaign.pk}/").json()["progress"]
    assert progress["bands"] == {"green": 2, "yellow": 2, "orange": 2, "red": 2}
    assert progress["high_risk"] == 2 and progress["suppressed"] is False


# --- the anonymous high-risk task comes from the sweep ---


@pytest.mark.django_db
def test_the_anonymous_risk_task_comes_from_the_sweep_not_the_answer(
    users, clock, django_capture_on_commit_callbacks, mailoutbox
):
    clock.travel(to=timezone.make_aware(datetime.datetime(2026, 5, 11, 10, 0)))
    campaign = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    with django_capture_on_commit_callbacks(execute=True):
        _answer(campaign, PHQ_A_RED)
        _answer(campaign, PHQ_A_GREEN)
    assert not Task.objects.filter(kind=KIND).exists() and not mailoutbox
    clock.travel(by=datetime.timedelta(minutes=40))
    assert campaign_jobs.campaigns_sweep()["anonymous_risks"] == 1
    task = Task.objects.get(kind=KIND)
    assert "1 份" in task.title and task.child is None and task.priority == Task.Priority.URGENT
    assert task.assignee == users.counsellor
    assert campaign_jobs.anonymous_risks_report() == 0  # nothing new: nothing done
    assert Notification.objects.filter(task=task).count() == 1
    _answer(campaign, PHQ_A_ITEM9)  # a critical item counts as high risk too
    assert campaign_jobs.anonymous_risks_report() == 1
    task.refresh_from_db()
    assert "2 份" in task.title and Task.objects.filter(kind=KIND).count() == 1
    Task.objects.filter(pk=task.pk).update(status=Task.Status.DONE)  # the counsellor has acted
    assert campaign_jobs.anonymous_risks_report() == 0
    assert not Task.objects.filter(kind=KIND, status=Task.Status.OPEN).exists()


@pytest.mark.django_db
def test_an_answer_late_in_the_evening_is_reported_on_its_own_day(users, clock):
    clock.travel(to=timezone.make_aware(datetime.datetime(2026, 5, 11, 23, 40)))
    campaign = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    _answer(campaign, PHQ_A_RED)
    clock.travel(by=datetime.timedelta(minutes=30))  # the sweep runs after midnight
    campaign_jobs.anonymous_risks_report()
    task = Task.objects.get(kind=KIND)
    assert task.key.endswith(":2026-05-11") and "2026-05-11" in task.title and "1 份" in task.title
    clock.travel(by=datetime.timedelta(hours=1))
    _answer(campaign, PHQ_A_RED)
    campaign_jobs.anonymous_risks_report()
    today = Task.objects.get(kind=KIND, key__endswith=":2026-05-12")
    assert "今天有 1 份" in today.title and Task.objects.filter(kind=KIND).count() == 2


# --- wrong personal codes: per browser session first, then a high limit per address ---


@pytest.mark.django_db
def test_one_pupil_cannot_lock_out_classmates_behind_the_schools_address(users, klass, settings):
    settings.SEEDLING_SCREENING_CODE_ATTEMPTS = 200
    result = opened(users.counsellor, school_class=klass)
    url = entry(result.campaign)
    prank = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [prank.post(url, {"code": "AAAA-AAAA"}).status_code for _ in range(30)]
    assert statuses[:5] == [400] * 5 and set(statuses[5:]) == {429}  # 5 per session in 15 minutes
    honest = Client(REMOTE_ADDR="203.0.113.7")  # a classmate, same school NAT address
    code = next(c for c in result.codes if c.invitation.student.name == "周子航")
    assert honest.post(url, {"code": code.display}).status_code == 302


@pytest.mark.django_db
def test_a_guesser_who_drops_the_session_meets_the_per_address_limit(users, klass, settings):
    settings.SEEDLING_SCREENING_CODE_ATTEMPTS = 6
    result = opened(users.counsellor, school_class=klass)
    url = entry(result.campaign)
    for _ in range(6):
        assert Client(REMOTE_ADDR="198.51.100.9").post(url, {"code": "AAAA-AAAA"}).status_code == 400
    code = next(c for c in result.codes if c.invitation.student.name == "周子航")
    blocked = Client(REMOTE_ADDR="198.51.100.9").post(url, {"code": code.display})
    assert blocked.status_code == 429 and "尝试次数太多" in blocked.content.decode()
    assert Client(REMOTE_ADDR="198.51.100.10").post(url, {"code": code.display}).status_code == 302


@pytest.mark.django_db
def test_the_session_limit_is_a_setting_and_forgets_after_15_minutes(users, klass, settings, clock):
    settings.SEEDLING_SCREENING_CODE_SESSION_ATTEMPTS = 2
    result = opened(users.counsellor, school_class=klass)
    url = entry(result.campaign)
    pupil = Client()
    assert [pupil.post(url, {"code": "AAAA-AAAA"}).status_code for _ in range(3)] == [400, 400, 429]
    clock.travel(by=datetime.timedelta(minutes=16))
    code = next(c for c in result.codes if c.invitation.student.name == "周子航")
    assert pupil.post(url, {"code": code.display}).status_code == 302
    assert not Response.objects.exists()
