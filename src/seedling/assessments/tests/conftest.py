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
