"""The import API: upload (dry run starts), read the job with its problems, commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from seedling.registry.models import Child

from .rosters import csv_bytes, good_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users.director)
    return client


def test_upload_poll_and_commit(api, django_capture_on_commit_callbacks):
    rows = [good_row(0), good_row(1, 性别="未知")]
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/", {"file": SimpleUploadedFile("r.csv", csv_bytes(rows))}, format="multipart"
        )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "uploaded"  # the dry run runs in the background: poll the job
    job = api.get(f"/api/v1/imports/{created.json()['id']}/").json()
    assert job["status"] == "checked" and job["rows"] == 2 and job["errors"] == 1 and not job["may_commit"]
    assert job["problems"] == [
        {
            "row": 3,
            "column": "性别",
            "letter": "D",
            "message": "无法识别“未知”，请按填写说明选择。",
            "level": "error",
        }
    ]
    refused = api.post(f"/api/v1/imports/{job['id']}/commit/", {}, format="json")
    assert refused.status_code == 400 and "不能导入" in str(refused.json())

    with django_capture_on_commit_callbacks(execute=True):
        fixed = api.post(
            "/api/v1/imports/", {"file": SimpleUploadedFile("r.csv", csv_bytes(rows[:1]))}, format="multipart"
        )
    job = api.get(f"/api/v1/imports/{fixed.json()['id']}/").json()
    assert job["may_commit"] is True
    with django_capture_on_commit_callbacks(execute=True):
        committed = api.post(f"/api/v1/imports/{job['id']}/commit/", {}, format="json")
    assert committed.status_code == 202 and committed.json()["status"] == "importing"
    assert api.get(f"/api/v1/imports/{job['id']}/").json()["status"] == "imported"
    assert Child.objects.count() == 1
    assert [j["id"] for j in api.get("/api/v1/imports/").json()][0] == job["id"]


def test_errors_name_the_field(api):
    response = api.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("r.pdf", b"%PDF")}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["file"] == ["只能导入 .xlsx 或 .csv 文件。"]


def test_another_users_job_is_not_found_and_researchers_cannot_import(
    api, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = api.post(
            "/api/v1/imports/", {"file": SimpleUploadedFile("r.csv", csv_bytes([good_row(0)]))}
        ).json()
    other = APIClient()
    other.force_authenticate(users.director_b)
    assert other.get(f"/api/v1/imports/{job['id']}/").status_code == 404
    other.force_authenticate(users.researcher)
    denied = other.post("/api/v1/imports/", {"file": SimpleUploadedFile("r.csv", csv_bytes([good_row(0)]))})
    assert denied.status_code == 403
