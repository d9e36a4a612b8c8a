""" "Talk to a counsellor": a request reaches the counselling app; urgent shows the hotlines at once."""

import pytest
from django.test import Client
from django.urls import reverse

from seedling.counselling.models import HelpRequest
from seedling.testing import areas

from .conftest import phq_a

pytestmark = pytest.mark.django_db


def talk(client, **fields):
    data = {"requester": "child", "language": "zh", "message": "最近总是睡不着", **fields}
    return client.post(reverse("portal:talk"), {k: v for k, v in data.items() if v is not None})


def test_an_anonymous_visitor_chooses_the_county_first(visitor):
    response = visitor.client.get(reverse("portal:talk"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:area"))
    assert "next=" in response["Location"]


def test_a_request_with_a_contact_reaches_the_county_and_says_a_counsellor_will_call(visitor):
    visitor.choose_area(areas.COUNTY)
    response = talk(visitor.client, contact_name="小雨", contact="13800000000")
    assert response.status_code == 302 and response["Location"] == reverse("portal:talk_done")
    request = HelpRequest.objects.get()
    assert request.source == "portal" and request.area_id == areas.COUNTY and request.child_id is None
    assert request.contact == "13800000000" and not request.urgent and request.created_by_id is None
    html = visitor.client.get(reverse("portal:talk_done")).content.decode()
    assert 'id="will-contact"' in html and 'id="hotlines-first"' not in html


def test_without_a_contact_the_confirmation_points_to_the_hotlines(visitor):
    visitor.choose_area(areas.COUNTY)
    talk(visitor.client)
    html = visitor.client.get(reverse("portal:talk_done")).content.decode()
    assert 'id="no-contact"' in html and "没有办法主动联系你" in html
    assert 'href="tel:12355"' in html


def test_not_safe_right_now_is_urgent_and_puts_the_hotlines_first(visitor):
    visitor.choose_area(areas.COUNTY)
    response = talk(visitor.client, message="", not_safe="on")
    assert response.status_code == 302
    assert HelpRequest.objects.get().urgent is True
    html = visitor.client.get(reverse("portal:talk_done")).content.decode()
    assert html.index('id="hotlines-first"') < html.index('id="next-steps"')
    assert 'href="tel:110"' in html and 'href="tel:12338"' in html


def test_an_empty_message_is_refused_with_a_clear_message(visitor):
    visitor.choose_area(areas.COUNTY)
    response = talk(visitor.client, message="")
    assert response.status_code == 400
    assert "请写下你想说的话" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_a_self_check_result_can_go_with_the_request_by_choice(visitor):
    visitor.choose_area(areas.COUNTY)
    result, stored = visitor.check("phq-a", phq_a([0, 0, 0, 0, 0, 0, 0, 0, 2]))
    page = visitor.client.get(reverse("portal:talk") + f"?check={stored.uuid}").content.decode()
    assert 'name="share_check"' in page and "checked" in page.split('name="share_check"')[1].split(">")[0]
    assert 'id="hotlines-first"' in page  # the check called for help: the lines come first here too
    talk(visitor.client, check=str(stored.uuid), share_check="on", message="")
    request = HelpRequest.objects.get()
    assert request.response == stored and request.urgent  # the check was urgent (item 9)
    talk(visitor.client, check=str(stored.uuid), message="这次不附结果")
    assert HelpRequest.objects.get(message="这次不附结果").response is None


def test_another_sessions_self_check_cannot_be_attached(visitor):
    visitor.choose_area(areas.COUNTY)
    result, stored = visitor.check("gad7", {i: 0 for i in range(1, 9)})
    stranger = Client()
    stranger.post(reverse("portal:area"), {"county": areas.COUNTY})
    talk(stranger, check=str(stored.uuid), share_check="on")
    assert HelpRequest.objects.get().response is None


def test_requests_are_limited_per_session_per_hour(visitor, settings, clock):
    import datetime

    settings.SEEDLING_PORTAL_HELP_REQUESTS_PER_HOUR = 2
    visitor.choose_area(areas.COUNTY)
    assert talk(visitor.client).status_code == 302
    assert talk(visitor.client).status_code == 302
    response = talk(visitor.client)
    assert response.status_code == 429
    html = response.content.decode()
    assert 'id="talk-throttled"' in html and html.index('id="hotlines-first"') < html.index(
        'id="talk-throttled"'
    )
    assert HelpRequest.objects.count() == 2
    clock.travel(by=datetime.timedelta(minutes=61))
    assert talk(visitor.client).status_code == 302
