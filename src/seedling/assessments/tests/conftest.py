import pytest
from django.urls import reverse

from seedling.assessments.models import Response


class Filler:
    """A signed-in village director filling forms through the real pages."""

    def __init__(self, client):
        self.client = client

    def page(self, version, **params):
        return self.client.get(reverse("assessments:fill", args=[version.pk]), params)

    def submit(self, version, answers: dict):
        before = Response.objects.count()
        response = self.client.post(reverse("assessments:fill", args=[version.pk]), answers)
        stored = Response.objects.order_by("-pk").first() if Response.objects.count() > before else None
        return response, stored


@pytest.fixture
def filler(client, users):
    client.force_login(users.director)
    return Filler(client)


@pytest.fixture
def no_mfa(settings):
    # Screening pages are about screening; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def school(db):
    from .campaign_helpers import make_school

    return make_school()


@pytest.fixture
def klass(school):
    """初二(3)班 with three students: 14, 15 (both need no consent) and 13 (needs a guardian's consent)."""
    from .campaign_helpers import add_student, make_class

    school_class = make_class(school)
    add_student(school_class, "林小雨", age=14)
    add_student(school_class, "周子航", age=15)
    add_student(school_class, "吴小满", age=13)
    add_student(school_class, "已转学", age=14, active=False)
    return school_class


@pytest.fixture
def staff_client(client, users, no_mfa):
    """The school counsellor, signed in."""
    client.force_login(users.counsellor)
    return client
