"""The access-log page: auditors see the rows of their areas only, filtered, newest first, with chain status."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from seedling.core.audit import audit_log, audit_maintenance, audit_seal
from seedling.core.models import AccessLog
from seedling.core.selectors import access_log_list
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db
URL = reverse("audit_log")


@pytest.fixture(autouse=True)
def _no_mfa(settings):
    # MFA enrolment is tested in accounts; here the officers go straight to the page.
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def scene(users):
    """Rows in village A (county 330723), in another county (331081), in Beijing, and a sign-in."""
    child = child_create(users.director, name="李小花")
    other = child_create(users.director_other_county, name="陈小军", area_code=areas.OTHER_COUNTY_VILLAGE)
    audit_log(user=users.director, action="view", obj=child, reason="家访前查看")
    audit_log(user=users.director_other_county, action="view", obj=other)
    audit_log(user=users.national_officer, action="export", area_code="110112001001")
    audit_log(user=users.director, action="login")
    return {"child": child, "other": other}


def page_rows(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, list(response.context["page"].object_list)


@pytest.mark.parametrize(
    "role", ["director", "supervisor", "social_worker", "counsellor", "institution_worker", "researcher"]
)
def test_people_without_the_audit_action_are_refused(client, users, scene, role):
    client.force_login(getattr(users, role))
    response = client.get(URL)
    assert response.status_code == 403
    assert "访问日志" in response.content.decode()
    assert "家访前查看" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    "role,areas_seen,sees_logins",
    [
        ("county_officer", {areas.VILLAGE_A}, False),
        ("city_officer", {areas.VILLAGE_A}, False),
        ("province_officer", {areas.VILLAGE_A, areas.OTHER_COUNTY_VILLAGE}, False),
        ("national_officer", {areas.VILLAGE_A, areas.OTHER_COUNTY_VILLAGE, "110112001001"}, True),
        ("admin", {areas.VILLAGE_A, areas.OTHER_COUNTY_VILLAGE, "110112001001"}, True),
    ],
)
def test_each_auditor_sees_exactly_the_rows_of_their_areas(
    client, users, scene, role, areas_seen, sees_logins
):
    _response, rows = page_rows(client, getattr(users, role))
    assert {r.area_code for r in rows if r.area_code} == areas_seen
    assert any(r.action == "login" for r in rows) == sees_logins


def test_a_county_sysadmin_sees_sign_ins_but_not_other_counties(users, scene):
    from seedling.accounts.models import Membership

    Membership.objects.filter(user=users.admin).update(area_id=areas.COUNTY)
    users.admin._memberships_cache = None
    rows = list(access_log_list(user=users.admin))
    assert {r.area_code for r in rows} == {areas.VILLAGE_A, ""}


def test_rows_are_newest_first_and_show_who_what_why(client, users, scene):
    response, rows = page_rows(client, users.county_officer)
    assert [r.pk for r in rows] == sorted((r.pk for r in rows), reverse=True)
    html = response.content.decode()
    assert "家访前查看" in html and "director" in html and "寺后村委会" in html
    assert 'data-label="操作"' in html and "table-responsive-stack" in html


def test_filters_by_action_username_and_dates(client, users, scene):
    _r, rows = page_rows(client, users.national_officer, action="export")
    assert [r.action for r in rows] == ["export"]

    _r, rows = page_rows(client, users.national_officer, username="director_other_county")
    assert rows and {r.username for r in rows} == {"director_other_county"}

    today = timezone.localdate()
    _r, rows = page_rows(
        client, users.national_officer, date_from=today.isoformat(), date_to=today.isoformat()
    )
    assert len(rows) == AccessLog.objects.count()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    _r, rows = page_rows(client, users.national_officer, date_to=yesterday)
    assert rows == []


def test_a_reversed_date_range_is_explained(client, users, scene):
    response, _rows = page_rows(client, users.county_officer, date_from="2025-02-01", date_to="2025-01-01")
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_filter_by_child_within_scope(client, users, scene):
    _r, rows = page_rows(client, users.county_officer, child=str(scene["child"].uuid))
    assert rows and {r.child_id for r in rows} == {scene["child"].pk}


def test_a_child_outside_the_scope_is_not_resolved(client, users, scene):
    response, rows = page_rows(client, users.county_officer, child=str(scene["other"].uuid))
    assert rows == []
    assert "在您可审计的区域内没有这个儿童" in response.content.decode()


def test_an_area_filter_narrows_but_never_widens(client, users, scene):
    _r, rows = page_rows(client, users.province_officer, area=areas.OTHER_COUNTY)
    assert {r.area_code for r in rows} == {areas.OTHER_COUNTY_VILLAGE}
    _r, rows = page_rows(client, users.county_officer, area=areas.OTHER_COUNTY)
    assert rows == []
    _r, rows = page_rows(client, users.county_officer, area="11")
    assert rows == []


def test_bad_filter_values_are_explained_not_crashing(client, users, scene):
    response, _rows = page_rows(
        client, users.county_officer, child="not-a-uuid", area="33x", date_from="tomorrow"
    )
    html = response.content.decode()
    assert "请输入有效的儿童编号" in html and "区划代码前缀应为" in html


def test_fifty_rows_per_page_and_filters_kept_across_pages(client, users):
    for i in range(120):
        audit_log(user=users.director, action="view", area_code=areas.VILLAGE_A, reason=f"第{i}次")
    response, rows = page_rows(client, users.county_officer, action="view")
    assert len(rows) == 50
    assert response.context["page"].paginator.num_pages == 3
    assert "action=view&amp;page=2" in response.content.decode()
    _r, last = page_rows(client, users.county_officer, action="view", page=3)
    assert len(last) == 20 and last[-1].reason == "第0次"


def test_chain_status_per_row_and_summary(client, users, scene):
    audit_seal()
    audit_log(user=users.county_officer, action="view", area_code=areas.VILLAGE_A, reason="未封存的一条")
    response, rows = page_rows(client, users.county_officer)
    html = response.content.decode()
    assert "未封存" in html and "已封存 #" in html
    assert response.context["unsealed"] == 1
    assert "本页已封存记录逐条校验通过" in html

    tampered = next(r for r in rows if r.seq is not None)
    with audit_maintenance():
        AccessLog.objects.filter(pk=tampered.pk).update(reason="改过的理由")
    response, _rows = page_rows(client, users.county_officer)
    html = response.content.decode()
    assert f"#{tampered.seq} 校验失败" in html
    assert [r.pk for r in response.context["page_broken"]] == [tampered.pk]


def test_the_last_full_verification_is_shown(client, users, scene):
    call_command("audit", "seal", stdout=StringIO())
    call_command("audit", "verify", stdout=StringIO())
    response, _rows = page_rows(client, users.county_officer)
    assert "最近一次全链校验" in response.content.decode()
    assert response.context["last_verification"]["report"].ok
