"""The schools demo: two pilot schools with a roster each, some pupils linked; idempotent."""

import datetime

import pytest

from seedling.core import clock
from seedling.schools import rules
from seedling.schools.demo import demo_ensure
from seedling.schools.models import EducationActivity, School, Student
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db


def test_demo_ensure_idempotent_and_links_fitting_children(users):
    year = rules.school_year_of(clock.today())
    fifth_grader = child_create(users.director, name="周梓睿", birth_date=datetime.date(year - 10, 1, 5))
    first = demo_ensure()
    assert first["schools"] == 2 and first["students"] == 50 and first["activities"] == 4
    assert demo_ensure() == {"schools": 0, "students": 0, "activities": 0}
    primary = School.objects.get(code="3307230001")
    assert primary.pilot and primary.area_id == "330723101" and primary.name == "武义县履坦镇中心小学"
    assert School.objects.get(code="3307230002").classes.get().name == "初二(3)班"
    linked = Student.objects.get(child=fifth_grader)
    assert linked.school_class.grade == 5 and linked.name == "周梓睿"
    assert EducationActivity.objects.filter(school=primary).count() == 2


def test_demo_reuses_a_school_created_by_the_code(users):
    from seedling.geo.models import Division

    School.objects.create(
        code="3307230001", name="履坦中心小学", kind="primary", area=Division.objects.get(code="330723101")
    )
    demo_ensure()
    assert School.objects.filter(code="3307230001").count() == 1
