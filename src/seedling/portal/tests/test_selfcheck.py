"""Self-checks: the right instruments for the user, anonymous answers, kind feedback, hotlines first."""

import pytest
from django.test import Client
from django.urls import reverse

from seedling.assessments.models import Response
from seedling.core.models import AccessLog
from seedling.testing import areas

from .conftest import phq_a

pytestmark = pytest.mark.django_db


def offered(visitor) -> set[str]:
    html = visitor.client.get(reverse("portal:checks")).content.decode()
    return {
        code
        for code in ("phq-a", "phq9", "gad7", "ces-dc", "cls", "rosenberg")
        if f'data-check="{code}"' in html
    }


def test_a_child_sees_the_instruments_of_their_age_and_a_guardian_the_adult_ones(visitor):
    visitor.profile("child", 9)
    assert offered(visitor) == {"ces-dc", "cls"}
    visitor.profile("child", 13)
    assert offered(visitor) == {"phq-a", "ces-dc", "gad7", "cls", "rosenberg"}
    visitor.profile("child", 16)
    assert offered(visitor) == {"phq-a", "ces-dc", "gad7", "rosenberg"}
    visitor.profile("guardian", None)
    assert offered(visitor) == {"phq9", "gad7", "rosenberg"}


def test_a_child_must_say_their_age(visitor):
    response = visitor.profile("child", None)
    assert response.status_code == 400
    assert "请选择你的年龄" in response.content.decode()


def test_a_self_check_is_stored_without_anything_that_ties_it_to_a_person(visitor, users, child):
    visitor.client.force_login(users.counsellor)  # even a signed-in staff member's browser stores no user
    visitor.choose_area(areas.COUNTY)
    logged_before = AccessLog.objects.count()
    response, stored = visitor.check("phq-a", phq_a([1, 1, 1, 1, 1, 0, 0, 0, 0]))
    assert response.status_code == 302
    assert stored.child_id is None and stored.submitted_by_id is None
    assert stored.anonymous is True and stored.area_id == areas.COUNTY
    assert stored.band == "yellow"
    assert AccessLog.objects.count() == logged_before  # no access-log row points at the answers
    assert not AccessLog.objects.filter(object_id=str(stored.pk), object_type="assessments.response").exists()


def test_a_red_self_check_puts_the_hotlines_of_the_chosen_area_first_with_tel_links(visitor):
    visitor.choose_area(areas.COUNTY)
    response, stored = visitor.check("phq-a", phq_a([3, 3, 3, 3, 3, 3, 3, 0, 0]))
    assert stored.band == "red" and stored.action == "urgent_referral_today"
    html = visitor.client.get(response["Location"]).content.decode()
    first = html.index('id="hotlines-first"')
    assert first < html.index('id="feedback"')  # before the words, at once
    hotlines = html[first : html.index('id="feedback"')]
    assert 'href="tel:12338"' in hotlines  # 武义县's own line
    assert 'href="tel:12356"' in hotlines  # Zhejiang's
    assert 'href="tel:12355"' in hotlines and 'href="tel:110"' in hotlines
    assert hotlines.index("12338") < hotlines.index("12355")  # the nearest line first
    assert 'id="offer-counsellor"' in html
    assert "抑郁" not in html.split('id="feedback"')[1].split("</div>")[0]  # kind words, no diagnosis


def test_a_critical_answer_is_urgent_whatever_the_total(visitor):
    visitor.choose_area(areas.COUNTY)
    response, stored = visitor.check("phq-a", phq_a([0, 0, 0, 0, 0, 0, 0, 0, 1]))
    assert stored.band == "green"
    html = visitor.client.get(response["Location"]).content.decode()
    assert 'id="hotlines-first"' in html and 'data-kind="urgent"' in html
    assert "110" in html


def test_an_orange_result_shows_the_hotlines_first_and_a_green_one_does_not(visitor):
    response, stored = visitor.check("gad7", {1: 2, 2: 2, 3: 2, 4: 2, 5: 1, 6: 1, 7: 1, 8: 0})
    assert stored.band == "orange"
    html = visitor.client.get(response["Location"]).content.decode()
    assert 'id="hotlines-first"' in html and 'data-kind="support"' in html
    assert "选择你所在的县（区）" in html  # no area chosen: the nationwide lines and a way to choose
    response, stored = visitor.check("gad7", {i: 0 for i in range(1, 9)})
    html = visitor.client.get(response["Location"]).content.decode()
    assert 'id="hotlines-first"' not in html and 'data-kind="calm"' in html
    assert 'id="hotlines"' in html  # the lines are still on the page, further down


def test_a_result_opens_only_in_the_session_that_made_it(visitor):
    response, stored = visitor.check("gad7", {i: 0 for i in range(1, 9)})
    assert visitor.client.get(response["Location"]).status_code == 200
    assert Client().get(response["Location"]).status_code == 404


def test_an_unanswered_question_is_refused_with_the_question_marked(visitor):
    values = {i: 1 for i in range(1, 8)}
    response, stored = visitor.check("gad7", values | {8: 0, 3: ""})
    assert response.status_code == 400 and stored is None
    html = response.content.decode()
    assert "此题必须回答。" in html and 'id="xform-errors"' in html


def test_only_the_portals_instruments_can_be_filled(visitor):
    assert visitor.client.get(reverse("portal:check_fill", args=["sdq"])).status_code == 404


def test_the_fill_page_is_in_the_readers_language(visitor):
    visitor.client.post(reverse("set_language"), {"language": "en", "next": "/portal/"})
    html = visitor.client.get(reverse("portal:check_fill", args=["gad7"])).content.decode()
    assert "Feeling nervous, anxious, or on edge" in html
    assert Response.objects.count() == 0
