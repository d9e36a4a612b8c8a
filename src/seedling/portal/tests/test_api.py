"""The public API: published articles and the hotlines of an area, without an account."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from seedling.portal import services
from seedling.testing import areas

pytestmark = pytest.mark.django_db


def test_published_articles_are_public_in_the_callers_language(content, users):
    draft = services.article_save(
        user=users.admin,
        fields={"title_zh": "草稿", "title_en": "Draft", "topic": "sleep", "body_zh": "x", "body_en": "y"},
    )
    api = APIClient()
    body = api.get("/api/v1/portal/articles/", {"topic": "sleep"}).json()
    assert [a["slug"] for a in body["results"]] == ["sleeping-well"]
    assert body["results"][0]["title"] == "睡个好觉"
    english = api.get("/api/v1/portal/articles/sleeping-well/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["title"] == "Sleeping well" and english["title_zh"] == "睡个好觉"
    assert api.get(f"/api/v1/portal/articles/{draft.slug}/").status_code == 404
    bad = api.get("/api/v1/portal/articles/", {"topic": "nonsense"})
    assert bad.status_code == 400 and "topic" in bad.json()


def test_hotlines_of_an_area_nearest_first(content):
    api = APIClient()
    numbers = [
        h["number"] for h in api.get("/api/v1/portal/hotlines/", {"area": areas.VILLAGE_A}).json()["results"]
    ]
    assert numbers[:2] == ["12338", "12356"] and set(numbers[2:]) == {"110", "12355", "12345"}
    national = [h["number"] for h in api.get("/api/v1/portal/hotlines/").json()["results"]]
    assert set(national) == {"110", "12355", "12345"}
    other = [
        h["number"]
        for h in api.get("/api/v1/portal/hotlines/", {"area": areas.BEIJING_DISTRICT}).json()["results"]
    ]
    assert "12338" not in other and "12356" not in other
    first = api.get("/api/v1/portal/hotlines/", {"area": areas.COUNTY}).json()["results"][0]
    assert first["tel"] == "tel:12338" and first["area"] == areas.COUNTY


def test_a_bad_area_code_is_explained(content):
    api = APIClient()
    response = api.get("/api/v1/portal/hotlines/", {"area": "abc"})
    assert response.status_code == 400 and response.json()["area"] == ["区划代码应为 2 到 12 位数字。"]
    response = api.get("/api/v1/portal/hotlines/", {"area": "999999"})
    assert response.status_code == 400 and "999999" in response.json()["area"][0]


def test_the_api_needs_no_account_and_the_schema_lists_it(content, users):
    assert APIClient().get("/api/v1/portal/hotlines/").status_code == 200
    api = APIClient()
    api.force_authenticate(users.admin)
    schema = api.get(reverse("api-schema")).content.decode()
    assert "/api/v1/portal/articles/" in schema and "/api/v1/portal/hotlines/" in schema
