"""Results: band actions become the counsellor's tasks; the child's file and the progress page show
results only to SCREEN/COUNSEL over the area; reading them is logged."""

import datetime

import pytest
from django.urls import reverse

from seedling.assessments import campaign_jobs, screening
from seedling.assessments.models import Response
from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.geo.models import Division
from seedling.inbox.models import Notification, Task
from seedling.testing import areas
from seedling.testing.factories import child_create

from .campaign_helpers import (
    GAD7_HIGH,
    GAD7_LOW,
    PHQ_A_GREEN,
    PHQ_A_ITEM9,
    PHQ_A_ORANGE,
    PHQ_A_RED,
    PHQ_A_YELLOW,
    born,
    opened,
)

pytestmark = pytest.mark.django_db


def submit(campaign, invitation, data, user=None):
    return screening.campaign_response_submit(
        campaign=campaign, invitation=invitation, data=data, language="zh", user=user
    )


@pytest.fixture
def linked(users, klass):
    """林小雨 is a registered child of 寺后村; her class is screened with PHQ-A."""
    child = child_create(users.director, name="林小雨", birth_date=born(14))
    student = klass.students.get(name="林小雨")
    student.child = child
    student.save()
    result = opened(users.counsellor, school_class=klass)
    invitation = next(c.invitation for c in result.codes if c.invitation.student_id == student.pk)
    return result.campaign, invitation, child


@pytest.mark.parametrize(
    ("data", "kind", "priority", "days", "notified"),
    [
        (PHQ_A_RED, "screening_urgent", Task.Priority.URGENT, 0, True),
        (PHQ_A_ITEM9, "screening_urgent", Task.Priority.URGENT, 0, True),
        (PHQ_A_ORANGE, "screening_followup", Task.Priority.NORMAL, 7, True),
        (PHQ_A_YELLOW, "screening_watch", Task.Priority.NORMAL, None, False),
    ],
)
def test_a_band_action_becomes_the_counsellors_task(users, linked, data, kind, priority, days, notified):
    campaign, invitation, child = linked
    response = submit(campaign, invitation, data)
    task = Task.objects.get(kind=kind)
    assert task.assignee == users.counsellor and task.priority == priority and task.child == child
    assert task.url == reverse("assessments:screening_result", kwargs={"uuid": response.uuid})
    assert "林小雨" not in task.title and campaign.school_class.name in task.title  # titles go out by e-mail
    if days is None:
        assert task.due_at is None
    else:
        due = clock.today() + datetime.timedelta(days=days)
        assert task.due_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).date() == due
    assert Notification.objects.filter(user=users.counsellor, task=task).exists() is notified


def test_a_green_result_opens_nothing(users, linked):
    campaign, invitation, _child = linked
    submit(campaign, invitation, PHQ_A_GREEN)
    assert not Task.objects.exists()


def test_anonymous_high_risk_results_give_one_task_a_day_with_the_count(users, clock):
    township = Division.objects.get(code=areas.TOWNSHIP)
    campaign = opened(users.counsellor, target="anonymous", area=township).campaign
    for data in (PHQ_A_RED, PHQ_A_GREEN, PHQ_A_ITEM9):
        submit(campaign, None, data)
    assert not Task.objects.filter(kind="screening_anonymous_risk").exists()  # not at the answer's second
    campaign_jobs.anonymous_risks_report()  # the hourly sweep
    task = Task.objects.get(kind="screening_anonymous_risk")
    assert "2 份" in task.title and task.child is None and task.priority == Task.Priority.URGENT
    assert Notification.objects.filter(task=task).count() == 1
    clock.travel(by=datetime.timedelta(days=1))
    submit(campaign, None, PHQ_A_RED)
    campaign_jobs.anonymous_risks_report()
    titles = sorted(Task.objects.filter(kind="screening_anonymous_risk").values_list("title", flat=True))
    assert len(titles) == 2 and any("1 份" in t for t in titles)


