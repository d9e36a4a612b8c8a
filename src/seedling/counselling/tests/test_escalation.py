"""Nobody grants themselves a child's words: who manages the pool, who may supervise, who may move a
request. Only county officers manage the pool; a supervisor is another active counsellor of the pool;
nobody adds themselves, supervises themselves or takes a request over; notes move by the supervisor."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seedling.core.models import AccessLog
from seedling.counselling import services
from seedling.counselling.models import Counsellor, HelpRequest
from seedling.inbox.models import Notification
from seedling.testing import areas

from .helpers import make_counsellor, new_user, portal_request

pytestmark = pytest.mark.django_db

SECRET = "孩子说父亲打她，已约下周再谈"


@pytest.fixture
def noted(users, pool):
    request = portal_request()
    services.session_note_write(user=users.counsellor, request=request, fields={"text": SECRET})
    request.refresh_from_db()
    return request


@pytest.fixture
def lead(users):
    """An active counsellor of the county's pool who may supervise colleagues."""
    return make_counsellor(
        new_user("lead_counsellor", "school_counsellor", areas.COUNTY), areas=[areas.COUNTY]
    )


def _patch(client, counsellor, **body):
    counsellor.refresh_from_db()
    return client.patch(
        f"/api/v1/counsellors/{counsellor.pk}/",
        {"version": counsellor.version, **body},
        content_type="application/json",
    )


def test_county_level_school_counsellor_does_not_manage_the_pool(client, users, pool, head, noted):
    mine, other = pool
    client.force_login(head)  # screens at county level, but is not a county officer
    assert _patch(client, other, supervisor="head_counsellor").status_code == 404
    other.refresh_from_db()
    assert other.supervisor_id is None
    assert client.get(reverse("counselling:counsellor_create")).status_code == 403
    assert client.get("/api/v1/help-requests/counts/").status_code == 404
    response = client.post(
        f"/api/v1/help-requests/{noted.pk}/reassign/",
        {"version": noted.version, "counsellor": other.pk},
        content_type="application/json",
    )
    assert response.status_code == 200  # as mine's supervisor, not as an officer
    client.force_login(users.county_officer)
    assert client.get("/api/v1/help-requests/counts/").status_code == 200


def test_officer_cannot_make_themselves_supervisor(client, users, pool, noted):
    mine, _other = pool
    client.force_login(users.county_officer)
    response = _patch(client, mine, supervisor="county_officer")
    assert response.status_code == 400
    assert "不能把自己指定为督导" in response.json()["supervisor"][0]
    mine.refresh_from_db()
    assert mine.supervisor.username == "head_counsellor"
    assert client.get(f"/api/v1/help-requests/{noted.pk}/notes/").status_code == 404


def test_supervisor_must_be_an_active_counsellor_of_the_officers_pool(client, users, pool, lead):
    mine, other = pool
    client.force_login(users.county_officer)
    new_user("not_in_pool", "school_counsellor", areas.COUNTY)
    response = _patch(client, other, supervisor="not_in_pool")
    assert response.status_code == 400 and "辅导员库中在岗" in response.json()["supervisor"][0]
    lead.active = False
    lead.save()
    assert _patch(client, other, supervisor="lead_counsellor").status_code == 400
    far = make_counsellor(
        new_user("far_counsellor", "school_counsellor", areas.OTHER_COUNTY),
        areas=[areas.OTHER_COUNTY],
        home_area=areas.OTHER_COUNTY,
    )
    response = _patch(client, other, supervisor=far.user.username)
    assert response.status_code == 400 and "您所管理" in response.json()["supervisor"][0]
    other.refresh_from_db()
    assert other.supervisor_id is None
    # The page says the same, on the field.
    page = client.post(
        reverse("counselling:counsellor_edit", args=[other.pk]),
        {
            "version": other.version,
            "qualification": other.qualification,
            "languages": ["zh"],
            "home_area": areas.COUNTY,
            "area_codes": areas.COUNTY,
            "capacity": "20",
            "supervisor_username": "not_in_pool",
        },
    )
    assert page.status_code == 200 and "督导须是辅导员库中在岗的心理辅导员" in page.content.decode()


