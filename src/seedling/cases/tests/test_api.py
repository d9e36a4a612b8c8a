"""The cases API: same scope, rules and audit as the pages; errors name the field; stale versions are 409."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.cases.models import Case, Referral
from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.testing import areas

from .helpers import RATINGS, active_case, draft_plan, open_case

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_open_a_case_and_read_it_back(users, child):
    client = api(users.social_worker)
    response = client.post(
        CASES,
        {
            "child": str(child.uuid),
            "source_kind": "report",
            "source_id": 5,
            "presenting_problem": "强制报告转入",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "intake" and body["worker"]["username"] == "social_worker"
    assert body["source_type"] == "protection.report" and body["child"]["uuid"] == str(child.uuid)
    detail = client.get(f"{CASES}{body['id']}/")
    assert detail.status_code == 200 and detail.json()["number"] == body["number"]
    assert AccessLog.objects.filter(
        action="view", object_type="cases.case", object_id=str(body["id"])
    ).exists()
    assert [row["id"] for row in client.get(CASES, {"mine": "true"}).json()["results"]] == [body["id"]]


def test_errors_name_the_field_in_the_users_language(users, child):
    client = api(users.social_worker)
    response = client.post(
        CASES, {"child": str(child.uuid), "source_kind": "walk_in", "presenting_problem": "x"}, format="json"
    )
    assert response.status_code == 400 and "presenting_problem" in response.json()
    open_case(users.social_worker, child)
    response = client.post(
        CASES,
        {"child": str(child.uuid), "source_kind": "walk_in", "presenting_problem": "再次求助"},
        format="json",
    )
    assert response.status_code == 400 and "未结案" in response.json()["child"][0]
    english = api(users.social_worker)
    english.credentials(
        HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE="en"
    )
    response = english.post(CASES, {"child": str(child.uuid), "source_kind": "nope"}, format="json")
    assert response.status_code == 400 and {"source_kind", "presenting_problem"} <= set(response.json())


def test_out_of_scope_is_404_and_a_refused_transition_names_the_status(users, case):
    assert api(users.director_other_county).get(f"{CASES}{case.pk}/").status_code == 404
    response = api(users.director_other_county).post(
        CASES,
        {"child": str(case.child.uuid), "source_kind": "walk_in", "presenting_problem": "求助"},
        format="json",
    )
    assert response.status_code == 404
    response = api(users.social_worker).post(
        f"{CASES}{case.pk}/transition/", {"version": case.version, "status": "closed"}, format="json"
    )
    assert response.status_code == 400 and "结案" in response.json()["status"][0]


def test_a_stale_edit_is_409_with_the_current_case(users, case):
    client = api(users.social_worker)
    ok = client.patch(
        f"{CASES}{case.pk}/",
        {"version": case.version, "presenting_problem": "补充：父母长期在外"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == case.version + 1
    stale = client.patch(
        f"{CASES}{case.pk}/", {"version": case.version, "presenting_problem": "旧版本"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["presenting_problem"] == "补充：父母长期在外"
    missing = client.patch(f"{CASES}{case.pk}/", {"presenting_problem": "无版本"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()


def test_plan_through_the_api_and_the_supervisor_decides(users, case):
    worker, url = api(users.social_worker), f"{CASES}{case.pk}/"
    assert (
        worker.post(f"{url}assessments/", {**RATINGS, "summary": "照护不足"}, format="json").status_code
        == 201
    )
    goal = worker.post(f"{url}goals/", {"text": "恢复正常上学"}, format="json").json()
    due = (clock.today() + datetime.timedelta(days=5)).isoformat()
    response = worker.post(
        f"{url}plan-actions/",
        {"text": "家访", "goal": goal["id"], "owner": "director", "due_on": due},
        format="json",
    )
    assert response.status_code == 201, response.data
    response = worker.post(
        f"{url}plan-actions/", {"text": "家访", "owner": "nobody", "due_on": due}, format="json"
    )
    assert response.status_code == 400 and "owner" in response.json()
    approval = worker.post(f"{url}plan-approval/", {"note": "请审批"}, format="json").json()
    supervisor = api(users.supervisor)
    assert [a["id"] for a in supervisor.get("/api/v1/case-approvals/").json()["results"]] == [approval["id"]]
    response = supervisor.post(
        f"/api/v1/case-approvals/{approval['id']}/decide/", {"decision": "rejected"}, format="json"
    )
    assert response.status_code == 400 and "comment" in response.json()
    response = supervisor.post(
        f"/api/v1/case-approvals/{approval['id']}/decide/", {"decision": "approved"}, format="json"
    )
    assert response.status_code == 200 and response.json()["decision"] == "approved"
    body = worker.get(url).json()
    assert body["status"] == "services" and body["plan_status"] == "approved"
    action = body["actions"][0]
    response = api(users.director).patch(
        f"/api/v1/case-plan-actions/{action['id']}/",
        {"version": action["version"], "status": "done"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "done"


def test_services_and_reviews_through_the_api(users, child):
    case = active_case(users, child)
    client = api(users.social_worker)
    response = client.post(
        f"{CASES}{case.pk}/services/", {"kind": "counselling", "outcome": "情绪好转"}, format="json"
    )
    assert response.status_code == 201 and response.json()["provider_user"]["username"] == "social_worker"
    response = client.post(f"{CASES}{case.pk}/reviews/", {"progress": "", "decision": "close"}, format="json")
    assert response.status_code == 400 and "progress" in response.json()
    response = client.post(f"{CASES}{case.pk}/closure/", {"closure_reason": "goals_met"}, format="json")
    assert response.status_code == 201 and response.json()["kind"] == "closure"
    assert Case.objects.get(pk=case.pk).is_open


def test_transfer_through_the_api_moves_the_file(users, child):
    response = api(users.director).post(
        "/api/v1/case-transfers/",
        {"child": str(child.uuid), "to_area": areas.VILLAGE_B, "reason": "随父母搬迁"},
        format="json",
    )
    assert response.status_code == 201, response.data
    transfer_id = response.json()["id"]
    receiving = api(users.director_b)
    assert [
        t["id"] for t in receiving.get("/api/v1/case-transfers/", {"direction": "incoming"}).json()["results"]
    ] == [transfer_id]
    assert receiving.get(f"/api/v1/children/{child.uuid}/").status_code == 404
    response = receiving.post(
        f"/api/v1/case-transfers/{transfer_id}/decide/", {"decision": "declined"}, format="json"
    )
    assert response.status_code == 400 and "comment" in response.json()
    response = receiving.post(
        f"/api/v1/case-transfers/{transfer_id}/decide/", {"decision": "accepted"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert receiving.get(f"/api/v1/children/{child.uuid}/").status_code == 200
    assert api(users.director).get(f"/api/v1/children/{child.uuid}/").status_code == 404


def test_referrals_through_the_api_share_only_the_chosen_parts(
    users, child, hospital, org_user, other_org_user
):
    draft_plan(users.social_worker, open_case(users.social_worker, child))
    response = api(users.social_worker).post(
        "/api/v1/referrals/",
        {
            "child": str(child.uuid),
            "organization": hospital.pk,
            "service": "medical",
            "reason": "需要复查",
            "share_assessment": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    referral_id = response.json()["id"]
    receiver = api(org_user)
    listing = receiver.get("/api/v1/referrals/").json()["results"]
    assert [r["id"] for r in listing] == [referral_id] and set(listing[0]["shared"]) == {"basic"}
    body = receiver.get(f"/api/v1/referrals/{referral_id}/").json()
    assert set(body["shared"]) == {"basic", "assessment"} and body["shared"]["basic"]["name"] == "王小花"
    assert receiver.get(f"/api/v1/children/{child.uuid}/").status_code == 404
    assert api(other_org_user).get(f"/api/v1/referrals/{referral_id}/").status_code == 404
    assert api(other_org_user).get("/api/v1/referrals/").json()["results"] == []
    version = body["version"]
    response = receiver.post(
        f"/api/v1/referrals/{referral_id}/respond/",
        {"version": version, "status": "completed"},
        format="json",
    )
    assert response.status_code == 400 and "status" in response.json()  # accept first
    response = receiver.post(
        f"/api/v1/referrals/{referral_id}/respond/", {"version": version, "status": "accepted"}, format="json"
    )
    assert response.status_code == 200
    stale = receiver.post(
        f"/api/v1/referrals/{referral_id}/respond/",
        {"version": version, "status": "declined", "note": "不行"},
        format="json",
    )
    assert stale.status_code == 409
    assert Referral.objects.get().status == "accepted"


def test_organizations_api_checks_the_areas_served(users):
    client = api(users.county_officer)
    body = {
        "name": "县教育局",
        "kind": "government",
        "services": ["education_support"],
        "areas": [areas.OTHER_COUNTY],
    }
    response = client.post("/api/v1/organizations/", body, format="json")
    assert response.status_code == 400 and "areas" in response.json()
    response = client.post("/api/v1/organizations/", {**body, "areas": [areas.COUNTY]}, format="json")
    assert response.status_code == 201 and response.json()["areas"] == [areas.COUNTY]
    assert api(users.director).post("/api/v1/organizations/", body, format="json").status_code == 403
    listing = api(users.director).get("/api/v1/organizations/", {"area": areas.VILLAGE_A}).json()["results"]
    assert [o["name"] for o in listing] == ["县教育局"]
