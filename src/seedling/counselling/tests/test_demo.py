"""The counselling demo: the pool of three with a supervisor, requests with notes; idempotent."""

import pytest

from seedling.counselling.demo import demo_ensure
from seedling.counselling.models import Counsellor, HelpRequest, SessionNote

pytestmark = pytest.mark.django_db


def test_demo_ensure_idempotent(users):
    first = demo_ensure()
    assert first == {"counsellors": 3, "requests": 3, "notes": 2}
    assert demo_ensure() == {"counsellors": 0, "requests": 0, "notes": 0}
    mine = Counsellor.objects.get(user=users.counsellor)
    assert mine.qualification == "school_teacher" and mine.language_list == ["zh"]
    assert [a.code for a in mine.areas.all()] == ["330723101"]
    assert mine.supervisor.username == "counsellor_lead"
    assert HelpRequest.objects.exclude(status="new").count() == 3
    assert SessionNote.objects.count() == 2
