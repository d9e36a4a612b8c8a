"""The screening API: same scope, rules and audit as the pages; codes once; errors name the field."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from seedling.assessments import screening
from seedling.assessments.models import Campaign, GuardianConsent
from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.testing import areas
from seedling.testing.factories import child_create

from .campaign_helpers import PHQ_A_RED, born, form_of, opened

pytestmark = pytest.mark.django_db
CAMPAIGNS = "/api/v1/screening-campaigns/"
CONSENTS = "/api/v1/screening-consents/"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _body(**overrides) -> dict:
    now = clock.now()
    return {
        "title": "初二(3)班筛查",
        "questionnaire_version": form_of("phq-a").pk,
        "target": "class",
        "opens_at": now.isoformat(),
        "closes_at": (now + datetime.timedelta(days=7)).isoformat(),
        **overrides,
    }


def test_create_open_and_read_progress(users, klass):
    client = api(users.counsellor)
    created = client.post(CAMPAIGNS, _body(school_class=klass.pk), format="json")
    assert created.status_code == 201, created.data
    body = created.json()
    assert body["status"] == "draft" and body["counsellor"]["username"] == "counsellor"
    assert body["public_path"].startswith("/s/") and body["area"] == klass.school.area_id
    opened_ = client.post(f"{CAMPAIGNS}{body['id']}/open/", {"version": body["version"]}, format="json")
    assert opened_.status_code == 200 and opened_["Cache-Control"] == "no-store"
    codes = opened_.json()["codes"]
    assert len(codes) == 3 and {c["name"] for c in codes} == {"林小雨", "周子航", "吴小满"}
    detail = client.get(f"{CAMPAIGNS}{body['id']}/").json()
    assert detail["progress"]["invited"] == 3 and detail["progress"]["counts"]["awaiting_consent"] == 1
    rows = client.get(f"{CAMPAIGNS}{body['id']}/invitations/").json()["results"]
    assert {r["state"] for r in rows} == {"invited", "awaiting_consent"}
    assert all("code" not in r for r in rows)
    assert [c["id"] for c in client.get(CAMPAIGNS, {"status": "open"}).json()["results"]] == [body["id"]]


def test_errors_name_the_field_in_the_users_language(users, klass):
    client = api(users.counsellor)
    response = client.post(CAMPAIGNS, _body(target="class", remind_every_days=99), format="json")
    assert response.status_code == 400 and "remind_every_days" in response.json()
    response = client.post(CAMPAIGNS, _body(target="class"), format="json")
    assert response.status_code == 400 and "请选择班级" in response.json()["school_class"][0]
    response = client.post(CAMPAIGNS, _body(target="area", area="990000000000"), format="json")
    assert response.status_code == 400 and "不存在" in response.json()["area"][0]
    response = client.post(CAMPAIGNS, _body(target="anonymous", area=areas.OTHER_COUNTY), format="json")
    assert response.status_code == 400 and "没有" in response.json()["area"][0]


def test_other_areas_and_other_roles_get_nothing(users, klass):
    campaign = opened(users.counsellor, school_class=klass).campaign
    for other in (users.director, users.supervisor, users.director_other_county, users.researcher):
        client = api(other)
        assert client.get(f"{CAMPAIGNS}{campaign.pk}/").status_code == 404
        assert client.get(CAMPAIGNS).json()["results"] == []
    # A class of another area cannot even be named.
    response = api(users.director).post(CAMPAIGNS, _body(school_class=klass.pk), format="json")
    assert response.status_code == 400 and "school_class" in response.json()
    # COUNSEL reads the progress but does not run the campaign.
    social = api(users.social_worker)
    assert social.get(f"{CAMPAIGNS}{campaign.pk}/").status_code == 200
    assert social.post(f"{CAMPAIGNS}{campaign.pk}/close/", {}, format="json").status_code == 403


def test_a_stale_edit_is_409_with_the_current_campaign(users, klass):
    client = api(users.counsellor)
    body = client.post(CAMPAIGNS, _body(school_class=klass.pk), format="json").json()
    first = client.patch(
        f"{CAMPAIGNS}{body['id']}/", {"version": body["version"], "title": "新名称"}, format="json"
    )
    assert first.status_code == 200 and first.json()["title"] == "新名称"
    stale = client.patch(
        f"{CAMPAIGNS}{body['id']}/", {"version": body["version"], "title": "旧的"}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["current"]["title"] == "新名称"
    assert client.patch(f"{CAMPAIGNS}{body['id']}/", {"title": "x"}, format="json").status_code == 400


def test_consent_through_the_api_lets_a_13_year_old_start(users, klass):
    result = opened(users.counsellor, school_class=klass)
    young = next(c.invitation for c in result.codes if c.invitation.student.name == "吴小满")
    client = api(users.counsellor)
    bad = client.post(CONSENTS, {"student": young.student_id, "method": "paper"}, format="json")
    assert bad.status_code == 400 and {"guardian_name", "relation", "given_on"} <= set(bad.json())
    created = client.post(
        CONSENTS,
        {
            "student": young.student_id,
            "campaign": result.campaign.pk,
            "guardian_name": "吴建国",
            "relation": "父亲",
            "method": "in_person",
            "given_on": clock.today().isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    assert screening.invitation_start(invitation=young).started_at is not None
    listed = client.get(CONSENTS, {"student": young.student_id}).json()["results"]
    assert [c["id"] for c in listed] == [created.json()["id"]]
    assert api(users.director).get(CONSENTS, {"student": young.student_id}).json()["results"] == []
    withdrawn = client.post(f"{CONSENTS}{created.json()['id']}/withdraw/", {"note": "撤回"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    again = client.post(f"{CONSENTS}{created.json()['id']}/withdraw/", {}, format="json")
    assert again.status_code == 400
    assert GuardianConsent.objects.get().withdrawn_at is not None


def test_a_result_is_read_by_the_counsellor_and_logged(users, klass):
    child = child_create(users.director, name="林小雨", birth_date=born(14))
    klass.students.filter(name="林小雨").update(child=child)
    result = opened(users.counsellor, school_class=klass)
    invitation = next(c.invitation for c in result.codes if c.invitation.student.name == "林小雨")
    response = screening.campaign_response_submit(
        campaign=result.campaign, invitation=invitation, data=PHQ_A_RED, language="zh"
    )
    url = f"/api/v1/screening-results/{response.uuid}/"
    body = api(users.counsellor).get(url).json()
    assert (
        body["band"] == "red"
        and body["child"] == str(child.uuid)
        and body["action"] == "urgent_referral_today"
    )
    assert AccessLog.objects.filter(
        object_type="assessments.response", child_id=child.pk, action="view"
    ).exists()
    assert api(users.director).get(url).status_code == 404
    assert Campaign.objects.get().responses.count() == 1
