"""Division codes as reference data: any signed-in user may look them up; nobody else."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.testing import areas

pytestmark = pytest.mark.django_db

URL = "/api/v1/divisions/"


@pytest.fixture
def client(users):
    # The researcher sees no child's file, but reference data is open to every signed-in user.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users.researcher).key}")
    return client


def codes(response) -> list[str]:
    assert response.status_code == 200, response.data
    return [row["code"] for row in response.json()["results"]]


def test_children_of_a_township(client):
    found = codes(client.get(URL, {"parent": areas.TOWNSHIP}))
    assert areas.VILLAGE_A in found and areas.VILLAGE_B in found
    assert all(code.startswith(areas.TOWNSHIP) and len(code) == 12 for code in found)
    assert found == sorted(found)


def test_level_filter_and_names(client):
    response = client.get(URL, {"parent": areas.CITY, "level": "county"})
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows[areas.COUNTY]["name"] == "武义县"
    assert rows[areas.COUNTY]["level_display"] == "县级"
    assert rows[areas.COUNTY]["parent"] == areas.CITY
    assert codes(client.get(URL, {"parent": areas.CITY, "level": "village"})) == []


@pytest.mark.parametrize("query", ["寺后", "si hou", "sihou", "SiHou"])
def test_name_or_pinyin_prefix(client, query):
    assert areas.VILLAGE_A in codes(client.get(URL, {"q": query, "parent": areas.TOWNSHIP}))
    assert areas.VILLAGE_B not in codes(client.get(URL, {"q": query, "parent": areas.TOWNSHIP}))


def test_retrieve_by_code(client):
    response = client.get(f"{URL}{areas.VILLAGE_A}/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "寺后村委会"
    assert body["full_code"] == areas.VILLAGE_A
    assert body["urban_rural"] == "rural"
    assert client.get(f"{URL}999999/").status_code == 404


def test_bad_filter_names_the_parameter(client):
    response = client.get(URL, {"level": "galaxy"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_sign_in_required():
    assert APIClient().get(URL).status_code == 401
