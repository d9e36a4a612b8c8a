"""Students and classes are edited by several people (class teacher, school counsellor, county
officer): an edit made on an old page is refused and shows the newer values, never overwrites them."""

import pytest
from django.urls import reverse

from seedling.schools import services

pytestmark = pytest.mark.django_db


def test_stale_student_edit_refused_on_the_page(client, users, school_class, birth):
    student = services.student_save(
        user=users.counsellor,
        school_class=school_class,
        fields={"name": "王浩然", "sex": "M", "birth_date": birth},
    )
    url = reverse("schools:student_edit", args=[student.pk])
    client.force_login(users.counsellor)
    assert f'name="version" value="{student.version}"' in client.get(url).content.decode()
    common = {"sex": "M", "birth_date": birth.isoformat(), "id_number": "", "version": student.version}
    # Two people opened the page: A fixes the 学号, then B (on the old page) fixes the name.
    assert client.post(url, {**common, "name": "王浩然", "student_number": "2024050101"}).status_code == 302
    client.force_login(users.county_officer)
    response = client.post(url, {**common, "name": "王皓然", "student_number": ""})
    body = response.content.decode()
    assert response.status_code == 200 and 'id="stale"' in body and "2024050101" in body
    student.refresh_from_db()
    assert student.name == "王浩然" and student.student_number == "2024050101"
    response = client.post(
        url, {**common, "version": student.version, "name": "王皓然", "student_number": "2024050101"}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.name == "王皓然" and student.student_number == "2024050101"


def test_student_api_requires_the_version(client, users, school_class):
    student = services.student_save(
        user=users.counsellor, school_class=school_class, fields={"name": "林可欣"}
    )
    client.force_login(users.counsellor)
    url = f"/api/v1/students/{student.pk}/"
    response = client.patch(url, {"student_number": "7"}, content_type="application/json")
    assert response.status_code == 400 and "version" in response.json()
    ok = client.patch(
        url, {"version": student.version, "student_number": "7"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == student.version + 1
    stale = client.patch(url, {"version": student.version, "name": "林可心"}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["student_number"] == "7"
    student.refresh_from_db()
    assert student.name == "林可欣"


def test_stale_class_edit_refused_page_and_api(client, users, school_class):
    client.force_login(users.counsellor)
    url = f"/api/v1/school-classes/{school_class.pk}/"
    response = client.patch(url, {"head_teacher": "张老师"}, content_type="application/json")
    assert response.status_code == 400 and "version" in response.json()
    ok = client.patch(
        url, {"version": school_class.version, "head_teacher": "张老师"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["head_teacher"] == "张老师"
    stale = client.patch(
        url, {"version": school_class.version, "head_teacher": "李老师"}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["current"]["head_teacher"] == "张老师"
    page_url = reverse("schools:class_edit", args=[school_class.pk])
    form = {
        "version": school_class.version,
        "school_year": school_class.school_year,
        "grade": school_class.grade,
        "name": school_class.name,
        "head_teacher": "李老师",
    }
    response = client.post(page_url, form)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="stale"' in body and "张老师" in body
    school_class.refresh_from_db()
    assert school_class.head_teacher == "张老师"
    assert client.post(page_url, {**form, "version": school_class.version}).status_code == 302
    school_class.refresh_from_db()
    assert school_class.head_teacher == "李老师"
