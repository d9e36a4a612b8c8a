"""The visits API: same scope, rules, locking and audit as the pages; errors naming the field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.fieldwork.models import Visit
from seedling.testing import areas

from .conftest import days, left_behind_confirmed, visit

pytestmark = pytest.mark.django_db

VISITS = "/api/v1/visits/"
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 200


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def child(users):
    return left_behind_confirmed(users.director)


def body(child, **extra):
    data = {"child": str(child.uuid), "visited_on": clock.today().isoformat(), "method": "home",
            "present": ["child", "carer"], "guardianship": "祖母照料"}  # fmt: skip
    data.update(extra)
    return data


def test_record_a_visit_and_the_due_date_moves(users, child, clock):
    response = api(users.director).post(VISITS, body(child, risk_flags=["dropped_out"]), format="json")
    assert response.status_code == 201, response.data
    data = response.json()
    assert data["child"] == str(child.uuid) and data["method_display"] == "入户走访"
    assert data["present"] == ["child", "carer"] and data["risk_flags"] == ["dropped_out"]
    assert data["version"] == 1 and data["revision"] == 1
    assert child.visit_status.next_due_on == clock.today() + days(90)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"visited_on": None}, "visited_on"),
        ({"risk_flags": ["abducted_by_aliens"]}, "risk_flags"),
        ({"method": "telepathy"}, "method"),
        ({"follow_up_on": "2001-01-01"}, "follow_up_on"),
    ],
)
def test_errors_name_the_field(users, child, extra, field):
    response = api(users.director).post(VISITS, body(child, **extra), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Visit.objects.exists()


def test_a_child_outside_the_area_is_refused_without_revealing_it(users, child):
    response = api(users.director_b).post(VISITS, body(child), format="json")
    assert response.status_code == 400
    assert "未找到该儿童档案" in response.json()["child"][0]


def test_open_a_visit_is_scoped_and_logged(users, child):
    v = visit(users.director, child)
    assert api(users.director_b).get(f"{VISITS}{v.pk}/").status_code == 404
    response = api(users.supervisor).get(f"{VISITS}{v.pk}/")
    assert response.status_code == 200 and response.json()["guardianship"] == ""
    assert (
        AccessLog.objects.filter(action="view", object_type="fieldwork.visit", user=users.supervisor).count()
        == 1
    )


def test_list_by_child_is_logged_as_reading_the_file(users, child):
    visit(users.director, child)
    response = api(users.director).get(VISITS, {"child": str(child.uuid)})
    assert response.status_code == 200 and response.json()["count"] == 1
    assert AccessLog.objects.filter(action="view", child_id=child.pk, object_type="registry.child").exists()
    assert api(users.director_b).get(VISITS).json()["count"] == 0


def test_edits_lock_and_keep_versions(users, child, clock):
    v = visit(users.director, child, schooling="初一")
    client = api(users.director)
    ok = client.patch(f"{VISITS}{v.pk}/", {"version": 1, "schooling": "初一，成绩中等"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"{VISITS}{v.pk}/", {"version": 1, "schooling": "辍学"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["schooling"] == "初一，成绩中等"
    no_version = client.patch(f"{VISITS}{v.pk}/", {"schooling": "辍学"}, format="json")
    assert no_version.status_code == 400 and "version" in no_version.json()
    clock.travel(by=days(10))
    late = client.patch(f"{VISITS}{v.pk}/", {"version": 2, "schooling": "初二"}, format="json")
    assert late.status_code == 400 and "reason" in late.json()
    amended = client.patch(
        f"{VISITS}{v.pk}/", {"version": 2, "schooling": "初二", "reason": "升级"}, format="json"
    )
    assert amended.status_code == 200
    data = amended.json()
    assert data["revision"] == 2 and data["versions"][0]["content"]["schooling"] == "初一，成绩中等"


def test_attachments_upload_and_download(users, child):
    v = visit(users.director, child)
    client = api(users.director)
    refused = client.post(
        f"{VISITS}{v.pk}/attachments/", {"file": SimpleUploadedFile("a.txt", b"hi")}, format="multipart"
    )
    assert refused.status_code == 400 and "只能上传" in refused.json()["file"][0]
    created = client.post(
        f"{VISITS}{v.pk}/attachments/", {"file": SimpleUploadedFile("a.jpg", JPEG)}, format="multipart"
    )
    assert created.status_code == 201, created.data
    url = created.json()["download_url"]
    assert api(users.director_b).get(url).status_code == 404
    response = api(users.supervisor).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG
    assert (
        api(users.director_b)
        .post(f"{VISITS}{v.pk}/attachments/", {"file": SimpleUploadedFile("b.jpg", JPEG)}, format="multipart")
        .status_code
        == 404
    )


def test_worklist_api(users, child, clock):
    clock.travel(by=days(95))
    response = api(users.director).get("/api/v1/visit-worklist/")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["child"] == str(child.uuid) and row["overdue"] is True
    areas_response = api(users.supervisor).get("/api/v1/visit-worklist/areas/")
    counts = {r["code"]: r["overdue"] for r in areas_response.json()}
    assert counts[areas.VILLAGE_A] == 1 and counts[areas.VILLAGE_B] == 0
    assert api(users.director).get("/api/v1/visit-worklist/", {"area": areas.VILLAGE_B}).status_code == 404
    bad = api(users.director).get("/api/v1/visit-worklist/", {"within": -3})
    assert bad.status_code == 400 and "within" in bad.json()
