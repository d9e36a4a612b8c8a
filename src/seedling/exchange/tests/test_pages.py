"""The import pages as a village director uses them: template, upload, dry run, problems, commit."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from seedling.exchange.models import ImportJob
from seedling.registry.models import Child

from .rosters import csv_bytes, good_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def director_client(client, users):
    client.force_login(users.director)
    return client


def _upload(client, data: bytes, name: str, capture):
    with capture(execute=True):
        return client.post(reverse("exchange:import_start"), {"file": SimpleUploadedFile(name, data)})


def test_the_template_downloads_as_excel_and_csv(director_client):
    response = director_client.get(reverse("exchange:template", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][:3] == ["姓名", "身份证号", "无身份证号原因"]
    assert "填写说明" in book.sheetnames
    assert "attachment" in response["Content-Disposition"]
    csv = director_client.get(reverse("exchange:template", args=["csv"]))
    assert csv.content.decode("utf-8-sig").startswith("姓名,身份证号")


def test_upload_check_and_commit(director_client, django_capture_on_commit_callbacks):
    rows = [good_row(0), good_row(1)]
    response = _upload(director_client, xlsx_bytes(rows), "花名册.xlsx", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "exchange:import_detail", args=[job.uuid]
    )
    assert (
        job.status == "checked" and job.rows == 2 and job.errors == 0 and job.file.name.startswith("imports/")
    )
    assert "花名册" not in job.file.name  # the stored name never carries the user's file name

    page = director_client.get(response["Location"])
    assert "导入全部 2 名儿童" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        committed = director_client.post(reverse("exchange:import_commit", args=[job.uuid]))
    assert committed.status_code == 302
    job.refresh_from_db()
    assert job.status == "imported" and job.imported == 2
    assert Child.objects.count() == 2
    assert "已导入 2 名儿童" in director_client.get(committed["Location"]).content.decode()


def test_problems_are_shown_and_downloadable(director_client, django_capture_on_commit_callbacks):
    rows = [good_row(0), good_row(1, 身份证号="330723201501010000")]
    _upload(director_client, csv_bytes(rows), "r.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    body = director_client.get(reverse("exchange:import_detail", args=[job.uuid])).content.decode()
    assert "身份证号校验位错误" in body and "导入全部" not in body
    download = director_client.get(reverse("exchange:import_problems", args=[job.uuid]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("3,B,身份证号,错误,身份证号校验位错误")
    refused = director_client.post(reverse("exchange:import_commit", args=[job.uuid]))
    assert refused.status_code == 400 and "不能导入" in refused.content.decode()
    assert not Child.objects.exists()


def test_warnings_need_a_reason_on_the_page(director_client, users, django_capture_on_commit_callbacks):
    rows = [good_row(0, 姓名="张小明", 出生日期="", 身份证号=""), good_row(1)]
    rows[0].update(无身份证号原因="尚未办理", 性别="男", 出生日期="2016-01-01")
    rows.append(dict(rows[0], 出生日期="2016-01-05"))
    _upload(director_client, csv_bytes(rows), "r.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.warnings == 1 and job.errors == 0
    refused = director_client.post(reverse("exchange:import_commit", args=[job.uuid]), {"reason": ""})
    assert refused.status_code == 400 and "填写理由" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        director_client.post(
            reverse("exchange:import_commit", args=[job.uuid]), {"reason": "双胞胎，已核对户口簿"}
        )
    job.refresh_from_db()
    assert job.status == "imported" and job.imported == 3


def test_progress_is_polled_while_running_and_reloads_when_done(director_client, users):
    job = ImportJob.objects.create(
        user=users.director, original_name="r.csv", file_format="csv", status="checking"
    )
    running = director_client.get(reverse("exchange:import_status", args=[job.uuid]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in running.content.decode() and "HX-Refresh" not in running
    assert 'role="progressbar"' in running.content.decode()
    job.status = "checked"
    job.save()
    done = director_client.get(reverse("exchange:import_status", args=[job.uuid]), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "r.csv", "文件是空的"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 50, "r.xls", "不支持旧版 Excel"),
        (b"hello", "r.pdf", "只能导入 .xlsx 或 .csv 文件"),
    ],
)
def test_wrong_files_are_refused_with_a_message(director_client, data, name, message):
    response = director_client.post(
        reverse("exchange:import_start"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_oversized_file_is_refused(director_client, settings):
    settings.SEEDLING_IMPORT_MAX_MB = 1
    data = b"x" * (2 * 1024 * 1024 + 10)
    response = director_client.post(
        reverse("exchange:import_start"), {"file": SimpleUploadedFile("r.csv", data)}
    )
    assert response.status_code == 400 and "超过 1 MB 的上限" in response.content.decode()


def test_a_missing_header_is_named(director_client, django_capture_on_commit_callbacks):
    _upload(director_client, "姓名,性别\n张三,男\n".encode(), "r.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.message == "缺少必填列 “户籍性质”、“现居村（居）区划代码”。"
    assert (
        "缺少必填列"
        in director_client.get(reverse("exchange:import_detail", args=[job.uuid])).content.decode()
    )


def test_jobs_are_private_and_import_needs_the_right_to_register(
    client, users, django_capture_on_commit_callbacks
):
    client.force_login(users.director)
    _upload(client, csv_bytes([good_row(0)]), "r.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    client.force_login(users.director_b)
    assert client.get(reverse("exchange:import_detail", args=[job.uuid])).status_code == 404
    assert client.post(reverse("exchange:import_commit", args=[job.uuid])).status_code == 404
    assert client.get(reverse("exchange:import_problems", args=[job.uuid])).status_code == 404
    for name in ("researcher", "social_worker", "city_officer"):
        client.force_login(getattr(users, name))
        assert client.get(reverse("exchange:import_start")).status_code == 403


def test_a_job_that_breaks_ends_as_failed_and_stops_the_progress_bar(director_client, users):
    from seedling.exchange.services import import_job_create
    from seedling.exchange.tasks import import_check_task

    job = import_job_create(user=users.director, upload=SimpleUploadedFile("r.csv", csv_bytes([good_row(0)])))
    job.file.delete(save=False)  # the upload is lost before the worker reads it
    with pytest.raises(OSError):
        import_check_task.call(str(job.uuid))
    job.refresh_from_db()
    assert job.status == "failed" and "处理中断" in job.message and not job.running
    page = director_client.get(reverse("exchange:import_detail", args=[job.uuid])).content.decode()
    assert "处理中断" in page and "every 1s" not in page


def test_the_uploaded_copy_is_deleted_once_imported(director_client, django_capture_on_commit_callbacks):
    _upload(director_client, csv_bytes([good_row(0)]), "r.csv", django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    path = job.file.path
    with django_capture_on_commit_callbacks(execute=True):
        director_client.post(reverse("exchange:import_commit", args=[job.uuid]))
    job.refresh_from_db()
    assert job.status == "imported" and not job.file and not os.path.exists(path)
