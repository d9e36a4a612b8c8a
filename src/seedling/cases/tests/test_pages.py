"""The case pages as a social worker, a supervisor, directors and an organization's user use them."""

import datetime

import pytest
from django.urls import reverse

from seedling.cases import services
from seedling.cases.models import Case, Organization, Referral, TransferRequest
from seedling.core import clock
from seedling.core.models import AccessLog
from seedling.geo.models import Division
from seedling.testing import areas

from .helpers import RATINGS, active_case, draft_plan, open_case

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_social_worker_opens_a_case_from_the_childs_file_and_gets_the_plan_approved(client, users, child):
    login(client, users.social_worker)
    file_page = client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).content.decode()
    create_url = reverse("cases:case_create") + f"?child={child.uuid}"
    assert create_url.replace("&", "&amp;") in file_page or create_url in file_page
    response = client.post(
        create_url,
        {
            "source_kind": "visit",
            "presenting_problem": "走访发现孩子独自在家",
            "worker": users.social_worker.pk,
            "opened_on": clock.today(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(child=child)
    step = lambda name: reverse("cases:case_step", kwargs={"pk": case.pk, "step": name})  # noqa: E731
    assert (
        client.post(
            step("assessment"), {**RATINGS, "assessed_on": clock.today(), "summary": "照护不足"}
        ).status_code
        == 302
    )
    assert client.post(step("goal"), {"text": "放学后有人照看"}).status_code == 302
    due = clock.today() + datetime.timedelta(days=7)
    assert (
        client.post(
            step("action"), {"text": "联系托管班", "owner": users.social_worker.pk, "due_on": due}
        ).status_code
        == 302
    )
    assert client.post(step("plan_request"), {"note": "请审批"}).status_code == 302
    case.refresh_from_db()
    assert case.plan_status == "pending"

    login(client, users.supervisor)
    queue = client.get(reverse("cases:approval_queue")).content.decode()
    assert case.number in queue and "王小花" in queue
    approval = case.approvals.get()
    # The queue shows the child and the plan's note: a read of the request, tied to the child.
    assert AccessLog.objects.filter(
        username="supervisor", action="view", object_id=str(approval.pk), child_id=case.child_id,
        detail__list="case_approvals",
    ).exists()
    response = client.post(
        reverse("cases:approval_decide", kwargs={"pk": approval.pk}),
        {"decision": "approved", "comment": "同意"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "services" and case.plan_status == "approved"
    detail = client.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert 'data-status="services"' in detail and "联系托管班" in detail


def test_a_refused_step_shows_the_reason_on_the_case_page(client, users, case):
    login(client, users.social_worker)
    url = reverse("cases:case_step", kwargs={"pk": case.pk, "step": "review"})
    response = client.post(
        url, {"reviewed_on": clock.today(), "progress": "进展良好", "decision": "continue"}
    )
    assert response.status_code == 400
    assert "服务开始后才能进行回顾" in response.content.decode()
    response = client.post(
        reverse("cases:case_transition", kwargs={"pk": case.pk}),
        {"target": "closed", "version": case.version},
        follow=True,
    )
    assert "结案须经督导批准" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "intake"


def test_a_rejection_without_comment_is_refused_on_the_page(client, users, child):
    case = draft_plan(users.social_worker, open_case(users.social_worker, child))
    approval = services.plan_approval_request(user=users.social_worker, case=case)
    login(client, users.supervisor)
    response = client.post(
        reverse("cases:approval_decide", kwargs={"pk": approval.pk}), {"decision": "rejected"}, follow=True
    )
    assert "驳回时须填写审批意见" in response.content.decode()
    assert case.approvals.get().decision == "pending"


def test_case_list_mine_and_area_and_no_case_for_another_county(client, users, case):
    login(client, users.social_worker)
    page = client.get(reverse("cases:case_list")).content.decode()
    assert case.number in page
    login(client, users.supervisor)
    assert case.number not in client.get(reverse("cases:case_list") + "?scope=mine").content.decode()
    assert case.number in client.get(reverse("cases:case_list") + "?scope=area&risk=").content.decode()
    login(client, users.director_other_county)
    assert case.number not in client.get(reverse("cases:case_list") + "?scope=area").content.decode()
    assert client.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).status_code == 404


def test_the_childs_file_shows_cases_and_their_timeline(client, users, child):
    case = active_case(users, child)
    login(client, users.director)
    page = client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).content.decode()
    assert "child-case" in page and case.number in page
    assert 'data-kind="case"' in page  # timeline events of the case


def test_transfer_pages_move_the_file_to_the_receiving_director(client, users, child):
    login(client, users.director)
    url = reverse("cases:transfer_create") + f"?child={child.uuid}"
    response = client.post(url, {"to_area": areas.VILLAGE_B, "reason": "随父母搬迁"})
    assert response.status_code == 302, response.content.decode()[:2000]
    transfer = TransferRequest.objects.get()
    login(client, users.director_b)
    assert "王小花" in client.get(reverse("cases:transfer_list")).content.decode()
    assert client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).status_code == 404
    response = client.post(
        reverse("cases:transfer_decide", kwargs={"pk": transfer.pk}), {"decision": "accepted"}
    )
    assert response.status_code == 302
    assert client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).status_code == 200
    login(client, users.director)
    assert client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).status_code == 404


