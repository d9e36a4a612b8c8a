"""help_request_create / help_request_assign: the contract the portal and campaigns call."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from seedling.counselling import services
from seedling.counselling.models import HelpRequest
from seedling.geo.models import Division
from seedling.inbox.models import Notification, Task
from seedling.testing import areas

from .helpers import make_counsellor, new_user, portal_request

pytestmark = pytest.mark.django_db


def _tasks(user):
    return Task.objects.filter(assignee=user, status="open")


def test_contract_signature_anonymous_request_assigned_to_nearest_counsellor(users, pool):
    mine, other = pool
    request = services.help_request_create(source="portal", area=Division.objects.get(code=areas.VILLAGE_A))
    assert request.pk and request.child is None and request.requester == "child"
    # township counsellor (9-digit service area) before the county-wide one (6 digits)
    assert request.counsellor == mine
    assert request.status == HelpRequest.Status.ASSIGNED and request.assigned_at is not None
    task = _tasks(users.counsellor).get()
    assert task.priority == "normal" and task.kind == "help_request"
    assert "睡" not in task.title  # no contents in task titles


def test_area_as_code_and_contact_fields_kept(pool):
    request = portal_request(contact="138 0000 1111", language="zh", requester="guardian")
    request.refresh_from_db()
    assert request.area_id == areas.VILLAGE_A and request.contact == "138 0000 1111"
    assert request.requester == "guardian"


def test_normal_task_due_in_three_days(users, pool, clock):
    clock.travel(to=datetime.datetime(2024, 5, 6, 2, 0, tzinfo=datetime.UTC))
    portal_request()
    task = _tasks(users.counsellor).get()
    assert task.due_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).date() == datetime.date(
        2024, 5, 9
    )


def test_urgent_request_urgent_task_due_today_and_notification(users, pool, clock):
    clock.travel(to=datetime.datetime(2024, 5, 6, 2, 0, tzinfo=datetime.UTC))
    portal_request(urgent=True)
    task = _tasks(users.counsellor).get()
    assert task.priority == "urgent"
    assert task.due_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).date() == datetime.date(
        2024, 5, 6
    )
    assert Notification.objects.filter(user=users.counsellor, task=task).exists()


def test_fewest_open_requests_among_equally_near(users, pool):
    mine, other = pool
    twin = make_counsellor(new_user("twin", "school_counsellor", areas.TOWNSHIP), areas=[areas.TOWNSHIP])
    first = portal_request()
    second = portal_request()
    assert {first.counsellor, second.counsellor} == {mine, twin}


def test_language_and_capacity_and_active_respected(users, pool):
    mine, other = pool
    uyghur = portal_request(language="ug")
    assert uyghur.counsellor is None and uyghur.status == HelpRequest.Status.NEW
    mine.capacity = 1
    mine.save()
    portal_request()  # fills mine
    assert portal_request().counsellor == other  # mine full: the county-wide one
    other.active = False
    other.save()
    assert portal_request().counsellor is None


def test_nobody_fits_task_to_county_officers(users, pool):
    request = portal_request(area=areas.OTHER_COUNTY_VILLAGE)
    assert request.status == HelpRequest.Status.NEW
    task = Task.objects.get(kind="help_request_unassigned", status="open")
    assert task.assignee_role == "county_officer" and task.area_code == areas.OTHER_COUNTY_VILLAGE
    # the officer of 330723 is not an addressee of a 331081 request; an officer there would be
    officer_there = new_user("wl_officer", "county_officer", areas.OTHER_COUNTY)
    from seedling.inbox.services import addressees

    assert addressees(task) == [officer_there]


def test_waiting_request_assigned_when_counsellor_joins_and_officer_task_closes(users, pool):
    request = portal_request(area=areas.OTHER_COUNTY_VILLAGE)
    make_counsellor(new_user("wl", "school_counsellor", areas.OTHER_COUNTY), areas=[areas.OTHER_COUNTY])
    assert services.new_requests_assign() == 1
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.ASSIGNED
    assert not Task.objects.filter(kind="help_request_unassigned", status="open").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"source": "bogus"}, "source"),
        ({"requester": "alien"}, "requester"),
        ({"area": "999999"}, "area"),
        ({"contact": "1" * 51}, "contact"),
        ({"language": "普通话"}, "language"),
    ],
)
def test_bad_input_named_by_field(pool, fields, field):
    with pytest.raises(ValidationError) as exc:
        portal_request(**fields)
    assert field in exc.value.message_dict
    assert not HelpRequest.objects.exists()


def test_child_request_logged_by_area_not_in_the_childs_file(users, pool, child):
    from seedling.core.models import AccessLog

    request = services.help_request_create(
        source="staff", area=None, child=child, requester="worker", user=users.director
    )
    assert request.area_id == child.area_id and request.created_by == users.director
    row = AccessLog.objects.get(
        object_type="counselling.helprequest", object_id=str(request.pk), action="create"
    )
    # The area's auditors must not learn from the child's rows that this child asked for help.
    assert row.child_id is None and row.area_code == child.area_id