def test_supervisor_change_is_logged_with_both_and_the_counsellor_told(client, users, pool, head, lead):
    mine, _other = pool
    client.force_login(users.county_officer)
    response = _patch(client, mine, supervisor="lead_counsellor")
    assert response.status_code == 200 and response.json()["supervisor"] == "lead_counsellor"
    row = AccessLog.objects.filter(
        user=users.county_officer, object_type="counselling.counsellor", object_id=str(mine.pk)
    ).latest("pk")
    assert row.detail["supervisor"] == {"old": head.pk, "new": lead.user_id}
    assert Notification.objects.filter(user=users.counsellor, title__contains="督导已变更").exists()
    # Saving without a change of supervisor neither logs one nor tells anyone.
    told = Notification.objects.filter(user=users.counsellor).count()
    assert _patch(client, mine, capacity=9).status_code == 200
    assert (
        "supervisor" not in AccessLog.objects.filter(object_type="counselling.counsellor").latest("pk").detail
    )
    assert Notification.objects.filter(user=users.counsellor).count() == told


def test_officer_cannot_add_themselves_or_edit_their_own_entry(client, users, pool):
    client.force_login(users.county_officer)
    response = client.post(
        "/api/v1/counsellors/",
        {
            "user": "county_officer",
            "qualification": "trained",
            "languages": ["zh"],
            "home_area": areas.COUNTY,
            "areas": [areas.COUNTY],
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "不能把自己加入辅导员库" in response.json()["user"][0]
    assert not Counsellor.objects.filter(user=users.county_officer).exists()
    # Added by a colleague, the officer still does not manage their own entry.
    own = make_counsellor(users.county_officer, areas=[areas.TOWNSHIP])
    assert _patch(client, own, capacity=200).status_code == 404
    assert client.get(reverse("counselling:counsellor_edit", args=[own.pk])).status_code == 403


def test_nobody_reassigns_a_request_to_themselves(client, users, pool, head):
    mine, other = pool
    own = make_counsellor(users.county_officer, areas=[areas.TOWNSHIP])
    request = portal_request()
    client.force_login(users.county_officer)
    response = client.post(
        f"/api/v1/help-requests/{request.pk}/reassign/",
        {"version": request.version, "counsellor": own.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "不能把求助分派给自己" in response.json()["counsellor"][0]
    page = client.get(reverse("counselling:request_detail", args=[request.pk])).content.decode()
    assert f'value="{own.pk}"' not in page  # not offered in the form either
    supervising = make_counsellor(head, areas=[areas.COUNTY])
    with pytest.raises(ValidationError) as exc:
        services.help_request_reassign(
            request=request, counsellor=supervising, user=head, expected_version=request.version
        )
    assert "counsellor" in exc.value.message_dict
    request.refresh_from_db()
    assert request.counsellor == mine


def test_request_with_notes_is_moved_only_by_the_supervisor(client, users, pool, head, noted):
    mine, other = pool
    client.force_login(users.county_officer)
    response = client.post(
        f"/api/v1/help-requests/{noted.pk}/reassign/",
        {"version": noted.version, "counsellor": other.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "只能由负责辅导员的督导改派" in response.json()["non_field_errors"][0]
    page = client.get(reverse("counselling:request_detail", args=[noted.pk])).content.decode()
    assert 'id="reassign-problem"' in page
    noted.refresh_from_db()
    assert noted.counsellor == mine
    # Without notes the officer still distributes requests.
    fresh = portal_request()
    response = client.post(
        f"/api/v1/help-requests/{fresh.pk}/reassign/",
        {"version": fresh.version, "counsellor": other.pk},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["counsellor"] == other.pk
    services.help_request_reassign(request=noted, counsellor=other, user=head, expected_version=noted.version)
    noted.refresh_from_db()
    assert noted.counsellor == other and noted.status == HelpRequest.Status.ASSIGNED


def test_stale_reassign_answer_has_no_contents(client, users, pool):
    request = portal_request(contact="13900000000")
    client.force_login(users.county_officer)
    response = client.post(
        f"/api/v1/help-requests/{request.pk}/reassign/",
        {"version": request.version + 5, "counsellor": pool[1].pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert (
        request.message not in body
        and "13900000000" not in body
        and "message" not in response.json()["current"]
    )
