"""Hourly limits on requests for a counsellor per client address and per area (not only per session).

A client that drops its cookie must not flood the counsellors; a child who is not safe is never
turned away, even over a limit: the request is accepted and flagged.
"""

import pytest
from django.test import Client
from django.urls import reverse

from seedling.counselling.models import HelpRequest
from seedling.inbox.models import Task
from seedling.portal import throttle
from seedling.portal.models import HelpRequestFlag
from seedling.testing import areas

from .conftest import Visitor, phq_a

pytestmark = pytest.mark.django_db


def fresh(address="198.51.100.7", county=areas.COUNTY) -> Client:
    """A new browser (no cookie) at `address` that has chosen its county."""
    client = Client(REMOTE_ADDR=address)
    Visitor(client).choose_area(county)
    return client


def talk(client, **fields):
    data = {"requester": "child", "language": "zh", "message": "作业太多了睡不着", **fields}
    return client.post(reverse("portal:talk"), {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def limits(settings, content):
    settings.SEEDLING_PORTAL_HELP_REQUESTS_PER_HOUR = 3
    settings.SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR = 4
    settings.SEEDLING_PORTAL_HELP_REQUESTS_PER_AREA_HOUR = 100
    return settings


def test_new_browsers_from_one_address_meet_the_address_limit(limits):
    assert [talk(fresh()).status_code for _ in range(4)] == [302] * 4
    response = talk(fresh(), message="我想找人聊聊", contact="13800000000")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'id="talk-crowded"' in html and 'data-limit="address"' in html and "请过一个小时再试" in html
    assert html.index('id="hotlines-first"') < html.index('id="talk-crowded"')
    assert 'href="tel:12355"' in html
    assert "我想找人聊聊" in html and 'id="talk-form"' in html  # what they wrote is not lost
    assert HelpRequest.objects.count() == 4
    # Another address in the same county is not held up.
    assert talk(fresh("203.0.113.50")).status_code == 302


def test_the_page_says_so_before_anything_is_typed_and_keeps_the_form_for_an_urgent_request(limits):
    for _ in range(4):
        talk(fresh())
    response = fresh().get(reverse("portal:talk"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="talk-crowded"' in html and 'id="talk-form"' in html and 'name="not_safe"' in html


def test_i_am_not_safe_over_the_limit_is_accepted_and_flagged_with_one_task_for_the_county(limits, users):
    for _ in range(4):
        talk(fresh())
    first = talk(fresh(), message="", not_safe="on")
    assert first.status_code == 302 and first["Location"] == reverse("portal:talk_done")
    second = talk(fresh(), message="我害怕回家", not_safe="on")
    assert second.status_code == 302
    urgent = HelpRequest.objects.filter(urgent=True)
    assert urgent.count() == 2
    flags = HelpRequestFlag.objects.filter(help_request__in=urgent)
    assert flags.count() == 2 and {f.reason for f in flags} == {"address"}
    assert not HelpRequestFlag.objects.filter(help_request__urgent=False).exists()
    surge = Task.objects.filter(kind="portal_request_surge")
    assert surge.count() == 1  # one per area and hour, however many come
    task = surge.get()
    assert task.assignee_role == "county_officer" and task.area_code == areas.COUNTY
    assert task.priority == Task.Priority.URGENT and "武义县" in task.title
    assert "我害怕回家" not in task.title


def test_a_shared_self_check_that_calls_for_help_counts_as_urgent_over_the_limit(limits):
    for _ in range(4):
        talk(fresh())
    client = fresh()
    result, stored = Visitor(client).check("phq-a", phq_a([0, 0, 0, 0, 0, 0, 0, 0, 2]))
    response = talk(client, check=str(stored.uuid), share_check="on", message="")
    assert response.status_code == 302
    sent = HelpRequest.objects.get(response=stored)
    assert sent.urgent and sent.portal_flag.reason == "address"


def test_an_area_meets_its_cap_across_addresses_and_another_area_does_not(limits):
    limits.SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR = 100
    limits.SEEDLING_PORTAL_HELP_REQUESTS_PER_AREA_HOUR = 3
    assert [talk(fresh(f"198.51.100.{i}")).status_code for i in range(3)] == [302] * 3
    response = talk(fresh("198.51.100.99"))
    assert response.status_code == 429
    html = response.content.decode()
    assert 'data-limit="area"' in html and "武义县收到的留言已经很多了" in html
    assert talk(fresh("198.51.100.99", county=areas.OTHER_COUNTY)).status_code == 302
    urgent = talk(fresh("198.51.100.98"), not_safe="on")
    assert urgent.status_code == 302
    assert HelpRequest.objects.get(urgent=True).portal_flag.reason == "area"


def test_refused_requests_do_not_count_and_the_session_limit_still_applies(limits):
    limits.SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR = 2
    client = fresh()
    assert [talk(client).status_code for _ in range(2)] == [302, 302]
    assert [talk(fresh()).status_code for _ in range(3)] == [429] * 3
    limits.SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR = 3
    assert talk(fresh()).status_code == 302  # the refused ones were not counted
    limits.SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR = 100
    talk(client)
    assert 'id="talk-throttled"' in talk(client).content.decode()  # per session: 3 an hour, as before


def test_the_default_limits(settings):
    for name in (
        "SEEDLING_PORTAL_HELP_REQUESTS_PER_ADDRESS_HOUR",
        "SEEDLING_PORTAL_HELP_REQUESTS_PER_AREA_HOUR",
        "SEEDLING_PORTAL_SIGNIN_MAX_FAILURES",
        "SEEDLING_PORTAL_SIGNIN_IP_MAX_FAILURES",
    ):
        if hasattr(settings, name):
            delattr(settings, name)
    assert throttle.help_requests_per_address_hour() == 20
    assert throttle.help_requests_per_area_hour() == 60
    assert throttle._limits() == (5, 200)
