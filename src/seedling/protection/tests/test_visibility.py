"""Who sees which reports, how much of the child's file, and who learns who reported; every view logged."""

import pytest
from django.core.exceptions import PermissionDenied

from seedling.core.models import AccessLog
from seedling.protection import rules, selectors, services
from seedling.protection.choices import Situation

from .conftest import api

pytestmark = pytest.mark.django_db


def visible(user) -> set[int]:
    return set(selectors.report_list(user=user).values_list("pk", flat=True))


def test_area_readers_see_the_report_and_others_do_not(file_report, users, police):
    report = file_report()
    for user in (
        users.director,
        users.supervisor,
        users.social_worker,
        users.county_officer,
        users.city_officer,
        users.province_officer,
        users.national_officer,
        police["township"],
    ):
        assert visible(user) == {report.pk}, user.username
    for user in (
        users.director_b,  # same township, another village
        users.director_other_county,
        users.counsellor,  # sees only the reports they filed
        users.institution_worker,
        users.researcher,
        users.admin,
        police["county"],  # not routed: the township station was more specific
        police["other"],
    ):
        assert visible(user) == set(), user.username


def test_a_counsellor_sees_the_reports_they_filed(file_report, users):
    mine = file_report(user=users.counsellor, situation=Situation.ABNORMAL_INJURY)
    file_report()
    assert visible(users.counsellor) == {mine.pk}


def test_police_see_only_the_minimum_of_the_childs_file(file_report, police, users):
    report = file_report()
    body = api(police["township"]).get(f"/api/v1/mandatory-reports/{report.pk}/").json()
    assert body["child"] == {
        "uuid": None,  # no way into the child's file
        "name": "王小花",
        "age": body["child"]["age"],
        "village": "履坦镇 寺后村委会",
        "village_code": "330723101201",
    }
    assert body["situation"] == Situation.LEFT_BEHIND_ALONE
    assert body["description"].startswith("孩子独自在家")
    assert body["actions"]["acknowledge_police"] == "contact"
    # The child's file itself stays closed to them.
    assert api(police["township"]).get(f"/api/v1/children/{report.child.uuid}/").status_code == 404
    assert api(police["county"]).get(f"/api/v1/mandatory-reports/{report.pk}/").status_code == 404
    full = api(users.supervisor).get(f"/api/v1/mandatory-reports/{report.pk}/").json()
    assert full["child"]["uuid"] == str(report.child.uuid)


@pytest.mark.parametrize(
    "who, sees",
    [
        ("director", True),  # the reporter
        ("county_officer", True),
        ("city_officer", True),
        ("supervisor", False),
        ("social_worker", False),
        ("police", False),
    ],
)
def test_the_reporter_is_confidential_except_to_civil_affairs_and_themself(
    file_report, users, police, who, sees
):
    report = file_report()
    user = police["township"] if who == "police" else getattr(users, who)
    body = api(user).get(f"/api/v1/mandatory-reports/{report.pk}/").json()
    assert (body["reporter"] == "王村主任") is sees
    assert body["reporter_confidential"] is not sees
    actors = [e["actor"] for e in body["events"] if e["kind"] == "reported"]
    assert actors == (["王村主任"] if sees else ["保密"])
    listed = api(user).get("/api/v1/mandatory-reports/").json()["results"][0]
    assert (listed["reporter"] == "王村主任") is sees


def test_reporter_is_hidden_on_the_page_too(file_report, users, client, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    report = file_report()
    client.force_login(users.social_worker)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "王村主任" not in page and "保密" in page
    client.force_login(users.county_officer)
    assert "王村主任" in client.get(f"/reports/{report.pk}/").content.decode()


def test_every_view_of_a_report_is_logged(file_report, users, police, client, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    report = file_report()
    views = AccessLog.objects.filter(
        action="view", object_type="protection.mandatoryreport", object_id=str(report.pk)
    )
    api(police["township"]).get(f"/api/v1/mandatory-reports/{report.pk}/")
    client.force_login(users.supervisor)
    client.get(f"/reports/{report.pk}/")
    client.get(f"/reports/{report.pk}/")
    assert [(v.username, v.child_id) for v in views.order_by("pk")] == [
        ("police_lutan", report.child_id),
        ("supervisor", report.child_id),
        ("supervisor", report.child_id),
    ]
    # The list shows the child's name and situation: a read of the report, tied to the child and area.
    client.get("/reports/")
    api(police["township"]).get("/api/v1/mandatory-reports/")
    listed = views.filter(detail__list="mandatory_reports")
    assert sorted((v.username, v.child_id, v.area_code) for v in listed) == [
        ("police_lutan", report.child_id, report.child.area_id),
        ("supervisor", report.child_id, report.child.area_id),
    ]


def test_someone_out_of_reach_gets_404_and_no_log(file_report, users, client, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    report = file_report()
    client.force_login(users.director_b)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert not AccessLog.objects.filter(username="director_b", object_id=str(report.pk)).exists()


def test_a_police_account_unlinked_from_its_contact_loses_access(file_report, police, contacts):
    report = file_report()
    contacts["township_police"].users.remove(police["township"])
    assert visible(police["township"]) == set()
    with pytest.raises(PermissionDenied):
        services.report_acknowledge_police(user=police["township"], report=report)


@pytest.mark.parametrize(
    "roles, reporter, expected",
    [
        (set(), True, True),
        ({"village_director"}, False, False),
        ({"township_supervisor"}, False, False),
        ({"social_worker"}, False, False),
        ({"county_officer"}, False, True),
        ({"national_officer"}, False, True),
        ({"school_counsellor"}, False, False),
    ],
)
def test_reporter_visibility_rule(roles, reporter, expected):
    assert rules.may_see_reporter(frozenset(roles), is_reporter=reporter) is expected
