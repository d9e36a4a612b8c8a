"""The counsellor pool: county officers manage their area's counsellors; a counsellor edits their own."""

import pytest
from django.urls import reverse

from seedling.counselling.models import Counsellor
from seedling.testing import areas

from .helpers import new_user

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "username": "new_counsellor",
        "qualification": "counsellor_2",
        "languages": ["zh", "bo"],
        "home_area": areas.COUNTY,
        "area_codes": f"{areas.TOWNSHIP} {areas.OTHER_TOWNSHIP_VILLAGE[:9]}",
        "capacity": "10",
        "supervisor_username": "",
        "phone": "13900001111",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_officer_adds_counsellor_by_page(client, users):
    new_user("new_counsellor", "social_worker", areas.TOWNSHIP)
    client.force_login(users.county_officer)
    response = client.post(reverse("counselling:counsellor_create"), _form())
    assert response.status_code == 302
    added = Counsellor.objects.get(user__username="new_counsellor")
    assert added.language_list == ["bo", "zh"] and added.capacity == 10
    assert sorted(a.code for a in added.areas.all()) == sorted(
        [areas.TOWNSHIP, areas.OTHER_TOWNSHIP_VILLAGE[:9]]
    )


def test_bad_input_named(client, users):
    new_user("new_counsellor", "social_worker", areas.TOWNSHIP)
    client.force_login(users.county_officer)
    response = client.post(
        reverse("counselling:counsellor_create"),
        _form(area_codes=f"{areas.OTHER_COUNTY} 12x", capacity="0", username="nobody"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "找不到用户名为“nobody”的用户" in body and "12x" in body
    response = client.post(reverse("counselling:counsellor_create"), _form(area_codes=areas.OTHER_COUNTY))
    assert "不在您的管理范围内" in response.content.decode()
    assert not Counsellor.objects.exists()


def test_counsellor_and_sysadmin_cannot_manage(client, users, pool):
    for who in (users.counsellor, users.admin):
        client.force_login(who)
        assert client.get(reverse("counselling:counsellor_create")).status_code == 403
    client.force_login(users.counsellor)
    assert client.get(reverse("counselling:counsellor_edit", args=[pool[0].pk])).status_code == 403


def test_officer_of_other_county_does_not_see_pool(client, users, pool):
    client.force_login(new_user("wl_officer", "county_officer", areas.OTHER_COUNTY))
    assert client.get("/api/v1/counsellors/").json()["count"] == 0
    assert client.get(reverse("counselling:counsellor_detail", args=[pool[0].pk])).status_code == 404


def test_officer_edits_with_version_and_stale_refused(client, users, pool):
    mine = pool[0]
    client.force_login(users.county_officer)
    url = f"/api/v1/counsellors/{mine.pk}/"
    response = client.patch(url, {"version": mine.version, "capacity": 5}, content_type="application/json")
    assert response.status_code == 200 and response.json()["capacity"] == 5
    response = client.patch(url, {"version": mine.version, "capacity": 6}, content_type="application/json")
    assert response.status_code == 409 and response.json()["current"]["capacity"] == 5


def test_counsellor_edits_own_profile_only(client, users, pool):
    mine = pool[0]
    client.force_login(users.counsellor)
    response = client.post(
        reverse("counselling:counsellor_me"),
        {"version": mine.version, "languages": ["zh", "ug"], "phone": "13800002222"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.language_list == ["ug", "zh"] and mine.active is False and mine.phone == "13800002222"
    response = client.patch(
        "/api/v1/counsellors/me/", {"version": mine.version, "languages": []}, content_type="application/json"
    )
    assert response.status_code == 400 and "languages" in response.json()
    response = client.patch(
        f"/api/v1/counsellors/{mine.pk}/",
        {"version": mine.version, "capacity": 99},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_api_create_by_officer(client, users):
    new_user("sw2", "social_worker", areas.TOWNSHIP)
    client.force_login(users.county_officer)
    response = client.post(
        "/api/v1/counsellors/",
        {
            "user": "sw2",
            "qualification": "social_worker",
            "languages": ["zh"],
            "home_area": areas.COUNTY,
            "areas": [areas.TOWNSHIP],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    again = client.post(
        "/api/v1/counsellors/",
        {
            "user": "sw2",
            "qualification": "social_worker",
            "languages": ["zh"],
            "home_area": areas.COUNTY,
            "areas": [areas.TOWNSHIP],
        },
        content_type="application/json",
    )
    assert again.status_code == 400 and "user" in again.json()


def test_supervisor_sees_supervisees(client, users, pool, head):
    client.force_login(head)
    names = [c["username"] for c in client.get("/api/v1/counsellors/").json()["results"]]
    assert "counsellor" in names


def test_staff_request_by_api(client, users, pool):
    client.force_login(users.counsellor)
    response = client.post(
        "/api/v1/help-requests/",
        {"area": areas.VILLAGE_A, "requester": "teacher", "message": "学生情绪低落"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["counsellor"] == pool[0].pk
    response = client.post(
        "/api/v1/help-requests/", {"area": areas.OTHER_COUNTY_VILLAGE}, content_type="application/json"
    )
    assert response.status_code == 404