def test_transfer_form_names_the_wrong_field(client, users, child):
    login(client, users.director)
    url = reverse("cases:transfer_create") + f"?child={child.uuid}"
    response = client.post(url, {"to_area": "999999999999", "reason": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "区划代码 999999999999 不存在" in body and "is-invalid" in body


def test_organization_form_and_directory(client, users, org_user):
    login(client, users.county_officer)
    response = client.post(
        reverse("cases:organization_create"),
        {
            "name": "县妇联",
            "kind": "government",
            "services": ["legal_aid", "counselling"],
            "area_codes": areas.COUNTY,
            "member_usernames": org_user.username,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organization.objects.get(name="县妇联")
    assert list(org.members.all()) == [org_user]
    login(client, users.director)
    page = client.get(reverse("cases:organization_list") + "?service=legal_aid").content.decode()
    assert "县妇联" in page and reverse("cases:organization_create") not in page
    assert client.get(reverse("cases:organization_edit", kwargs={"pk": org.pk})).status_code == 403


def test_organization_user_sees_the_referral_and_only_what_it_shares(
    client, users, child, hospital, org_user, other_org_user
):
    login(client, users.social_worker)
    response = client.post(
        reverse("cases:referral_create") + f"?child={child.uuid}",
        {
            "organization": hospital.pk,
            "service": "medical",
            "reason": "需要复查听力",
            "due_on": clock.today() + datetime.timedelta(days=7),
            "share_health": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    login(client, org_user)
    assert client.get(reverse("cases:case_list")).status_code == 302  # to the referrals
    listing = client.get(reverse("cases:referral_list")).content.decode()
    assert "王小花" in listing
    detail = client.get(reverse("cases:referral_detail", kwargs={"pk": referral.pk})).content.decode()
    assert 'id="shared-health"' in detail and 'id="shared-guardians"' not in detail
    assert reverse("child_detail", kwargs={"uuid": child.uuid}) not in detail  # no link into the file
    assert AccessLog.objects.filter(action="view", object_type="cases.referral", user=org_user).exists()
    response = client.post(
        reverse("cases:referral_respond", kwargs={"pk": referral.pk}),
        {"version": referral.version, "status": "declined", "note": ""},
    )
    assert response.status_code == 400 and "拒绝时须说明理由" in response.content.decode()
    login(client, other_org_user)
    assert client.get(reverse("cases:referral_detail", kwargs={"pk": referral.pk})).status_code == 404
    assert "王小花" not in client.get(reverse("cases:referral_list")).content.decode()


def test_every_page_renders_for_the_people_who_use_it(client, users, child, hospital, org_user):
    case = active_case(users, child)
    referral = services.referral_send(
        user=users.social_worker,
        child=child,
        organization=hospital,
        case=case,
        fields={"service": "medical", "reason": "复查"},
    )
    transfer = services.transfer_request(
        user=users.director, child=child, to_area=Division.objects.get(code=areas.VILLAGE_B), reason="搬迁"
    )
    pages = {
        users.social_worker: [
            reverse("cases:case_list"),
            reverse("cases:case_detail", kwargs={"pk": case.pk}),
            reverse("cases:case_edit", kwargs={"pk": case.pk}),
            reverse("cases:referral_list"),
            reverse("cases:referral_detail", kwargs={"pk": referral.pk}),
            reverse("cases:referral_create") + f"?child={child.uuid}&case={case.pk}",
            reverse("cases:organization_list"),
            reverse("cases:organization_detail", kwargs={"pk": hospital.pk}),
        ],
        users.supervisor: [reverse("cases:approval_queue"), reverse("cases:transfer_list")],
        users.director_b: [reverse("cases:transfer_detail", kwargs={"pk": transfer.pk})],
        users.county_officer: [
            reverse("cases:organization_create"),
            reverse("cases:organization_edit", kwargs={"pk": hospital.pk}),
        ],
        org_user: [
            reverse("cases:referral_list") + "?box=received",
            reverse("cases:referral_detail", kwargs={"pk": referral.pk}),
        ],
    }
    for user, urls in pages.items():
        login(client, user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user.username, url, response.content.decode()[:1500])
    login(client, users.counsellor)  # views children, but no case work: no case section on the file
    assert client.get(reverse("cases:case_list")).status_code == 403
    assert (
        "child-case" not in client.get(reverse("child_detail", kwargs={"uuid": child.uuid})).content.decode()
    )
