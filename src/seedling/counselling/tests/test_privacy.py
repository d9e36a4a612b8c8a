"""Session notes and request contents: only the owning counsellor and that counsellor's supervisor.

Each refusal is proven through the pages and the API: the area's county officer, the system
administrator and another counsellor all get 404; every read of notes is in the access log.
"""

import pytest
from django.urls import reverse

from seedling.core.models import AccessLog
from seedling.counselling import services

from .helpers import portal_request

pytestmark = pytest.mark.django_db

SECRET = "孩子说父亲打她，已约下周再谈"


@pytest.fixture
def noted(users, pool):
    request = portal_request()
    services.session_note_write(user=users.counsellor, request=request, fields={"text": SECRET})
    request.refresh_from_db()
    return request


def _outsiders(users, pool):
    return {"county_officer": users.county_officer, "admin": users.admin, "other": pool[1].user}


@pytest.mark.parametrize("who", ["county_officer", "admin", "other"])
def test_notes_refused_through_api(client, users, pool, noted, who):
    client.force_login(_outsiders(users, pool)[who])
    base = f"/api/v1/help-requests/{noted.pk}/"
    assert client.get(base + "notes/").status_code == 404
    assert client.post(base + "notes/", {"text": "越权"}, content_type="application/json").status_code == 404
    assert client.get(base).status_code == 404
    assert noted.notes.count() == 1


@pytest.mark.parametrize("who", ["admin", "other"])
def test_request_page_refused(client, users, pool, noted, who):
    client.force_login(_outsiders(users, pool)[who])
    assert client.get(reverse("counselling:request_detail", args=[noted.pk])).status_code == 404
    url = reverse("counselling:note_create", args=[noted.pk])
    assert (
        client.post(
            url, {"text": "越权", "held_on": "2024-01-01", "mode": "phone", "risk": "none"}
        ).status_code
        == 404
    )


def test_county_officer_sees_outline_not_contents_or_notes(client, users, noted):
    client.force_login(users.county_officer)
    response = client.get(reverse("counselling:request_detail", args=[noted.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET not in body and noted.message not in body and noted.contact_name not in body
    assert 'id="outline-only"' in body
    url = reverse("counselling:note_create", args=[noted.pk])
    assert (
        client.post(
            url, {"text": "越权", "held_on": "2024-01-01", "mode": "phone", "risk": "none"}
        ).status_code
        == 404
    )
    assert not AccessLog.objects.filter(user=users.county_officer, detail__has_key="session_notes").exists()


def test_counsellor_and_supervisor_read_notes_and_each_read_is_logged(client, users, pool, head, noted):
    for reader in (users.counsellor, head):
        client.force_login(reader)
        before = AccessLog.objects.filter(
            user=reader, object_id=str(noted.pk), detail__has_key="session_notes"
        ).count()
        page = client.get(reverse("counselling:request_detail", args=[noted.pk]))
        assert SECRET in page.content.decode()
        api = client.get(f"/api/v1/help-requests/{noted.pk}/notes/")
        assert api.status_code == 200 and api.json()[0]["text"] == SECRET
        after = AccessLog.objects.filter(
            user=reader, object_id=str(noted.pk), detail__has_key="session_notes"
        ).count()
        assert after == before + 2


def test_supervisor_may_write_a_note(client, users, head, noted):
    client.force_login(head)
    response = client.post(
        f"/api/v1/help-requests/{noted.pk}/notes/",
        {"text": "督导意见：评估自伤风险"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["written_by"] == "head_counsellor"


def test_previous_counsellor_loses_access_after_reassignment(client, users, pool, head, noted):
    mine, other = pool
    services.help_request_reassign(request=noted, counsellor=other, user=head, expected_version=noted.version)
    client.force_login(users.counsellor)
    assert client.get(f"/api/v1/help-requests/{noted.pk}/notes/").status_code == 404
    client.force_login(other.user)
    assert client.get(f"/api/v1/help-requests/{noted.pk}/notes/").status_code == 200


def test_list_shows_only_own_and_supervised(client, users, pool, head, noted):
    client.force_login(pool[1].user)
    assert client.get("/api/v1/help-requests/").json()["count"] == 0
    client.force_login(head)
    assert [r["id"] for r in client.get("/api/v1/help-requests/").json()["results"]] == [noted.pk]
    client.force_login(users.admin)
    assert client.get("/api/v1/help-requests/").json()["count"] == 0
    page = client.get(reverse("counselling:request_list"))
    assert page.status_code == 200 and SECRET not in page.content.decode()


def test_officer_counts_not_contents(client, users, noted):
    client.force_login(users.county_officer)
    data = client.get("/api/v1/help-requests/counts/").json()
    assert data["by_status"] == {"in_progress": 1}
    assert noted.message not in str(data) and noted.contact_name not in str(data)
    page = client.get(reverse("counselling:request_list")).content.decode()
    assert 'id="counts"' in page and noted.message not in page
    client.force_login(users.director)
    assert client.get("/api/v1/help-requests/counts/").status_code == 404


def test_counselling_rows_name_the_request_and_area_not_the_child(client, users, pool, child):
    request = services.help_request_create(
        source="screening", area=child.area_id, child=child, message="想找人聊聊"
    )
    services.session_note_write(user=users.counsellor, request=request, fields={"text": SECRET})
    client.force_login(users.counsellor)
    assert client.get(reverse("counselling:request_detail", args=[request.pk])).status_code == 200
    assert client.get(f"/api/v1/help-requests/{request.pk}/").status_code == 200
    rows = AccessLog.objects.filter(object_type__startswith="counselling.")
    assert rows.filter(user=users.counsellor, action="view", object_id=str(request.pk)).count() >= 2
    assert not rows.filter(child_id=child.pk).exists()
    assert set(rows.values_list("area_code", flat=True)) == {child.area_id}
    # The area's auditors looking at the child's rows do not learn that the child asked for help.
    for auditor in (users.county_officer, users.admin):
        client.force_login(auditor)
        page = client.get("/audit/", {"child": str(child.uuid)})
        assert page.status_code == 200 and "求助请求" not in page.content.decode()


def test_api_list_leaves_out_contents_the_single_read_has_them(client, users, pool, head, child):
    request = services.help_request_create(
        source="screening", area=child.area_id, child=child, message="爸爸喝醉了会打我", contact="13900000000"
    )
    client.force_login(head)
    before = AccessLog.objects.filter(user=head).count()
    response = client.get("/api/v1/help-requests/")
    row = response.json()["results"][0]
    assert row["id"] == request.pk and row["status"] == "assigned"
    assert not {"message", "contact", "contact_name", "child"} & set(row)
    assert (
        "爸爸喝醉了会打我" not in response.content.decode() and "13900000000" not in response.content.decode()
    )
    assert AccessLog.objects.filter(user=head).count() == before
    one = client.get(f"/api/v1/help-requests/{request.pk}/").json()
    assert one["message"] == "爸爸喝醉了会打我" and one["child"] == str(child.uuid)
    assert AccessLog.objects.filter(user=head, action="view", object_id=str(request.pk)).count() == 1