def test_an_anonymous_gad7_without_red_opens_no_anonymous_task(users):
    campaign = opened(users.counsellor, target="anonymous", instrument="gad7").campaign
    submit(campaign, None, GAD7_HIGH)
    submit(campaign, None, GAD7_LOW)
    campaign_jobs.anonymous_risks_report()
    assert not Task.objects.filter(kind="screening_anonymous_risk").exists()


def test_the_childs_file_shows_screening_only_to_screen_and_counsel_and_logs_it(
    client, users, linked, no_mfa
):
    campaign, invitation, child = linked
    response = submit(campaign, invitation, PHQ_A_RED)
    url = reverse("child_detail", kwargs={"uuid": child.uuid})
    client.force_login(users.counsellor)
    html = client.get(url).content.decode()
    assert "心理筛查" in html and 'data-band="red"' in html and str(response.uuid) in html
    assert AccessLog.objects.filter(
        user=users.counsellor, child_id=child.pk, detail__has_key="screening_results"
    ).exists()
    client.force_login(users.social_worker)  # COUNSEL
    assert str(response.uuid) in client.get(url).content.decode()
    for other in (users.director, users.supervisor):
        client.force_login(other)
        html = client.get(url).content.decode()
        assert client.get(url).status_code == 200
        assert "心理筛查" not in html and str(response.uuid) not in html and 'data-band="red"' not in html


def test_a_result_page_is_for_the_counsellor_and_logged(client, users, linked, no_mfa):
    campaign, invitation, child = linked
    response = submit(campaign, invitation, PHQ_A_ITEM9)
    url = reverse("assessments:screening_result", kwargs={"uuid": response.uuid})
    client.force_login(users.counsellor)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "林小雨" in html and "当天紧急转介" in html and "第 9 题" in html
    assert AccessLog.objects.filter(
        object_id=str(response.pk), object_type="assessments.response", action="view"
    ).exists()
    for other in (users.director, users.supervisor, users.researcher, users.director_other_county):
        client.force_login(other)
        assert client.get(url).status_code == 404


def test_anonymous_answers_are_never_shown_one_by_one(client, users, no_mfa):
    campaign = opened(users.counsellor, target="anonymous").campaign
    response = submit(campaign, None, PHQ_A_RED)
    client.force_login(users.counsellor)
    assert (
        client.get(reverse("assessments:screening_result", kwargs={"uuid": response.uuid})).status_code == 404
    )


def test_progress_counts_states_and_bands_and_only_the_area_sees_it(client, users, linked, no_mfa):
    campaign, invitation, _child = linked
    submit(campaign, invitation, PHQ_A_RED)
    url = reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk})
    client.force_login(users.counsellor)
    html = client.get(url).content.decode()
    # 3 invited: 林小雨 completed (red), 周子航 15 not started, 吴小满 13 awaiting consent.
    assert 'id="count-invited">3<' in html and 'id="count-completed">1<' in html
    assert 'id="count-awaiting_consent">1<' in html and 'id="count-invited">3<' in html
    assert 'data-band-count="red">1<' in html and 'id="high-risk"' in html
    assert AccessLog.objects.filter(
        object_type="assessments.campaign", action="view", user=users.counsellor
    ).exists()
    client.force_login(users.social_worker)
    assert client.get(url).status_code == 200
    for other in (users.director, users.supervisor, users.director_other_county):
        client.force_login(other)
        assert client.get(url).status_code in (403, 404)
    Response.objects.all()  # nothing else to check: the band counts come from this campaign only


def test_a_school_campaign_shows_progress_per_class(client, users, school, no_mfa):
    from .campaign_helpers import add_student, make_class

    for name in ("初二(1)班", "初二(2)班"):
        klass = make_class(school, name=name)
        add_student(klass, f"{name}甲", age=15)
        add_student(klass, f"{name}乙", age=15)
    result = opened(users.counsellor, target="school", school=school)
    submit(result.campaign, result.codes[0].invitation, PHQ_A_GREEN)
    client.force_login(users.counsellor)
    html = client.get(
        reverse("assessments:campaign_detail", kwargs={"pk": result.campaign.pk})
    ).content.decode()
    assert 'id="per-class"' in html and "初二(1)班" in html and "初二(2)班" in html
