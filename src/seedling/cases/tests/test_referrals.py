"""Organizations and referrals: the receiving organization sees exactly its referrals and what they share."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from seedling.cases import selectors, services
from seedling.cases.models import Referral
from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.geo.models import Division
from seedling.inbox import selectors as inbox_selectors
from seedling.inbox.models import Notification, Task
from seedling.registry import selectors as registry_selectors
from seedling.registry.services import person_create
from seedling.testing import areas

from .helpers import RATINGS, make_org

pytestmark = pytest.mark.django_db


def send(users, child, organization, case=None, **fields):
    values = {
        "service": "medical",
        "reason": "需要复查听力",
        "due_on": clock.today() + datetime.timedelta(days=10),
    }
    values.update(fields)
    return services.referral_send(
        user=users.social_worker, child=child, organization=organization, fields=values, case=case
    )


@pytest.fixture
def guardian(users, child):
    return person_create(
        user=users.director,
        child=child,
        fields={
            "relation": "paternal_grandmother",
            "name": "王奶奶",
            "phone": "13800138000",
            "is_guardian": True,
        },
    )


# --- directory ---


def test_county_officers_keep_the_directory_for_their_area_only(users, org_user):
    org = make_org(users.county_officer, members=[org_user])
    assert org.service_list == ["counselling", "medical"] and list(org.members.all()) == [org_user]
    with pytest.raises(ValidationError) as excinfo:
        make_org(users.county_officer, area=areas.OTHER_COUNTY)
    assert "areas" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        make_org(users.director)
    found = selectors.organization_list(filters={"area": areas.VILLAGE_A, "service": "medical"})
    assert list(found) == [org]
    assert not selectors.organization_list(filters={"area": areas.OTHER_COUNTY_VILLAGE}).exists()


def test_an_edit_carries_the_version(users, hospital):
    from seedling.core.locking import StaleEdit

    services.organization_save(
        user=users.county_officer, organization=hospital, expected_version=1, fields={"phone": "0579-7654321"}
    )
    with pytest.raises(StaleEdit):
        services.organization_save(
            user=users.county_officer, organization=hospital, expected_version=1, fields={"phone": "1"}
        )
    hospital.refresh_from_db()
    assert hospital.phone == "0579-7654321" and hospital.areas.count() == 1  # areas kept


# --- sending ---


def test_a_referral_reaches_the_organizations_users_as_tasks(users, child, hospital, org_user):
    referral = send(users, child, hospital)
    assert referral.status == "sent"
    tasks = inbox_selectors.task_list(user=org_user, kind="referral")
    assert tasks.count() == 1 and child.name not in tasks[0].title  # no names in e-mailed titles
    assert AccessLog.objects.filter(action="create", object_type="cases.referral", child_id=child.pk).exists()


def test_sending_checks_the_organization_service_and_due_date(users, child, hospital, ngo):
    with pytest.raises(ValidationError) as excinfo:
        send(users, child, hospital, service="legal_aid", reason="", due_on=datetime.date(2000, 1, 1))
    assert {"service", "reason", "due_on"} <= set(excinfo.value.message_dict)
    far = make_org(users.county_officer, name="外县医院")
    far.areas.set([Division.objects.get(code=areas.OTHER_TOWNSHIP_VILLAGE)])
    with pytest.raises(ValidationError) as excinfo:
        send(users, child, far)
    assert "organization" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        send(users, child, hospital, share_assessment=True)  # nothing to share yet
    assert "share_assessment" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        services.referral_send(
            user=users.director_other_county,
            child=child,
            organization=hospital,
            fields={"service": "medical", "reason": "x" * 5},
        )


# --- what the receiving organization sees ---


def test_the_receiving_users_see_their_referral_with_only_the_shared_parts(
    users, child, hospital, org_user, guardian
):
    from .helpers import open_case

    case = open_case(users.social_worker, child)
    services.assessment_save(user=users.social_worker, case=case, fields=dict(RATINGS, summary="情绪低落"))
    referral = send(users, child, hospital, case=case, share_guardian_contact=True)
    # Exactly the referrals addressed to their organization; never the child's file.
    assert list(selectors.referral_received(user=org_user)) == [referral]
    assert not registry_selectors.child_list(user=org_user).exists()
    with pytest.raises(Http404):
        registry_selectors.child_get(user=org_user, uuid=child.uuid)
    opened, side, shared = selectors.referral_open(user=org_user, pk=referral.pk)
    assert side == "receiver"
    assert shared["basic"]["name"] == "王小花" and shared["basic"]["village"].endswith("寺后村委会")
    assert shared["guardian_contact"] == [
        {"name": "王奶奶", "relation": guardian.get_relation_display(), "phone": "13800138000"}
    ]
    assert "health" not in shared and "assessment" not in shared  # not chosen by the sender
    row = AccessLog.objects.get(action="view", object_type="cases.referral", user=org_user)
    assert row.child_id == child.pk and row.detail["shared"] == ["guardian_contact"]


def test_another_organization_sees_nothing(users, child, hospital, ngo, other_org_user):
    referral = send(users, child, hospital)
    assert not selectors.referral_received(user=other_org_user).exists()
    with pytest.raises(Http404):
        selectors.referral_get(user=other_org_user, pk=referral.pk)
    with pytest.raises(PermissionDenied):
        services.referral_respond(
            user=other_org_user, referral=referral, expected_version=referral.version, status="accepted"
        )


def test_shared_parts_close_when_the_referral_is_finished(users, child, hospital, org_user, guardian):
    referral = send(users, child, hospital, share_guardian_contact=True, share_health=True)
    assert {"guardian_contact", "health"} <= set(selectors.referral_shared(referral=referral))
    services.referral_respond(
        user=org_user,
        referral=referral,
        expected_version=referral.version,
        status="declined",
        note="床位已满",
    )
    referral.refresh_from_db()
    assert set(selectors.referral_shared(referral=referral)) == {"basic"}


def test_accept_then_complete_tells_the_sender_and_closes_the_tasks(users, child, hospital, org_user):
    referral = send(users, child, hospital)
    services.referral_respond(
        user=org_user, referral=referral, expected_version=referral.version, status="accepted"
    )
    referral.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.referral_respond(
            user=org_user, referral=referral, expected_version=referral.version, status="completed"
        )
    assert "note" in excinfo.value.message_dict
    services.referral_respond(
        user=org_user,
        referral=referral,
        expected_version=referral.version,
        status="completed",
        note="已完成复查",
    )
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.outcome == "已完成复查"
    assert not inbox_selectors.task_list(user=org_user, kind="referral").exists()
    assert users.social_worker.notifications.filter(title__contains="已完成").exists()
    with pytest.raises(ValidationError):  # finished: no way back
        services.referral_respond(
            user=org_user, referral=referral, expected_version=referral.version, status="accepted"
        )


def test_the_sender_may_withdraw_with_a_reason(users, child, hospital, org_user):
    referral = send(users, child, hospital)
    with pytest.raises(ValidationError):
        services.referral_cancel(
            user=users.social_worker, referral=referral, expected_version=referral.version, reason=""
        )
    services.referral_cancel(
        user=users.social_worker,
        referral=referral,
        expected_version=referral.version,
        reason="家长已自行就医",
    )
    assert Referral.objects.get(pk=referral.pk).status == "cancelled"
    assert org_user.notifications.filter(title__contains="撤回").exists()
    assert not inbox_selectors.task_list(user=org_user).exists()


# --- reminders ---


def test_reminders_when_due_soon_then_overdue_once_each(users, child, hospital, org_user, clock):
    referral = send(users, child, hospital, due_on=clock.today() + datetime.timedelta(days=5))
    assert services.referral_reminders() == {"due_soon": 0, "overdue": 0}
    clock.travel(by=datetime.timedelta(days=4))
    assert services.referral_reminders() == {"due_soon": 1, "overdue": 0}
    assert Notification.objects.filter(user=org_user, title__contains="到期").count() == 1
    assert services.referral_reminders() == {"due_soon": 0, "overdue": 0}  # once
    clock.travel(by=datetime.timedelta(days=2))
    assert services.referral_reminders() == {"due_soon": 0, "overdue": 1}
    task = Task.objects.get(key=f"referral:{referral.pk}:u{org_user.pk}", status="open")
    assert task.priority == "urgent"
    followup = inbox_selectors.task_list(user=users.social_worker, kind="referral_overdue")
    assert followup.count() == 1 and followup[0].priority == "urgent"
    assert services.referral_reminders() == {"due_soon": 0, "overdue": 0}


def test_the_reminder_job_is_scheduled_and_runs(users, child, hospital, clock):
    from seedling.cases.tasks import referral_reminders
    from seedling.core.schedule import jobs

    assert "seedling.cases.tasks.referral_reminders" in jobs()
    send(users, child, hospital, due_on=clock.today())
    clock.travel(by=datetime.timedelta(days=1))
    referral_reminders.call()
    assert Referral.objects.get().reminded_overdue_on == clock.today()
