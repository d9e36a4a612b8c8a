"""Screening coverage per class and school, and the county overview of pilot schools."""

import datetime
import itertools

import pytest
from django.urls import reverse

from seedling.assessments.models import Campaign, Invitation, Questionnaire, QuestionnaireVersion
from seedling.core import clock
from seedling.schools import coverage, services
from seedling.testing import areas
from seedling.testing.scenario import make_user

from .conftest import make_school

pytestmark = pytest.mark.django_db
_codes = itertools.count()


def _campaign(user, school, school_class, opens_at):
    questionnaire = Questionnaire.objects.create(code=f"phq-a-{next(_codes)}", title="PHQ-A")
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1, spec={})
    return Campaign.objects.create(
        title="春季心理筛查",
        questionnaire_version=version,
        target="class",
        school=school,
        school_class=school_class,
        area=school.area,
        opens_at=opens_at,
        closes_at=opens_at + datetime.timedelta(days=14),
        status="open",
        token=f"t{next(_codes)}",
        counsellor=user,
    )


def _invite(campaign, student, status="invited"):
    return Invitation.objects.create(
        campaign=campaign, student=student, code_hash=f"h{next(_codes)}", status=status
    )


@pytest.fixture
def students(users, school_class):
    return [
        services.student_save(user=users.counsellor, school_class=school_class, fields={"name": name})
        for name in ("王浩然", "李雨", "张子涵", "赵欣怡")
    ]


def test_zero_without_campaigns(users, school, school_class, students):
    cover = coverage.class_coverage(classes=[school_class])[school_class.pk]
    assert (cover.students, cover.invited, cover.completed, cover.activities) == (4, 0, 0, 0)
    assert cover.completed_percent == 0


def test_counts_invited_and_completed_this_term_only(users, school, school_class, students):
    now = clock.now()
    this_term = _campaign(users.counsellor, school, school_class, now)
    _invite(this_term, students[0], "completed")
    _invite(this_term, students[1], "started")
    _invite(this_term, students[2], "invited")
    old = _campaign(users.counsellor, school, school_class, now - datetime.timedelta(days=400))
    _invite(old, students[3], "completed")
    services.activity_record(
        user=users.counsellor,
        school=school,
        fields={
            "held_on": clock.today(),
            "kind": "lesson",
            "title": "认识情绪",
            "school_class": school_class,
        },
    )
    cover = coverage.class_coverage(classes=[school_class])[school_class.pk]
    assert (cover.students, cover.invited, cover.completed, cover.activities) == (4, 3, 1, 1)
    total = coverage.school_coverage(schools=[school])[school.pk]
    assert (total.students, total.invited, total.completed, total.activities) == (4, 3, 1, 1)


def test_overview_pilot_schools_of_area_only(client, users, school, school_class, students):
    make_school(users.county_officer, name="非试点小学", code="", pilot=False)
    officer = make_user("wl_officer", "county_officer", areas.OTHER_COUNTY)
    make_school(officer, name="温岭试点小学", code="", area=areas.OTHER_COUNTY)
    client.force_login(users.county_officer)
    body = client.get(reverse("schools:overview")).content.decode()
    assert school.name in body and "非试点小学" not in body and "温岭试点小学" not in body
    data = client.get("/api/v1/schools/overview/").json()
    assert [row["school"]["name"] for row in data["schools"]] == [school.name]
    assert data["total"]["students"] == 4
    assert client.get("/api/v1/schools/overview/", {"area": "abc"}).status_code == 400


def test_school_page_shows_coverage(client, users, school, school_class, students):
    client.force_login(users.counsellor)
    body = client.get(reverse("schools:school_detail", args=[school.pk])).content.decode()
    assert 'data-students="4"' in body and school_class.name in body
    data = client.get(f"/api/v1/school-classes/{school_class.pk}/coverage/").json()
    assert data["students"] == 4 and data["invited"] == 0
