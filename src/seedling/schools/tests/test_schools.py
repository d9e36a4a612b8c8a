"""Schools: scope by area, filters, add and edit with version, bad input, activities, pages and API."""

import pytest
from django.urls import reverse

from seedling.schools import services
from seedling.schools.models import School
from seedling.testing import areas
from seedling.testing.scenario import make_user

from .conftest import make_school

pytestmark = pytest.mark.django_db


def _school_form(**overrides):
    data = {
        "name": "履坦镇第二小学",
        "code": "",
        "kind": "primary",
        "area": areas.TOWNSHIP,
        "address": "",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_counsellor_and_officer_see_school_other_county_and_director_do_not(client, users, school):
    for who in (users.counsellor, users.county_officer):
        client.force_login(who)
        assert school.name in client.get(reverse("schools:school_list")).content.decode()
        assert client.get(reverse("schools:school_detail", args=[school.pk])).status_code == 200
    officer = make_user("wl_officer", "county_officer", areas.OTHER_COUNTY)
    client.force_login(officer)
    assert client.get(reverse("schools:school_detail", args=[school.pk])).status_code == 404
    assert client.get("/api/v1/schools/").json()["count"] == 0
    client.force_login(users.director)
    assert client.get(reverse("schools:school_list")).status_code == 403
    assert client.get(f"/api/v1/schools/{school.pk}/").status_code == 404


def test_filters_pilot_kind_area(client, users, school):
    make_school(
        users.county_officer,
        name="柳城初中",
        code="",
        kind="junior",
        area=areas.OTHER_TOWNSHIP_VILLAGE[:9],
        pilot=False,
    )
    client.force_login(users.county_officer)
    names = lambda q: [s["name"] for s in client.get("/api/v1/schools/", q).json()["results"]]  # noqa: E731
    assert names({"pilot": "true"}) == [school.name]
    assert names({"kind": "junior"}) == ["柳城初中"]
    assert names({"area": areas.TOWNSHIP}) == [school.name]
    page = client.get(reverse("schools:school_list"), {"pilot": "false"}).content.decode()
    assert "柳城初中" in page and school.name not in page


def test_create_by_page_and_bad_input(client, users, school):
    client.force_login(users.counsellor)
    response = client.post(reverse("schools:school_create"), _school_form(code="123"))
    assert "学校标识码应为 10 位数字" in response.content.decode()
    response = client.post(reverse("schools:school_create"), _school_form(code=school.code))
    assert "已被另一所学校使用" in response.content.decode()
    response = client.post(reverse("schools:school_create"), _school_form(area=areas.OTHER_COUNTY))
    assert "不在您的管理范围内" in response.content.decode()
    response = client.post(reverse("schools:school_create"), _school_form(pilot_since="2024-01-01"))
    assert "只有试点学校才有试点开始日期" in response.content.decode()
    assert School.objects.count() == 1
    response = client.post(
        reverse("schools:school_create"), _school_form(pilot="on", pilot_since="2024-03-01")
    )
    assert response.status_code == 302
    assert School.objects.get(name="履坦镇第二小学").pilot


def test_stale_edit_refused_page_and_api(client, users, school):
    client.force_login(users.county_officer)
    url = reverse("schools:school_edit", args=[school.pk])
    first = client.post(
        url, _school_form(name="履坦镇中心小学（新）", code=school.code, version=school.version)
    )
    assert first.status_code == 302
    stale = client.post(url, _school_form(name="另一个名字", code=school.code, version=school.version))
    assert stale.status_code == 200 and 'id="stale"' in stale.content.decode()
    school.refresh_from_db()
    assert school.name == "履坦镇中心小学（新）"
    response = client.patch(
        f"/api/v1/schools/{school.pk}/", {"version": 1, "address": "履坦镇"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["current"]["name"] == "履坦镇中心小学（新）"
    response = client.patch(
        f"/api/v1/schools/{school.pk}/",
        {"version": school.version, "address": "履坦镇"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["address"] == "履坦镇"


def test_api_create_bad_input_named(client, users):
    client.force_login(users.counsellor)
    response = client.post(
        "/api/v1/schools/", {"name": "", "kind": "bogus", "area": "999"}, content_type="application/json"
    )
    assert response.status_code == 400 and {"name", "kind", "area"} <= set(response.json())
    response = client.post(
        "/api/v1/schools/",
        {"name": "温岭小学", "kind": "primary", "area": areas.OTHER_COUNTY},
        content_type="application/json",
    )
    assert response.status_code == 400 and "area" in response.json()


def test_activity_record_and_list(client, users, school, school_class):
    client.force_login(users.counsellor)
    url = reverse("schools:activity_create", args=[school.pk])
    bad = client.post(
        url,
        {"held_on": "2999-01-01", "kind": "lesson", "audience": "students", "title": "", "participants": 0},
    )
    assert bad.status_code == 200
    response = client.post(
        url,
        {
            "held_on": "2024-03-01",
            "kind": "lesson",
            "audience": "students",
            "title": "认识情绪",
            "participants": 42,
            "school_class": school_class.pk,
        },
    )
    assert response.status_code == 302
    api = client.get(f"/api/v1/schools/{school.pk}/activities/").json()
    assert api["results"][0]["title"] == "认识情绪" and api["results"][0]["school_class"] == school_class.pk
    response = client.post(
        f"/api/v1/schools/{school.pk}/activities/",
        {"held_on": "2999-01-01", "kind": "lesson", "title": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "held_on" in response.json()


def test_activity_class_of_other_school_refused(users, school, school_class):
    other = make_school(users.county_officer, name="另一所", code="")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            user=users.county_officer,
            school=other,
            fields={
                "held_on": school.created_at.date(),
                "kind": "lesson",
                "title": "x",
                "school_class": school_class,
            },
        )
    assert "school_class" in exc.value.message_dict


def test_class_rules(client, users, school, school_class):
    client.force_login(users.counsellor)
    url = reverse("schools:class_create", args=[school.pk])
    response = client.post(url, {"school_year": school_class.school_year, "grade": 8, "name": "初二(3)班"})
    assert "该类型学校只有 1 到 6 年级" in response.content.decode()
    response = client.post(url, {"school_year": school_class.school_year, "grade": 5, "name": "五年级1班"})
    assert "已有名为" in response.content.decode()
    response = client.post(url, {"school_year": school_class.school_year, "grade": 5, "name": "五年级2班"})
    assert response.status_code == 302
