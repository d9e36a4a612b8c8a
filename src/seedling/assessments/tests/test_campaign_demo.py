"""The demo screening is made through the services, is idempotent and shares the pilot schools."""

import pytest

from seedling.assessments import campaign_selectors, demo
from seedling.assessments.models import Campaign, Response
from seedling.inbox.models import Task
from seedling.schools.models import School, Student
from seedling.testing.factories import child_create

from .campaign_helpers import born

pytestmark = pytest.mark.django_db


def test_demo_screening_is_idempotent_and_reuses_the_schools(users):
    existing = School.objects.create(
        name="武义县履坦镇初级中学", code="3307230002", kind="junior", area_id="330723101"
    )
    child = child_create(users.director, name="叶小芸", birth_date=born(13, days=40))
    first = demo.demo_ensure()
    assert first["campaigns"] == 2 and demo.demo_ensure() == {"campaigns": 0}
    assert School.objects.filter(code="3307230002").get() == existing
    assert School.objects.filter(code="3307230001", name="武义县履坦镇中心小学").exists()
    phq = Campaign.objects.get(title=demo.PHQ_TITLE)
    assert phq.school_class.grade == 8 and phq.status == "open"
    assert phq.invitations.count() == len(demo.GRADE8)
    bands = set(phq.responses.values_list("band", flat=True))
    assert "red" in bands and phq.responses.count() == len(demo.PHQ_ANSWERS)
    assert Task.objects.filter(kind="screening_urgent", assignee=users.counsellor).exists()
    states = [row.state for row in campaign_selectors.invitation_rows(campaign=phq)]
    assert states.count("awaiting_consent") == 2 and states.count("completed") == len(demo.PHQ_ANSWERS)
    assert Student.objects.filter(child=child).exists()  # a registered child is on the roll
    gad = Campaign.objects.get(title=demo.GAD_TITLE)
    assert gad.anonymous and Response.objects.filter(campaign=gad, anonymous=True, child=None).count() == 5
