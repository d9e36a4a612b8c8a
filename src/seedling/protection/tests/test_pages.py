"""The pages: file a report from the child's file, list with overdue highlighting, detail with its steps."""

import datetime

import pytest
from django.utils import timezone

from seedling.protection.choices import Status
from seedling.protection.models import MandatoryReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa(no_mfa):
    pass


def test_the_childs_file_offers_to_report_and_lists_its_reports(client, users, child, file_report):
    client.force_login(users.director)
    page = client.get(f"/children/{child.uuid}/").content.decode()
    assert f"/reports/new/?child={child.uuid}" in page
    report = file_report()
    page = client.get(f"/children/{child.uuid}/").content.decode()
    assert f"/reports/{report.pk}/" in page
    assert "强制报告：留守儿童独自居住" in page  # on the timeline too


def test_a_director_files_a_report_from_the_page(client, users, child, contacts, clock):
    client.force_login(users.director)
    form = client.get(f"/reports/new/?child={child.uuid}")
    assert form.status_code == 200 and "王小花" in form.content.decode()
    detected = timezone.localtime(clock.now() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/reports/new/",
        {
            "child": child.uuid,
            "situation": "left_behind_alone",
            "detected_at": detected,
            "description": "独自在家",
        },
    )
    report = MandatoryReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert report.reporter == users.director and report.source == "direct"
    detail = client.get(response["Location"]).content.decode()
    assert "武义县公安局履坦派出所" in detail and "独自在家" in detail


def test_a_report_from_a_visit_link_carries_the_visit(client, users, child, contacts):
    client.force_login(users.director)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    client.post(
        "/reports/new/",
        {
            "child": child.uuid,
            "visit": "41",
            "situation": "abandoned",
            "detected_at": now,
            "description": "无人照料",
        },
    )
    report = MandatoryReport.objects.get()
    assert (report.source, report.source_id) == ("visit", 41)


def test_errors_name_the_field_and_keep_the_input(client, users, child, clock):
    client.force_login(users.director)
    future = timezone.localtime(clock.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        "/reports/new/",
        {"child": child.uuid, "situation": "abandoned", "detected_at": future, "description": "无人照料"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "发现时间不能晚于现在。" in page and "无人照料" in page
    assert MandatoryReport.objects.count() == 0


def test_a_child_out_of_scope_cannot_be_reported_on_from_the_page(client, users, child):
    client.force_login(users.director_b)
    assert client.get(f"/reports/new/?child={child.uuid}").status_code == 404
    assert client.get("/reports/new/?child=nonsense").status_code == 404


def test_the_list_highlights_overdue_reports_and_filters_by_status(client, users, file_report, police, clock):
    old = file_report()
    clock.travel(by=datetime.timedelta(hours=30))
    new = file_report(situation="left_behind_carer")
    client.force_login(users.supervisor)
    page = client.get("/reports/").content.decode()
    assert f'list-group-item-danger" data-status="reported" data-report="{old.pk}"' in page
    assert f'class="list-group-item report" data-status="reported" data-report="{new.pk}"' in page
    overdue = client.get("/reports/?overdue=on").content.decode()
    assert f'data-report="{old.pk}"' in overdue and f'data-report="{new.pk}"' not in overdue
    client.force_login(police["township"])
    client.post(f"/reports/{new.pk}/acknowledge-police/", {"police-reference": "R1"})
    client.force_login(users.supervisor)
    filtered = client.get(f"/reports/?status={Status.POLICE_ACKNOWLEDGED}").content.decode()
    assert f'data-report="{new.pk}"' in filtered and f'data-report="{old.pk}"' not in filtered


def test_the_police_list_shows_only_their_reports(client, police, file_report, users):
    report = file_report()
    client.force_login(police["township"])
    page = client.get("/reports/").content.decode()
    assert f'data-report="{report.pk}"' in page
    client.force_login(police["other"])
    assert f'data-report="{report.pk}"' not in client.get("/reports/").content.decode()
    client.force_login(users.researcher)
    assert client.get("/reports/").status_code == 403


def test_steps_through_the_detail_page(client, users, police, file_report):
    report = file_report()
    url = f"/reports/{report.pk}/"
    client.force_login(users.supervisor)
    page = client.get(url).content.decode()
    assert 'id="police-ack"' not in page and 'id="civil-ack"' not in page  # nothing for them to do
    assert client.post(f"{url}acknowledge-police/", {"police-reference": "X"}).status_code == 400

    client.force_login(police["township"])
    page = client.get(url).content.decode()
    assert 'id="police-ack"' in page and 'id="civil-ack"' not in page
    assert client.post(f"{url}acknowledge-police/", {"police-reference": "JJ-7"}).status_code == 302

    client.force_login(users.county_officer)
    page = client.get(url).content.decode()
    assert 'id="police-ack"' not in page and 'id="civil-ack"' in page and 'id="close"' not in page
    client.post(f"{url}acknowledge-civil-affairs/", {"civil-note": "已安排照护"})
    response = client.post(f"{url}close/", {"close-note": ""})
    assert response.status_code == 400 and "请填写办结说明。" in response.content.decode()
    assert client.post(f"{url}close/", {"close-note": "监护落实"}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    page = client.get(url).content.decode()
    assert "JJ-7" in page and "监护落实" in page and 'id="close"' not in page


def test_on_behalf_without_receipt_number_says_so(client, users, file_report):
    report = file_report()
    client.force_login(users.county_officer)
    response = client.post(f"/reports/{report.pk}/acknowledge-police/", {"police-reference": ""})
    assert response.status_code == 400
    assert "代公安机关登记接报时，须填写接警回执号。" in response.content.decode()


def test_anyone_who_sees_the_report_can_add_a_note(client, police, file_report):
    report = file_report()
    client.force_login(police["township"])
    assert client.post(f"/reports/{report.pk}/notes/", {"note-note": "已出警"}).status_code == 302
    assert report.events.filter(kind="note", note="已出警").exists()


def test_the_navigation_links_to_reports(client, users):
    client.force_login(users.director)
    assert 'href="/reports/"' in client.get("/").content.decode()
