"""Linking a student to a registered child: suggestions within scope, confirm, unlink, all logged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seedling.core.models import AccessLog
from seedling.registry import idnumber
from seedling.schools import services
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users, birth):
    return child_create(users.director, name="王浩然", sex="M", birth_date=birth)


@pytest.fixture
def student(users, school_class, birth):
    return services.student_save(
        user=users.counsellor,
        school_class=school_class,
        fields={"name": "王浩然", "sex": "M", "birth_date": birth},
    )


def test_suggestion_by_name_and_birth_date_then_link_logged(client, users, child, student):
    client.force_login(users.counsellor)
    url = reverse("schools:student_link", args=[student.pk])
    page = client.get(url).content.decode()
    assert str(child.uuid) in page and "姓名和出生日期一致" in page
    assert AccessLog.objects.filter(
        user=users.counsellor, action="search", object_id=str(student.pk)
    ).exists()
    # The suggestion shows the child's name, birth date and village: a read of that child's file.
    assert AccessLog.objects.filter(
        user=users.counsellor, action="view", child_id=child.pk, reason="student_link"
    ).exists()
    assert client.post(url, {"child": str(child.uuid)}).status_code == 302
    student.refresh_from_db()
    assert student.child == child
    assert AccessLog.objects.filter(
        user=users.counsellor, action="change", child_id=child.pk, detail__linked=True
    ).exists()
    client.post(url, {"unlink": "1"})
    student.refresh_from_db()
    assert student.child is None
    assert AccessLog.objects.filter(child_id=child.pk, detail__unlinked=True).exists()


def test_suggestion_by_id_number_blind_index(client, users, school_class, birth):
    number = idnumber.make(areas.COUNTY, birth, 41)
    registered = child_create(users.director, name="王皓然", sex="M", birth_date=birth, id_number=number)
    student = services.student_save(
        user=users.counsellor, school_class=school_class, fields={"name": "王浩然", "id_number": number}
    )
    client.force_login(users.counsellor)
    data = client.get(f"/api/v1/students/{student.pk}/suggestions/").json()
    assert data[0]["uuid"] == str(registered.uuid) and data[0]["match_by_id"] is True


def test_children_outside_scope_never_suggested_nor_linkable(client, users, school_class, birth):
    far = child_create(
        users.director_other_county,
        name="王浩然",
        sex="M",
        birth_date=birth,
        area_code=areas.OTHER_COUNTY_VILLAGE,
    )
    student = services.student_save(
        user=users.counsellor, school_class=school_class, fields={"name": "王浩然", "birth_date": birth}
    )
    client.force_login(users.counsellor)
    assert client.get(f"/api/v1/students/{student.pk}/suggestions/").json() == []
    response = client.post(
        f"/api/v1/students/{student.pk}/link/", {"child": str(far.uuid)}, content_type="application/json"
    )
    assert response.status_code == 404
    response = client.post(reverse("schools:student_link", args=[student.pk]), {"child": "not-a-uuid"})
    assert response.status_code == 404
    student.refresh_from_db()
    assert student.child is None


def test_one_active_student_per_child_per_class(users, school_class, child, student, birth):
    services.student_link(user=users.counsellor, student=student, child=child)
    twin = services.student_save(user=users.counsellor, school_class=school_class, fields={"name": "王浩然"})
    with pytest.raises(ValidationError) as exc:
        services.student_link(user=users.counsellor, student=twin, child=child)
    assert "child" in exc.value.message_dict
    # A left student gives the link up to the new roster row.
    services.student_deactivate(user=users.counsellor, student=student)
    services.student_link(user=users.counsellor, student=twin, child=child)
    student.refresh_from_db()
    twin.refresh_from_db()
    assert twin.child == child and student.child is None


def test_other_area_user_gets_404_on_student(client, users, student):
    client.force_login(users.director)
    assert client.get(reverse("schools:student_link", args=[student.pk])).status_code == 404
    assert client.get(f"/api/v1/students/{student.pk}/suggestions/").status_code == 404


def test_child_file_shows_school_card(client, users, child, student):
    services.student_link(user=users.counsellor, student=student, child=child)
    client.force_login(users.director)
    body = client.get(reverse("child_detail", args=[child.uuid])).content.decode()
    assert 'id="school-rows"' in body and student.school_class.name in body
    # the director may read the file but does not manage the school: no roster link
    assert reverse("schools:class_detail", args=[student.school_class_id]) not in body


def test_link_page_names_the_linked_child_only_to_who_may_view_it(client, users, school_class, birth):
    # Registered in 柳城畲族镇 县前村, the child attends the school in 履坦镇.
    far = child_create(
        users.county_officer, name="雷小芳", sex="F", birth_date=birth, area_code=areas.OTHER_TOWNSHIP_VILLAGE
    )
    student = services.student_save(
        user=users.county_officer,
        school_class=school_class,
        fields={"name": "雷芳", "sex": "F", "birth_date": birth},
    )
    services.student_link(user=users.county_officer, student=student, child=far)
    url = reverse("schools:student_link", args=[student.pk])
    client.force_login(users.counsellor)  # school counsellor of 履坦镇 only: may not view the child
    page = client.get(url).content.decode()
    assert "已关联档案" in page and "雷小芳" not in page and "县前村" not in page
    assert not AccessLog.objects.filter(user=users.counsellor, action="view", child_id=far.pk).exists()
    client.force_login(users.county_officer)  # may view the child: sees who it is, a logged read
    page = client.get(url).content.decode()
    assert "雷小芳" in page
    assert AccessLog.objects.filter(
        user=users.county_officer, action="view", child_id=far.pk, object_id=str(student.pk)
    ).exists()


def test_screening_results_follow_the_link_when_a_wrong_match_is_undone(users, school_class):
    """A red PHQ-A filed under a wrongly linked child leaves that child's file when the link is undone,
    and reaches the right child's file when the student is linked again."""
    from seedling.assessments import campaigns, screening
    from seedling.assessments.models import Invitation, Response
    from seedling.assessments.tests.campaign_helpers import PHQ_A_RED, born, form_of, window

    birth = born(15)  # 14 or older: no guardian consent needed for this test
    wrong = child_create(users.director, name="林小雨", birth_date=birth)
    right = child_create(users.director, name="林晓雨", birth_date=birth)
    student = services.student_save(
        user=users.counsellor, school_class=school_class, fields={"name": "林晓雨", "birth_date": birth}
    )
    services.student_link(user=users.counsellor, student=student, child=wrong)
    campaign = campaigns.campaign_create(
        user=users.counsellor,
        fields={"title": "筛查", "questionnaire_version": form_of("phq-a"), "target": "class",
                "school_class": school_class, **window()},
    )  # fmt: skip
    campaigns.campaign_open(user=users.counsellor, campaign=campaign)
    invitation = Invitation.objects.get(campaign=campaign, student=student)
    response = screening.campaign_response_submit(
        campaign=campaign, data=PHQ_A_RED, language="zh",
        invitation=invitation,
    )  # fmt: skip
    assert Response.objects.get(pk=response.pk).child_id == wrong.pk

    services.student_unlink(user=users.counsellor, student=student)
    assert Response.objects.get(pk=response.pk).child_id is None
    assert not Response.objects.filter(child=wrong).exists()

    services.student_link(user=users.counsellor, student=student, child=right)
    assert Response.objects.get(pk=response.pk).child_id == right.pk
