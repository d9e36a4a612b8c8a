"""Accept, reassign, close, session notes and follow-ups, through services, pages and the API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from seedling.core.locking import StaleEdit
from seedling.counselling import services
from seedling.counselling.models import HelpRequest
from seedling.inbox.models import Notification, Task
from seedling.testing import areas

from .helpers import make_counsellor, new_user, portal_request

pytestmark = pytest.mark.django_db


def test_accept_through_page_closes_the_task(client, users, pool):
    request = portal_request()
    client.force_login(users.counsellor)
    response = client.post(
        reverse("counselling:request_accept", args=[request.pk]), {"version": request.version}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.IN_PROGRESS
    assert not Task.objects.filter(assignee=users.counsellor, status="open").exists()


def test_accept_with_stale_version_refused(client, users, pool):
    request = portal_request()
    client.force_login(users.counsellor)
    response = client.post(
        reverse("counselling:request_accept", args=[request.pk]),
        {"version": request.version - 1},
        follow=True,
    )
    assert "已被他人修改" in response.content.decode()
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.ASSIGNED


def test_api_accept_stale_is_409(client, users, pool):
    request = portal_request()
    client.force_login(users.counsellor)
    url = f"/api/v1/help-requests/{request.pk}/accept/"
    assert client.post(url, {"version": 99}, content_type="application/json").status_code == 409
    assert client.post(url, {"version": request.version}, content_type="application/json").status_code == 200


def test_supervisor_reassigns_new_counsellor_gets_task(users, pool, head):
    mine, other = pool
    request = portal_request(urgent=True)
    services.help_request_reassign(
        request=request, counsellor=other, user=head, expected_version=request.version
    )
    assert not Task.objects.filter(assignee=users.counsellor, status="open").exists()
    task = Task.objects.get(assignee=other.user, status="open")
    assert task.priority == "urgent"
    assert Notification.objects.filter(user=other.user, task=task).exists()


def test_reassign_refused_for_plain_counsellor_and_outside_area(users, pool):
    mine, other = pool
    request = portal_request()
    with pytest.raises(PermissionDenied):
        services.help_request_reassign(
            request=request, counsellor=other, user=other.user, expected_version=request.version
        )
    far = make_counsellor(new_user("wl", "school_counsellor", areas.OTHER_COUNTY), areas=[areas.OTHER_COUNTY])
    with pytest.raises(ValidationError) as exc:
        services.help_request_reassign(
            request=request, counsellor=far, user=users.county_officer, expected_version=request.version
        )
    assert "counsellor" in exc.value.message_dict


def test_officer_assigns_waiting_request_by_page(client, users, pool):
    mine, other = pool
    mine.active = False
    mine.save()
    other.active = False
    other.save()
    request = portal_request()
    assert request.status == HelpRequest.Status.NEW
    mine.active = True
    mine.save()
    client.force_login(users.county_officer)
    response = client.post(
        reverse("counselling:request_reassign", args=[request.pk]),
        {"version": request.version, "counsellor": mine.pk},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.counsellor == mine and request.status == HelpRequest.Status.ASSIGNED
    assert not Task.objects.filter(kind="help_request_unassigned", status="open").exists()


def test_other_county_officer_cannot_see_or_assign(client, users, pool):
    request = portal_request()
    officer = new_user("wl_officer", "county_officer", areas.OTHER_COUNTY)
    client.force_login(officer)
    assert client.get(reverse("counselling:request_detail", args=[request.pk])).status_code == 404
    response = client.post(
        f"/api/v1/help-requests/{request.pk}/reassign/",
        {"version": request.version, "counsellor": pool[1].pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_close_needs_a_note_and_closes_tasks(client, users, pool):
    request = portal_request()
    client.force_login(users.counsellor)
    url = reverse("counselling:request_close", args=[request.pk])
    response = client.post(url, {"version": request.version, "note": ""})
    assert (
        response.status_code == 200
        and "此项为必填项" in response.content.decode()
        or "请填写" in response.content.decode()
    )
    response = client.post(url, {"version": request.version, "note": "已转介至县心理门诊"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.CLOSED and request.closing_note == "已转介至县心理门诊"
    assert not Task.objects.filter(key__startswith=f"help_request:{request.pk}:", status="open").exists()


def test_note_bad_input_messages(users, pool, clock):
    request = portal_request()
    today = datetime.date.today()
    with pytest.raises(ValidationError) as exc:
        services.session_note_write(
            user=users.counsellor,
            request=request,
            fields={
                "text": " ",
                "held_on": today + datetime.timedelta(days=3),
                "next_on": today - datetime.timedelta(days=1),
            },
        )
    assert set(exc.value.message_dict) == {"text", "held_on", "next_on"}


def test_note_page_shows_errors(client, users, pool):
    request = portal_request()
    client.force_login(users.counsellor)
    response = client.post(
        reverse("counselling:note_create", args=[request.pk]),
        {"text": "", "held_on": "2999-01-01", "mode": "phone", "risk": "none"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写辅导记录" in body and "辅导日期不能晚于今天" in body


def test_note_starts_work_and_high_risk_tells_supervisor(users, pool, head):
    request = portal_request()
    services.session_note_write(
        user=users.counsellor, request=request, fields={"text": "有自伤念头", "risk": "high"}
    )
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.IN_PROGRESS
    assert Notification.objects.filter(user=head).exists()


def test_followup_task_day_before_and_closed_by_next_note(users, pool, clock):
    clock.travel(to=datetime.datetime(2024, 5, 6, 2, 0, tzinfo=datetime.UTC))
    request = portal_request()
    services.session_note_write(
        user=users.counsellor,
        request=request,
        fields={"text": "首次面谈", "next_on": datetime.date(2024, 5, 10)},
    )
    assert services.followups_open() == 0
    clock.travel(by=datetime.timedelta(days=3))  # 5-9: the day before
    assert services.followups_open() == 1
    assert services.followups_open() == 1  # idempotent: still one task
    tasks = Task.objects.filter(kind="help_request_followup", status="open", assignee=users.counsellor)
    assert tasks.count() == 1
    services.session_note_write(user=users.counsellor, request=request, fields={"text": "第二次面谈"})
    assert not tasks.exists()


def test_followup_job_registered():
    from seedling.core.schedule import jobs

    assert "seedling.counselling.tasks.counselling_followups" in jobs()


def test_stale_close_refused(users, pool):
    request = portal_request()
    with pytest.raises(StaleEdit):
        services.help_request_close(request=request, user=users.counsellor, note="结束", expected_version=99)
