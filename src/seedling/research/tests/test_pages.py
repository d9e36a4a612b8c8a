"""The research page: only researchers; suppressed counts; the download with a purpose; projects."""

import pytest
from django.urls import reverse

from seedling.core.models import AccessLog
from seedling.research.models import ResearchProject
from seedling.testing import areas

from .helpers import PURPOSE, read_csv, streamed

pytestmark = pytest.mark.django_db

INDEX = reverse("research:index")
EXPORT = reverse("research:export")


@pytest.fixture
def researcher(client, users):
    client.force_login(users.researcher)
    return client


def test_only_users_with_research_get_in(client, users):
    for name in ("county_officer", "director", "admin"):
        client.force_login(getattr(users, name))
        assert client.get(INDEX).status_code == 403
        assert client.post(EXPORT, {"instrument": "phq-a", "purpose": PURPOSE}).status_code == 403
    client.logout()
    assert client.get(INDEX).status_code == 302  # to sign-in


def test_the_page_shows_suppressed_tables_for_an_instrument(researcher, dataset):
    page = researcher.get(INDEX)
    assert page.status_code == 200 and "选择量表或问卷后" in page.content.decode()
    page = researcher.get(INDEX, {"instrument": "phq-a"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="response-count"' in html and '<span class="fs-4 fw-semibold">10</span>' in html
    assert "330723 武义县" in html and "&lt;5" in html
    assert 'data-table="age_band"' in html and 'data-table="sex"' in html
    assert "欧阳小雨" not in html
    assert f'action="{EXPORT}"' in html  # 10 responses: the file may be downloaded


def test_a_small_area_shows_the_refusal_instead_of_the_download(researcher, dataset):
    html = researcher.get(INDEX, {"instrument": "phq-a", "area": areas.OTHER_COUNTY}).content.decode()
    assert 'id="export-refused"' in html and f'action="{EXPORT}"' not in html
    assert '<span class="fs-4 fw-semibold">&lt;5</span>' in html


def test_bad_filters_are_named_on_the_page(researcher, dataset):
    page = researcher.get(INDEX, {"instrument": "phq-a", "area": areas.BEIJING_DISTRICT})
    html = page.content.decode()
    assert page.status_code == 200 and "不在您的研究数据范围内" in html and 'id="id_area_error"' in html


def test_download_csv_with_a_purpose_logs_the_export(researcher, users, dataset):
    response = researcher.post(EXPORT, {"instrument": "phq-a", "format": "csv", "purpose": PURPOSE})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    header, rows, readme = read_csv(streamed(response))
    assert header[0] == "pseudonym" and len(rows) == 9 and readme  # 温岭市's row left out (k = 5)
    log = AccessLog.objects.get(action="export")
    assert log.reason == PURPOSE and log.detail["rows"] == 9 and log.path == EXPORT


def test_download_xlsx(researcher, dataset):
    response = researcher.post(EXPORT, {"instrument": "phq-a", "format": "xlsx", "purpose": PURPOSE})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert streamed(response)[:2] == b"PK"


def test_without_a_purpose_nothing_is_downloaded(researcher, dataset):
    response = researcher.post(EXPORT, {"instrument": "phq-a", "format": "csv", "purpose": " "})
    assert response.status_code == 400
    assert "请写明导出用途" in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_a_small_area_download_is_refused_with_the_reason(researcher, dataset):
    data = {"instrument": "phq-a", "area": areas.OTHER_COUNTY, "format": "csv", "purpose": PURPOSE}
    response = researcher.post(EXPORT, data)
    assert response.status_code == 400 and "可能认出具体的儿童" in response.content.decode()
    assert not AccessLog.objects.filter(action="export").exists()


def test_projects_are_created_and_used_for_downloads(researcher, users, dataset):
    response = researcher.post(reverse("research:project_create"), {"title": "留守儿童追踪研究"})
    assert response.status_code == 302
    project = ResearchProject.objects.get(owner=users.researcher)
    page = researcher.get(INDEX, {"instrument": "phq-a"}).content.decode()
    assert "留守儿童追踪研究" in page and f'value="{project.pk}"' in page
    again = researcher.post(reverse("research:project_create"), {"title": "留守儿童追踪研究"})
    assert again.status_code == 400 and "同名" in again.content.decode()
    data = {"instrument": "phq-a", "format": "csv", "purpose": PURPOSE, "project": str(project.pk)}
    first = read_csv(streamed(researcher.post(EXPORT, data)))[1]
    second = read_csv(streamed(researcher.post(EXPORT, data)))[1]
    assert {r["pseudonym"] for r in first} == {r["pseudonym"] for r in second}
    assert AccessLog.objects.filter(action="export", detail__project=project.pk).count() == 2
