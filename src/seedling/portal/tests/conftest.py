"""Fixtures of the portal tests: the demo hotlines and articles, a registered child, a visitor helper."""

import datetime

import pytest
from django.urls import reverse

from seedling.assessments.instrument_form import item_field
from seedling.testing import areas
from seedling.testing.factories import child_create


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # Staff pages here are about content and codes; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def content(db):
    """The demo hotlines (110, 12355, 12345, Zhejiang 12356, 武义县 12338) and published articles."""
    from seedling.portal.demo import demo_ensure

    return demo_ensure()


@pytest.fixture
def child(users):
    return child_create(users.director, name="王小花", sex="F", birth_date=datetime.date(2012, 3, 2))


class Visitor:
    """A child or guardian using the portal through its pages, with their own browser session."""

    def __init__(self, client):
        self.client = client

    def choose_area(self, code: str = areas.COUNTY):
        response = self.client.post(reverse("portal:area"), {"county": code})
        assert response.status_code == 302, response.content.decode()[:2000]
        return response

    def profile(self, who: str = "child", age: int | None = 13):
        data = {"who": who, **({"age": str(age)} if age is not None else {})}
        return self.client.post(reverse("portal:checks"), data)

    def check(self, code: str, values: dict):
        """Submit a self-check: values {item id: option value}; returns (response, stored Response)."""
        from seedling.assessments.models import Response

        before = set(Response.objects.values_list("pk", flat=True))
        answers = {item_field(str(k)): str(v) for k, v in values.items()}
        response = self.client.post(reverse("portal:check_fill", args=[code]), answers)
        new = Response.objects.exclude(pk__in=before).first()
        return response, new

    def sign_in(self, code: str):
        return self.client.post(reverse("portal:signin"), {"code": code})


@pytest.fixture
def visitor(client, content):
    return Visitor(client)


def phq_a(values: list[int], extra: dict | None = None) -> dict:
    """PHQ-A answers: items 1–9 from `values`, items 10–13 (not scored) default to 0."""
    answers = {str(i): v for i, v in enumerate(values, 1)}
    answers.update({"10": 0, "11": 0, "12": 0, "13": 0})
    answers.update({str(k): v for k, v in (extra or {}).items()})
    return answers
