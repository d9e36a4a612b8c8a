"""The visit pages as a director uses them on a phone: from the child's file to a saved visit, edits,
versions; scope and access log."""

import pytest
from django.urls import reverse

from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.fieldwork.models import Visit, VisitVersion

from .conftest import days, left_behind_confirmed, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users):
    return left_behind_confirmed(users.director)


def form_data(**extra):
    data = {
        "visited_on": clock.today().isoformat(),
        "method": "home",
        "present": ["child", "carer"],
        "guardianship": "祖母照料，饮食正常",
        "schooling": "按时上学",
    }
    data.update(extra)
    return data


def test_record_a_visit_from_the_childs_file(client, users, child):
    client.force_login(users.director)
    page = client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).content.decode()
    create_url = reverse("fieldwork:visit_create", kwargs={"uuid": child.uuid})
    assert create_url in page and "下次走访截止" in page
    form = client.get(create_url).content.decode()
    assert 'name="visited_on"' in form and "儿童独自居住" in form
    response = client.post(create_url, form_data())
    assert response.status_code == 302
    v = Visit.objects.get(child=child)
    assert response["Location"] == reverse("fieldwork:visit_detail", kwargs={"pk": v.pk})
    detail = client.get(response["Location"]).content.decode()
    assert "祖母照料，饮食正常" in detail and "走访记录已保存" in detail
    assert AccessLog.objects.filter(
        action="view", object_type="fieldwork.visit", object_id=str(v.pk)
    ).exists()
    page = client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).content.decode()
    assert reverse("fieldwork:visit_detail", kwargs={"pk": v.pk}) in page  # in the section and the timeline


def test_a_mandatory_report_situation_tells_the_director_to_report_at_once(client, users, child):
    client.force_login(users.director)
    url = reverse("fieldwork:visit_create", kwargs={"uuid": child.uuid})
    response = client.post(url, form_data(left_behind_flags=["living_alone"]), follow=True)
    body = response.content.decode()
    assert "须强制报告的情形" in body and "110" in body
    assert Visit.objects.get(child=child).risk_flag_list == ["living_alone"]


def test_errors_show_on_the_field(client, users, child):
    client.force_login(users.director)
    url = reverse("fieldwork:visit_create", kwargs={"uuid": child.uuid})
    tomorrow = (clock.today() + days(1)).isoformat()
    response = client.post(url, form_data(visited_on=tomorrow))
    assert response.status_code == 200
    assert "走访日期不能晚于今天" in response.content.decode()
    assert not Visit.objects.exists()


def test_another_village_cannot_open_or_record(client, users, child):
    v = visit(users.director, child)
    client.force_login(users.director_b)
    assert client.get(reverse("fieldwork:visit_create", kwargs={"uuid": child.uuid})).status_code == 404
    assert client.get(reverse("fieldwork:visit_detail", kwargs={"pk": v.pk})).status_code == 404
    assert client.get(reverse("fieldwork:visit_edit", kwargs={"pk": v.pk})).status_code == 404
    client.force_login(users.social_worker)  # may read the file, not record visits
    assert client.get(reverse("fieldwork:visit_detail", kwargs={"pk": v.pk})).status_code == 200
    assert client.get(reverse("fieldwork:visit_create", kwargs={"uuid": child.uuid})).status_code == 404


def test_edit_in_the_week_then_a_new_version_after_it(client, users, child, clock):
    v = visit(users.director, child, schooling="初一")
    client.force_login(users.director)
    url = reverse("fieldwork:visit_edit", kwargs={"pk": v.pk})
    assert "初一" in client.get(url).content.decode()
    # The edit form shows the whole record: a read, logged like the record's page.
    assert AccessLog.objects.filter(
        username="director", action="view", object_type="fieldwork.visit", object_id=str(v.pk), child_id=child.pk
    ).exists()
    response = client.post(url, form_data(schooling="初一（住校）", version=1))
    assert response.status_code == 302
    clock.travel(by=days(9))
    page = client.get(url).content.decode()
    assert "修改将另存为新版本" in page
    response = client.post(url, form_data(schooling="初二", version=2))
    assert response.status_code == 200 and "请填写修改理由" in response.content.decode()
    response = client.post(url, form_data(schooling="初二", version=2, reason="新学期"), follow=True)
    body = response.content.decode()
    assert "历史版本" in body and "新学期" in body and "初一（住校）" in body
    assert VisitVersion.objects.get(visit=v).content["schooling"] == "初一（住校）"


def test_a_stale_edit_shows_what_changed_and_keeps_the_users_input(client, users, child):
    from seedling.fieldwork import services

    v = visit(users.director, child, health="健康")
    services.visit_update(user=users.supervisor, visit=v, expected_version=1, fields={"health": "发烧"})
    client.force_login(users.director)
    url = reverse("fieldwork:visit_edit", kwargs={"pk": v.pk})
    response = client.post(url, form_data(health="咳嗽", version=1))
    body = response.content.decode()
    assert response.status_code == 200 and "此记录已被他人修改" in body
    assert "身体健康状况" in body and "咳嗽" in body
    assert 'name="version" value="2"' in body
    assert Visit.objects.get(pk=v.pk).health == "发烧"


def test_all_visits_of_a_child(client, users, child, clock):
    for n in range(3):
        visit(users.director, child, visited_on=clock.today() - days(n * 30))
    client.force_login(users.director)
    body = client.get(reverse("fieldwork:child_visits", kwargs={"uuid": child.uuid})).content.decode()
    assert body.count("/field/visits/") == 3
