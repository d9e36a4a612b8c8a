"""The REST API of mandatory reports: same scope, rules and audit as the pages, errors naming the field."""

import datetime

import pytest

from seedling.protection.models import MandatoryReport

from .conftest import api

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/mandatory-reports/"


def body(child, **extra):
    data = {
        "child": str(child.uuid),
        "situation": "left_behind_alone",
        "detected_at": (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).isoformat(),
        "description": "独自居住",
    }
    data.update(extra)
    return data


def test_file_open_and_list(users, child, contacts):
    response = api(users.director).post(REPORTS, body(child), format="json")
    assert response.status_code == 201, response.data
    created = response.json()
    assert created["status"] == "reported" and created["reporter"] == "王村主任"
    assert {r["name"] for r in created["routings"]} == {"武义县公安局履坦派出所", "武义县民政局儿童福利科"}
    listed = api(users.supervisor).get(REPORTS).json()
    assert [r["id"] for r in listed["results"]] == [created["id"]]
    assert "description" not in listed["results"][0]  # the text only when a report is opened


def test_errors_name_the_field(users, child):
    response = api(users.director).post(
        REPORTS, body(child, detected_at="2999-01-01T00:00:00Z"), format="json"
    )
    assert response.status_code == 400 and "detected_at" in response.json()
    response = api(users.director).post(REPORTS, body(child, situation="nope"), format="json")
    assert response.status_code == 400 and "situation" in response.json()
    response = api(users.director).post(REPORTS, body(child, source="case"), format="json")
    assert response.status_code == 400 and "source_id" in response.json()
    assert api(users.director_b).post(REPORTS, body(child), format="json").status_code == 404
    assert MandatoryReport.objects.count() == 0


def test_the_steps_as_actions(users, police, child, contacts):
    report_id = api(users.director).post(REPORTS, body(child), format="json").json()["id"]
    url = f"{REPORTS}{report_id}/"
    assert api(users.county_officer).post(f"{url}close/", {"note": "x"}, format="json").status_code == 400
    refused = api(users.supervisor).post(f"{url}acknowledge-civil-affairs/", {}, format="json")
    assert refused.status_code == 403
    on_behalf = api(users.county_officer).post(f"{url}acknowledge-police/", {}, format="json")
    assert on_behalf.status_code == 400 and "reference" in on_behalf.json()

    police_ack = api(police["township"]).post(
        f"{url}acknowledge-police/", {"reference": "JJ-1"}, format="json"
    )
    assert police_ack.status_code == 200 and police_ack.json()["status"] == "police_acknowledged"
    civil = api(users.county_officer).post(
        f"{url}acknowledge-civil-affairs/", {"note": "收到"}, format="json"
    )
    assert civil.json()["status"] == "acknowledged" and civil.json()["actions"]["close"] is True
    closed = api(users.county_officer).post(f"{url}close/", {"note": "已落实"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    note = api(users.director).post(f"{url}notes/", {"note": "回访正常"}, format="json")
    assert note.status_code == 201 and note.json()["actor"] == "王村主任"
    kinds = [e["kind"] for e in api(users.county_officer).get(url).json()["events"]]
    assert kinds == [
        "reported",
        "routed",
        "police_acknowledged",
        "civil_affairs_acknowledged",
        "closed",
        "note",
    ]


def test_filters(users, child, contacts, clock):
    first = api(users.director).post(REPORTS, body(child), format="json").json()["id"]
    clock.travel(by=datetime.timedelta(hours=25))
    second = api(users.director).post(REPORTS, body(child, situation="abandoned"), format="json").json()["id"]
    client = api(users.county_officer)
    assert [r["id"] for r in client.get(REPORTS, {"overdue": "true"}).json()["results"]] == [first]
    client.post(f"{REPORTS}{second}/acknowledge-civil-affairs/", {}, format="json")
    rows = client.get(REPORTS, {"status": "civil_affairs_acknowledged"}).json()["results"]
    assert [r["id"] for r in rows] == [second]
    assert client.get(REPORTS, {"status": "bogus"}).status_code == 400
