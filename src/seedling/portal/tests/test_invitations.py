"""Invitation codes: made by the child's counsellor or director, shown once, hashed, throttled sign-in."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from seedling.assessments.models import Response
from seedling.core.models import AccessLog
from seedling.portal import rules, services
from seedling.portal.models import InvitationRequest, PortalInvitation
from seedling.testing import areas
from seedling.testing.factories import child_create

from .conftest import Visitor

pytestmark = pytest.mark.django_db


def create_page(child) -> str:
    return reverse("portal:invitation_create") + f"?child={child.uuid}"


def make_code(client, user, child, holder="child", days=90) -> str:
    client.force_login(user)
    response = client.post(create_page(child), {"holder": holder, "days": days})
    assert response.status_code == 200, response.content.decode()[:2000]
    match = re.search(r'id="code">([A-Z0-9]{4}-[A-Z0-9]{4})<', response.content.decode())
    assert match, "the new code is shown once"
    client.logout()
    return match[1]


def test_the_counsellor_makes_a_code_that_is_shown_once_and_stored_only_as_a_hash(client, users, child):
    code = make_code(client, users.counsellor, child)
    invitation = PortalInvitation.objects.get(child=child)
    assert invitation.holder == "child" and invitation.created_by == users.counsellor
    plain = code.replace("-", "")
    assert plain not in invitation.code_hash and len(invitation.code_hash) == 64
    assert invitation.code_hash == services.invitation_code_hash(plain)
    assert all(c in rules.CODE_ALPHABET for c in plain)
    assert AccessLog.objects.filter(
        object_type="portal.portalinvitation", child_id=child.pk, action="create"
    ).exists()
    client.force_login(users.counsellor)
    again = client.get(create_page(child)).content.decode()
    assert code not in again  # never shown again
    assert AccessLog.objects.filter(object_type="registry.child", child_id=child.pk, action="view").exists()


def test_the_director_may_make_codes_and_others_get_404(client, users, child):
    client.force_login(users.director)
    assert client.get(create_page(child)).status_code == 200
    for outsider in (users.director_other_county, users.researcher, users.city_officer):
        client.force_login(outsider)
        assert client.get(create_page(child)).status_code == 404
        assert client.post(create_page(child), {"holder": "child", "days": 90}).status_code == 404
    assert PortalInvitation.objects.count() == 0


def test_bad_input_is_explained(client, users, child):
    client.force_login(users.counsellor)
    response = client.post(create_page(child), {"holder": "teacher", "days": 400})
    assert response.status_code == 400
    html = response.content.decode()
    assert "选择一个有效的选项" in html and "365" in html


def test_a_child_signs_in_sees_a_greeting_by_given_name_and_signs_out(client, users, child, content):
    code = make_code(client, users.counsellor, child)
    visitor = Visitor(client)
    response = visitor.sign_in(code.lower())
    assert response.status_code == 302 and response["Location"] == reverse("portal:me")
    html = client.get(reverse("portal:me")).content.decode()
    assert "小花，你好！" in html and "王小花" not in html
    assert AccessLog.objects.filter(action="login", child_id=child.pk).exists()
    home = client.get(reverse("portal:home")).content.decode()
    assert 'href="tel:12338"' in home  # the child's county was taken as the area
    client.post(reverse("portal:signout"))
    assert client.get(reverse("portal:me")).status_code == 302
    assert "小花" not in client.get(reverse("portal:home")).content.decode()


def test_a_guardian_is_greeted_as_the_childs_parent(client, users, child, content):
    code = make_code(client, users.director, child, holder="guardian")
    Visitor(client).sign_in(code)
    assert "小花的家长，您好！" in client.get(reverse("portal:me")).content.decode()


def test_expired_and_revoked_codes_are_refused_like_unknown_ones(client, users, child, content, clock):
    expired = make_code(client, users.counsellor, child, days=1)
    revoked = make_code(client, users.counsellor, child)
    client.force_login(users.counsellor)
    invitation = PortalInvitation.objects.order_by("-pk").first()
    client.post(reverse("portal:invitation_revoke", args=[invitation.pk]))
    assert PortalInvitation.objects.get(pk=invitation.pk).revoked_at is not None
    client.logout()
    clock.travel(by=datetime.timedelta(days=2))
    messages = set()
    for code in (expired, revoked, "ABCD-EFGH"):
        response = Client().post(reverse("portal:signin"), {"code": code})
        assert response.status_code == 400
        messages.add(re.search(r'invalid-feedback d-block">([^<]+)<', response.content.decode())[1])
    assert len(messages) == 1  # no hint whether a code exists


def test_a_session_signed_in_with_a_code_that_is_revoked_is_signed_out(client, users, child, content):
    code = make_code(client, users.counsellor, child)
    Visitor(client).sign_in(code)
    invitation = PortalInvitation.objects.get(child=child)
    services.portal_invitation_revoke(user=users.counsellor, invitation=invitation)
    response = client.get(reverse("portal:home"))
    assert "你的邀请码已经失效" in response.content.decode()
    assert client.get(reverse("portal:me")).status_code == 302


def test_failed_sign_ins_are_throttled_per_session(client, settings, content):
    settings.SEEDLING_PORTAL_SIGNIN_MAX_FAILURES = 3
    for _i in range(3):
        assert client.post(reverse("portal:signin"), {"code": "ABCD-EFGH"}).status_code == 400
    response = client.post(reverse("portal:signin"), {"code": "ABCD-EFGH"})
    assert response.status_code == 429
    assert "尝试次数太多了" in response.content.decode()


def test_failed_sign_ins_are_throttled_per_address_across_sessions(settings, users, child, content):
    settings.SEEDLING_PORTAL_SIGNIN_MAX_FAILURES = 100
    settings.SEEDLING_PORTAL_SIGNIN_IP_MAX_FAILURES = 4
    for _i in range(4):
        assert Client().post(reverse("portal:signin"), {"code": "ABCD-EFGH"}).status_code == 400
    invitation, code = services.portal_invitation_create(user=users.counsellor, child=child, holder="child")
    # Even the right code waits: the address is locked for the window.
    response = Client().post(reverse("portal:signin"), {"code": code})
    assert response.status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9").post(reverse("portal:signin"), {"code": code})
    assert other.status_code == 302


def test_one_prankster_behind_a_schools_address_does_not_lock_the_school_out(settings, users, child, content):
    # The defaults (the setting may be absent): 5 failures per session, 200 per address.
    for name in ("SEEDLING_PORTAL_SIGNIN_MAX_FAILURES", "SEEDLING_PORTAL_SIGNIN_IP_MAX_FAILURES"):
        if hasattr(settings, name):
            delattr(settings, name)
    prank = Client(REMOTE_ADDR="203.0.113.7")
    assert [prank.post(reverse("portal:signin"), {"code": "ABCD-EFGH"}).status_code for _ in range(6)] == [
        400
    ] * 5 + [429]
    for _i in range(25):  # the prankster drops the cookie and goes on
        Client(REMOTE_ADDR="203.0.113.7").post(reverse("portal:signin"), {"code": "ABCD-EFGH"})
    invitation, code = services.portal_invitation_create(user=users.counsellor, child=child, holder="child")
    classmate = Client(REMOTE_ADDR="203.0.113.7")
    assert classmate.post(reverse("portal:signin"), {"code": code}).status_code == 302


def test_a_malformed_code_gets_a_format_message(client, content):
    response = client.post(reverse("portal:signin"), {"code": "12"})
    assert response.status_code == 400
    assert "8 位字母和数字" in response.content.decode()


def test_a_signed_in_childs_self_check_stays_off_the_file_and_shows_in_the_session_history(
    client, users, child, content
):
    code = make_code(client, users.counsellor, child)
    visitor = Visitor(client)
    visitor.sign_in(code)
    response, stored = visitor.check("gad7", {i: 1 for i in range(1, 9)})
    assert stored.child_id is None and stored.anonymous and stored.submitted_by_id is None
    assert not AccessLog.objects.filter(object_type="assessments.response").exists()
    assert not Response.objects.filter(child=child).exists()
    me = client.get(reverse("portal:me")).content.decode()
    assert str(stored.uuid) in me
    client.post(reverse("portal:signout"))
    Visitor(client).sign_in(code)
    assert str(stored.uuid) not in client.get(reverse("portal:me")).content.decode()


def test_the_holder_sees_only_the_requests_sent_with_their_own_code(client, users, child, content):
    child_code = make_code(client, users.counsellor, child, holder="child")
    guardian_code = make_code(client, users.counsellor, child, holder="guardian")
    kid = Client()
    Visitor(kid).sign_in(child_code)
    assert (
        kid.post(
            reverse("portal:talk"), {"message": "我和奶奶吵架了", "language": "zh", "requester": "child"}
        ).status_code
        == 302
    )
    parent = Client()
    Visitor(parent).sign_in(guardian_code)
    assert (
        parent.post(
            reverse("portal:talk"), {"message": "孩子最近不说话", "language": "zh", "requester": "guardian"}
        ).status_code
        == 302
    )
    assert InvitationRequest.objects.count() == 2
    kid_page = kid.get(reverse("portal:me")).content.decode()
    parent_page = parent.get(reverse("portal:me")).content.decode()
    assert "我和奶奶吵架了" in kid_page and "孩子最近不说话" not in kid_page
    assert "已收到，正在安排心理辅导员" in kid_page  # no counsellor in the pool yet; no staff jargon
    assert "孩子最近不说话" in parent_page and "我和奶奶吵架了" not in parent_page
    from seedling.counselling.models import HelpRequest

    requests = {r.message: r for r in HelpRequest.objects.all()}
    assert requests["我和奶奶吵架了"].child == child and requests["我和奶奶吵架了"].requester == "child"
    assert requests["孩子最近不说话"].requester == "guardian"


def test_the_childs_file_shows_the_card_to_those_who_may_give_codes_only(client, users, child):
    file_url = reverse("child_detail", kwargs={"uuid": child.uuid})
    for user in (users.counsellor, users.director, users.county_officer):
        client.force_login(user)
        html = client.get(file_url).content.decode()
        assert 'id="portal-codes"' in html and create_page(child) in html
    client.force_login(users.city_officer)  # reads the file, may not give codes
    assert 'id="portal-codes"' not in client.get(file_url).content.decode()
    other = child_create(users.director_other_county, name="陈小军", area_code=areas.OTHER_COUNTY_VILLAGE)
    client.force_login(users.counsellor)
    assert client.get(create_page(other)).status_code == 404
