"""The registry pages as a director, a supervisor and others use them (through HTTP)."""

import datetime
import re

import pytest
from django.urls import reverse

from seedling.core.models import AccessLog
from seedling.registry import idnumber
from seedling.registry.models import Child, Person
from seedling.testing import areas
from seedling.testing.factories import child_create
from seedling.testing.registration import registration_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa_redirect(settings):
    # These tests are about the registry pages; MFA enforcement has its own tests in accounts.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def director_client(client, users):
    client.force_login(users.director)
    return client


def test_director_registers_a_left_behind_child_with_family_and_carer(director_client):
    response = director_client.post(reverse("child_create"), registration_form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    child = Child.objects.get(name="刘小雨")
    assert child.birth_date == datetime.date(2016, 4, 12) and child.sex == "F"  # derived from the ID
    assert child.director.username == "director" and child.supervisor.username == "supervisor"
    carer = Person.objects.get(child=child, is_delegated_carer=True)
    assert carer.phone == "13800138000"
    assert {p.relation for p in child.persons.all()} == {"father", "mother", "paternal_grandfather"}
    page = director_client.get(response["Location"])
    body = page.content.decode()
    assert "刘小雨" in body and "330***********" in body
    assert str(idnumber.make("330723", datetime.date(2016, 4, 12), 122)) not in body  # masked until revealed
    assert AccessLog.objects.filter(action="view", child_id=child.pk).exists()


def test_invalid_id_is_refused_with_a_message_on_the_field(director_client):
    bad = idnumber.make("330723", datetime.date(2016, 4, 12), 122)[:-1] + "0"
    if bad == idnumber.make("330723", datetime.date(2016, 4, 12), 122):
        bad = bad[:-1] + "1"
    response = director_client.post(reverse("child_create"), registration_form_data(id_number=bad))
    assert response.status_code == 200
    body = response.content.decode()
    assert "校验位错误" in body
    assert 'aria-invalid="true"' in body
    assert not Child.objects.filter(name="刘小雨").exists()


def test_a_bad_family_member_saves_nothing(director_client):
    response = director_client.post(
        reverse("child_create"), registration_form_data(**{"carer-phone": "12345"})
    )
    assert response.status_code == 200
    assert "手机号" in response.content.decode() or "电话" in response.content.decode()
    assert not Child.objects.filter(name="刘小雨").exists()
    assert not Person.objects.exists()


def test_disagreeing_birth_date_is_refused(director_client):
    response = director_client.post(reverse("child_create"), registration_form_data(birth_date="2016-04-13"))
    assert "出生日期与身份证号不一致" in response.content.decode()


def test_another_village_director_cannot_open_the_file(client, users):
    child = child_create(users.director, name="周小安")
    client.force_login(users.director_b)
    assert client.get(reverse("child_detail", args=[child.uuid])).status_code == 404
    assert client.get(reverse("child_edit", args=[child.uuid])).status_code == 404
    listing = client.get(reverse("child_list")).content.decode()
    assert "周小安" not in listing


def test_list_filters_by_status_and_search(director_client, users):
    child_create(users.director, name="赵一鸣")
    child_create(users.director, name="钱多多", birth_date=datetime.date(2012, 1, 1))
    body = director_client.get(reverse("child_list"), {"age_band": "6-11"}).content.decode()
    assert "赵一鸣" in body and "钱多多" not in body


def test_stale_edit_shows_the_newer_values(client, users):
    child = child_create(users.director, name="孙悦", school="原来的学校")
    url = reverse("child_edit", args=[child.uuid])
    client.force_login(users.supervisor)
    form = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    # Meanwhile the director changes the school.
    from seedling.registry import services

    services.child_update(
        user=users.director,
        child=Child.objects.get(pk=child.pk),
        expected_version=1,
        fields={"school": "对方改的学校"},
    )
    data = {
        "name": "孙悦",
        "sex": "M",
        "birth_date": "2015-06-01",
        "no_id_reason": "not_issued",
        "ethnic_group": "01",
        "hukou_type": "rural",
        "area": areas.VILLAGE_A,
        "health": "healthy",
        "school": "我改的学校",
        "status": "active",
        "version": version,
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "对方改的学校" in body and 'id="stale-warning"' in body
    assert Child.objects.get(pk=child.pk).school == "对方改的学校"


def test_reveal_needs_a_reason_and_is_logged(director_client, users):
    number = idnumber.make("330723", datetime.date(2015, 6, 1), 11)
    child = child_create(users.director, name="吴桐", id_number=number)
    url = reverse("child_reveal_id", args=[child.uuid])
    refused = director_client.post(url, {"reason": ""}).content.decode()
    assert number not in refused
    shown = director_client.post(url, {"reason": "核对低保申请"}).content.decode()
    assert number in shown
    log = AccessLog.objects.get(action="reveal", child_id=child.pk)
    assert log.reason == "核对低保申请" and log.username == "director"


def test_social_worker_can_read_but_not_edit(client, users):
    child = child_create(users.director, name="郑好")
    client.force_login(users.social_worker)
    assert client.get(reverse("child_detail", args=[child.uuid])).status_code == 200
    assert client.get(reverse("child_edit", args=[child.uuid])).status_code == 404
    assert client.get(reverse("child_create")).status_code == 403


def test_researcher_sees_no_child_files(client, users):
    child = child_create(users.director, name="王五")
    client.force_login(users.researcher)
    assert client.get(reverse("child_detail", args=[child.uuid])).status_code == 404
    assert client.get(reverse("child_list")).status_code == 403


def test_home_shows_the_users_work(director_client, users):
    child_create(users.director, name="冯一")
    body = director_client.get(reverse("home")).content.decode()
    assert "在册儿童" in body and "寺后村委会" in body


def test_a_search_on_the_page_is_logged_without_id_numbers(director_client, users):
    number = idnumber.make("330723", datetime.date(2015, 6, 1), 21)
    child_create(users.director, name="黄山", id_number=number)
    assert "黄山" in director_client.get(reverse("child_list"), {"q": "黄山"}).content.decode()
    assert "黄山" in director_client.get(reverse("child_list"), {"q": number}).content.decode()
    logged = [row.detail["query"] for row in AccessLog.objects.filter(action="search").order_by("pk")]
    assert logged == ["黄山", "[number]"]


def test_pages_are_chinese_whatever_the_browser_language_until_the_user_switches(client, users):
    client.force_login(users.director)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "我的工作" in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "My work" in body and "我的工作" not in body


def test_family_forms_are_fetched_when_opened_not_sent_with_every_file(director_client, users):
    child = child_create(users.director, name="周小草")
    father = Person.objects.create(child=child, relation="father", name="周大树", is_guardian=True)
    page = director_client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).content.decode()
    # The file page carries no form fields for adding, only where to fetch them.
    assert 'name="person-name"' not in page and 'name="situation-kind"' not in page
    person_url = reverse("person_add", kwargs={"uuid": child.uuid})
    situation_url = reverse("situation_add", kwargs={"uuid": child.uuid, "person_uuid": father.uuid})
    assert f'hx-get="{person_url}"' in page and f'hx-get="{situation_url}"' in page

    # Opened with htmx: only the form, posting back to the same address.
    fragment = director_client.get(person_url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="person-name"' in fragment and f'action="{person_url}"' in fragment
    assert "<html" not in fragment
    fragment = director_client.get(situation_url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="situation-kind"' in fragment and f'action="{situation_url}"' in fragment
    # Without JavaScript the link opens a page of its own with the same form.
    page = director_client.get(situation_url).content.decode()
    assert "<html" in page and 'name="situation-kind"' in page

    # A post with a mistake shows the whole file again with the form open and the message on it.
    response = director_client.post(person_url, {"person-relation": "mother", "person-name": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<details open>" in body and 'name="person-name"' in body and 'aria-invalid="true"' in body


def test_family_forms_of_another_village_or_for_readers_are_refused(client, users):
    child = child_create(users.director, name="周小草")
    father = Person.objects.create(child=child, relation="father", name="周大树", is_guardian=True)
    urls = [
        reverse("person_add", kwargs={"uuid": child.uuid}),
        reverse("situation_add", kwargs={"uuid": child.uuid, "person_uuid": father.uuid}),
    ]
    for user in (users.director_b, users.social_worker):
        client.force_login(user)
        for url in urls:
            assert client.get(url, headers={"HX-Request": "true"}).status_code in (403, 404)


def test_a_family_form_sent_back_with_errors_shows_the_file_and_logs_the_read(director_client, users):
    child = child_create(users.director, name="周小草")
    father = Person.objects.create(child=child, relation="father", name="周大树", is_guardian=True)
    views = AccessLog.objects.filter(action="view", child_id=child.pk)
    before = views.count()
    director_client.post(reverse("person_add", kwargs={"uuid": child.uuid}), {"person-name": ""})
    url = reverse("situation_add", kwargs={"uuid": child.uuid, "person_uuid": father.uuid})
    response = director_client.post(url, {"situation-kind": ""})
    assert response.status_code == 400 and "周大树" in response.content.decode()
    assert views.count() == before + 2


def test_the_edit_form_shows_the_whole_file_so_opening_it_is_logged(director_client, users):
    child = child_create(users.director, name="周小草")
    views = AccessLog.objects.filter(action="view", child_id=child.pk, username="director")
    assert director_client.get(reverse("child_edit", kwargs={"uuid": child.uuid})).status_code == 200
    assert views.filter(reason="edit").count() == 1
