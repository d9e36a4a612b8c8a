"""The research API: suppressed tables, the logged export with a purpose, projects; scope and errors."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.core.models import AccessLog
from seedling.testing import areas

from .helpers import PURPOSE, read_csv, streamed

pytestmark = pytest.mark.django_db

AGGREGATES = "/api/v1/research/aggregates/"
EXPORTS = "/api/v1/research/exports/"
PROJECTS = "/api/v1/research/projects/"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_aggregates_are_suppressed(users, dataset):
    response = api(users.researcher).get(AGGREGATES, {"instrument": "phq-a", "area": areas.PROVINCE})
    assert response.status_code == 200, response.data
    body = response.json()
    assert body["instrument"] == "phq-a" and body["minimum"] == 5
    assert body["filters"] == {"instrument": "phq-a", "area": "33"}
    by_area = next(t for t in body["tables"] if t["key"] == "area")
    assert [c["code"] for c in by_area["columns"]] == ["green", "yellow", "orange", "red", "none"]
    # 温岭市's single response: pooled as in the file, not named.
    assert areas.OTHER_COUNTY not in {r["code"] for r in by_area["rows"]}
    pooled = next(r for r in by_area["rows"] if r["code"] == "")
    assert pooled["label"] == "其他（合并）" and pooled["cells"][0] == "<5" and pooled["total"] == "<5"
    assert by_area["totals"]["total"] == 10
    assert all(
        isinstance(v, int) and (v == 0 or v >= 5) or v == "<5" for r in by_area["rows"] for v in r["cells"]
    )
    assert {t["key"] for t in body["tables"]} == {"area", "age_band", "sex"}


def test_aggregates_name_bad_input(users, dataset):
    client = api(users.researcher)
    response = client.get(AGGREGATES)
    assert response.status_code == 400 and "instrument" in response.json()
    response = client.get(AGGREGATES, {"instrument": "phq-a", "area": areas.BEIJING_DISTRICT})
    assert response.status_code == 400 and "不在您的研究数据范围内" in response.json()["area"][0]
    response = client.get(AGGREGATES, {"instrument": "phq-a", "date_from": "yesterday"})
    assert response.status_code == 400 and "date_from" in response.json()


def test_other_provinces_and_other_roles(users, dataset, researcher_bj):
    body = api(researcher_bj).get(AGGREGATES, {"instrument": "phq-a"}).json()
    # Beijing's 2 responses: fewer than 5 in 通州区, so the district is not named.
    assert [(r["code"], r["label"]) for r in body["tables"][0]["rows"]] == [("", "其他（合并）")]
    for user in (users.county_officer, users.province_officer, users.counsellor):
        client = api(user)
        assert client.get(AGGREGATES, {"instrument": "phq-a"}).status_code == 403
        assert (
            client.post(EXPORTS, {"instrument": "phq-a", "purpose": PURPOSE}, format="json").status_code
            == 403
        )
        assert client.get(PROJECTS).status_code == 403


def test_export_with_a_purpose(users, dataset):
    client = api(users.researcher)
    project = client.post(PROJECTS, {"title": "API 研究项目"}, format="json")
    assert project.status_code == 201
    data = {"instrument": "phq-a", "purpose": PURPOSE, "project": project.json()["id"]}
    response = client.post(EXPORTS, data, format="json")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, rows, _readme = read_csv(streamed(response))
    assert header[:2] == ["pseudonym", "age_band"] and len(rows) == 9  # 温岭市's row left out
    log = AccessLog.objects.get(action="export")
    assert (
        log.detail["via"] == "api" and log.detail["project"] == project.json()["id"] and log.reason == PURPOSE
    )
    assert [p["title"] for p in client.get(PROJECTS).json()] == ["API 研究项目"]
    xlsx = client.post(EXPORTS, {**data, "format": "xlsx"}, format="json")
    assert xlsx.status_code == 200 and streamed(xlsx)[:2] == b"PK"


def test_export_refusals_are_json_that_names_the_problem(users, dataset, researcher_bj):
    client = api(users.researcher)
    response = client.post(EXPORTS, {"instrument": "phq-a"}, format="json")
    assert response.status_code == 400 and "purpose" in response.json()
    small = {"instrument": "phq-a", "area": areas.OTHER_COUNTY, "purpose": PURPOSE}
    response = client.post(EXPORTS, small, format="json")
    assert response.status_code == 400 and "可能认出具体的儿童" in response.json()["non_field_errors"][0]
    theirs = api(researcher_bj).post(PROJECTS, {"title": "北京项目"}, format="json").json()["id"]
    response = client.post(
        EXPORTS, {"instrument": "phq-a", "purpose": PURPOSE, "project": theirs}, format="json"
    )
    assert response.status_code == 400 and "project" in response.json()
    response = client.post(
        EXPORTS, {"instrument": "phq-a", "purpose": PURPOSE, "format": "pdf"}, format="json"
    )
    assert response.status_code == 400 and "format" in response.json()
    assert not AccessLog.objects.filter(action="export").exists()
