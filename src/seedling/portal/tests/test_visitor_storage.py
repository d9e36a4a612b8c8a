"""Where the portal keeps what it remembers: no server-side row ties an anonymous self-check to a child."""

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.urls import reverse

from seedling.core import clock
from seedling.core.schedule import jobs
from seedling.portal import services, tasks
from seedling.portal.visitor import CHECKS_COOKIE, CHECKS_MAX_AGE, CHECKS_SALT

from .conftest import Visitor, phq_a

pytestmark = pytest.mark.django_db


def signed_in(client, users, child) -> Visitor:
    invitation, code = services.portal_invitation_create(user=users.counsellor, child=child, holder="child")
    visitor = Visitor(client)
    assert visitor.sign_in(code).status_code == 302
    return visitor


def session_rows() -> list[dict]:
    return [s.get_decoded() for s in Session.objects.all()]


def test_a_signed_in_childs_self_check_is_in_no_session_row_only_in_a_signed_browser_cookie(
    client, users, child, content
):
    visitor = signed_in(client, users, child)
    response, stored = visitor.check("phq-a", phq_a([3, 3, 3, 3, 3, 3, 3, 0, 1]))
    # The browser just closes (no sign-out): the session table must not hold the check anywhere.
    for data in session_rows():
        assert str(stored.uuid) not in repr(data)
    assert any("portal_invitation" in data for data in session_rows())  # the sign-in itself is there
    cookie = response.cookies[CHECKS_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == CHECKS_MAX_AGE == 24 * 60 * 60
    rows = signing.loads(cookie.value, salt=CHECKS_SALT)
    assert rows == [[str(stored.uuid), "phq-a", 1]]  # the check and "while signed in": no invitation id
    # The same browser still opens the result and sees it on "my page".
    assert client.get(response["Location"]).status_code == 200
    assert str(stored.uuid) in client.get(reverse("portal:me")).content.decode()


def test_a_tampered_or_day_old_cookie_opens_nothing(client, content, monkeypatch):
    visitor = Visitor(client)
    response, stored = visitor.check("gad7", {i: 0 for i in range(1, 9)})
    result_url = response["Location"]
    value = client.cookies[CHECKS_COOKIE].value
    client.cookies[CHECKS_COOKIE] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert client.get(result_url).status_code == 404
    real = time.time()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: real - CHECKS_MAX_AGE - 60)
        stale = signing.dumps([[str(stored.uuid), "gad7", 0]], salt=CHECKS_SALT, compress=True)
    client.cookies[CHECKS_COOKIE] = stale
    assert client.get(result_url).status_code == 404
    client.cookies[CHECKS_COOKIE] = value
    assert client.get(result_url).status_code == 200


def test_checks_made_before_signing_in_are_not_carried_into_the_signed_in_session(
    client, users, child, content
):
    visitor = Visitor(client)
    response, before = visitor.check("gad7", {i: 0 for i in range(1, 9)})
    signed_in(client, users, child)
    assert client.get(response["Location"]).status_code == 404
    assert str(before.uuid) not in client.get(reverse("portal:me")).content.decode()


def test_signing_out_forgets_the_checks(client, users, child, content):
    visitor = signed_in(client, users, child)
    response, stored = visitor.check("gad7", {i: 1 for i in range(1, 9)})
    signout = client.post(reverse("portal:signout"))
    assert signout.cookies[CHECKS_COOKIE].value == "" and signout.cookies[CHECKS_COOKIE]["max-age"] == 0
    assert client.get(response["Location"]).status_code == 404


def test_signing_in_and_out_clears_the_screening_pages_keys(client, users, child, content):
    session = client.session
    session["screening:7:done"] = "4f1c0f3e-0000-4000-8000-000000000001"
    session["screening:7:invitation"] = 12
    session.save()
    signed_in(client, users, child)
    data = client.session
    assert "portal_invitation" in data
    assert "screening:7:done" not in data and "screening:7:invitation" not in data
    session = client.session
    session["screening:8:done"] = "4f1c0f3e-0000-4000-8000-000000000002"
    session.save()
    client.post(reverse("portal:signout"))
    assert "screening:8:done" not in client.session


def test_an_anonymous_request_sent_before_signing_in_is_not_kept_next_to_the_code(
    client, users, child, content
):
    visitor = Visitor(client)
    visitor.choose_area()
    client.post(reverse("portal:talk"), {"requester": "child", "language": "zh", "message": "不想说名字"})
    assert "portal_talk_last" in client.session
    signed_in(client, users, child)
    assert "portal_talk_last" not in client.session


def test_an_older_sessions_list_of_checks_is_dropped_at_the_next_page(client, content):
    session = client.session
    session["portal_checks"] = [{"uuid": "4f1c0f3e-0000-4000-8000-000000000003", "code": "gad7"}]
    session.save()
    client.get(reverse("portal:home"))
    assert "portal_checks" not in client.session


def test_a_daily_job_deletes_expired_session_rows(client, content):
    job = jobs()["seedling.portal.tasks.expired_sessions_clear"]
    assert job.every == datetime.timedelta(days=1)
    Visitor(client).choose_area()
    live = client.session.session_key
    Session.objects.create(
        session_key="x" * 32, session_data="e30:", expire_date=clock.now() - datetime.timedelta(minutes=1)
    )
    tasks.expired_sessions_clear.call()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert Client().get(reverse("portal:home")).status_code == 200
