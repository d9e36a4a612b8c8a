"""The public link /s/<token>/: anonymous answers, personal codes, consent, the window, kind results."""

import datetime

import pytest
from django.urls import reverse

from seedling.assessments import campaigns
from seedling.assessments.models import GuardianConsent, Invitation, Response
from seedling.core import clock
from seedling.geo.models import Division
from seedling.portal.models import Hotline
from seedling.testing import areas
from seedling.testing.factories import child_create

from .campaign_helpers import (
    GAD7_LOW,
    PHQ_A_GREEN,
    PHQ_A_ITEM9,
    PHQ_A_ORANGE,
    PHQ_A_RED,
    add_student,
    born,
    campaign_for,
    opened,
    window,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotlines(db):
    Hotline.objects.create(
        area_id=areas.COUNTY, name_zh="武义县心理援助热线", name_en="Wuyi helpline", number="0579-87000000"
    )
    Hotline.objects.create(area_id=areas.OTHER_COUNTY, name_zh="温岭热线", name_en="Wenling", number="0576-1")
    Hotline.objects.create(area=None, name_zh="青少年服务台", name_en="Youth line", number="12355")


def entry(campaign) -> str:
    return reverse("screening:entry", kwargs={"token": campaign.token})


def fill_url(campaign) -> str:
    return reverse("screening:fill", kwargs={"token": campaign.token})


def test_an_anonymous_answer_keeps_no_identity_and_counts_for_the_area(client, users, hotlines):
    campaign = opened(
        users.counsellor,
        target="anonymous",
        instrument="phq-a",
        area=Division.objects.get(code=areas.TOWNSHIP),
    ).campaign
    page = client.get(entry(campaign))
    assert page.status_code == 200 and "不需要写名字" in page.content.decode()
    done = client.post(entry(campaign), PHQ_A_RED, follow=True)
    response = Response.objects.get(campaign=campaign)
    assert response.anonymous and response.child is None and response.area_id == areas.TOWNSHIP
    assert response.submitted_by is None and response.band == "red"
    html = done.content.decode()
    # Kind words and the hotlines of the campaign's area (and the national ones), never the clinical label.
    assert 'data-feedback="urgent"' in html and "0579-87000000" in html and "12355" in html
    assert "0576-1" not in html and "重度" not in html and "今天就会有老师" not in html
    # The next child on the same device starts with an empty form, and cannot see the last result.
    client.get(entry(campaign))
    assert client.get(reverse("screening:done", kwargs={"token": campaign.token})).status_code == 302


def test_bad_answers_are_explained_and_nothing_is_stored(client, users):
    campaign = opened(users.counsellor, target="anonymous", instrument="gad7").campaign
    page = client.post(entry(campaign), {"item_1": "9"})
    assert page.status_code == 400 and "需要修改" in page.content.decode()
    assert not Response.objects.exists()


def test_the_window_is_enforced_with_a_plain_message_before_and_after(client, users, clock):
    campaign = campaign_for(
        users.counsellor, target="anonymous", instrument="gad7", **window(days=3, start=24)
    )
    assert "还没有开放" in client.get(entry(campaign)).content.decode()
    campaigns.campaign_open(user=users.counsellor, campaign=campaign)
    before = client.get(entry(campaign)).content.decode()
    assert "将于" in before and "开始" in before and 'name="item_1"' not in before
    assert client.post(entry(campaign), GAD7_LOW).status_code == 200 and not Response.objects.exists()
    clock.travel(by=datetime.timedelta(days=2))
    assert client.post(entry(campaign), GAD7_LOW).status_code == 302
    clock.travel(by=datetime.timedelta(days=3))
    after = client.get(entry(campaign)).content.decode()
    assert "已经结束" in after and Response.objects.count() == 1


def test_a_student_enters_the_code_by_post_then_fills_and_the_result_goes_to_the_childs_file(
    client, users, klass
):
    child = child_create(users.director, name="林小雨", birth_date=born(14))
    student = klass.students.get(name="林小雨")
    student.child = child
    student.save()
    result = opened(users.counsellor, school_class=klass)
    campaign = result.campaign
    code = next(c for c in result.codes if c.invitation.student == student)
    page = client.get(entry(campaign))
    assert 'name="code"' in page.content.decode() and 'method="post"' in page.content.decode()
    wrong = client.post(entry(campaign), {"code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and "邀请码不对" in wrong.content.decode()
    go = client.post(entry(campaign), {"code": code.display.lower()})
    assert go.status_code == 302 and go.url == fill_url(campaign) and code.code not in go.url
    invitation = Invitation.objects.get(pk=code.invitation.pk)
    assert invitation.status == Invitation.Status.STARTED and invitation.started_at is not None
    first_open = invitation.started_at
    assert 'name="item_1"' in client.get(fill_url(campaign)).content.decode()
    assert Invitation.objects.get(pk=invitation.pk).started_at == first_open  # set once
    done = client.post(fill_url(campaign), PHQ_A_ORANGE, follow=True)
    invitation.refresh_from_db()
    response = invitation.response
    assert invitation.status == Invitation.Status.COMPLETED and response.child == child
    assert response.campaign == campaign and not response.anonymous and response.band == "orange"
    assert 'data-feedback="talk"' in done.content.decode() and "这几天" in done.content.decode()
    # The code is spent: entering it again says so kindly.
    again = client.post(entry(campaign), {"code": code.code})
    assert "已经完成" in again.content.decode()


def test_a_child_under_14_without_consent_is_pointed_to_the_anonymous_self_check(client, users, klass):
    result = opened(users.counsellor, school_class=klass)
    campaign = result.campaign
    code = next(c for c in result.codes if c.invitation.student.name == "吴小满")
    page = client.post(entry(campaign), {"code": code.code})
    html = page.content.decode()
    assert "监护人同意" in html and 'href="/portal/"' in html
    invitation = Invitation.objects.get(pk=code.invitation.pk)
    assert invitation.started_at is None
    assert client.get(fill_url(campaign)).status_code == 302  # no way around the code page
    GuardianConsent.objects.create(
        student=invitation.student,
        guardian_name="吴建国",
        relation="父亲",
        method="paper",
        given_on=clock.today(),
        campaign=campaign,
        recorded_by=users.counsellor,
    )
    assert client.post(entry(campaign), {"code": code.code}).status_code == 302


def test_unknown_age_counts_as_under_14(client, users, school):
    from .campaign_helpers import make_class

    klass = make_class(school, name="初一(5)班", grade=7)
    add_student(klass, "无生日", age=None)
    result = opened(users.counsellor, school_class=klass)
    page = client.post(entry(result.campaign), {"code": result.codes[0].code})
    assert "监护人同意" in page.content.decode()


def test_phq_item_9_is_urgent_whatever_the_total_and_shows_hotlines(client, users, klass, hotlines):
    result = opened(users.counsellor, school_class=klass)
    code = next(c for c in result.codes if c.invitation.student.name == "林小雨")
    client.post(entry(result.campaign), {"code": code.code})
    done = client.post(fill_url(result.campaign), PHQ_A_ITEM9, follow=True)
    response = Response.objects.get(campaign=result.campaign)
    assert response.band == "green" and response.action == "urgent_referral_today"
    html = done.content.decode()
    assert 'data-feedback="urgent"' in html and "今天就会有老师" in html and "12355" in html


def test_a_calm_result_gets_calm_words_and_no_hotlines(client, users, klass, hotlines):
    result = opened(users.counsellor, school_class=klass)
    code = next(c for c in result.codes if c.invitation.student.name == "周子航")
    client.post(entry(result.campaign), {"code": code.code})
    html = client.post(fill_url(result.campaign), PHQ_A_GREEN, follow=True).content.decode()
    assert 'data-feedback="well"' in html and "12355" not in html


def test_too_many_wrong_codes_are_slowed_down(client, users, klass, settings):
    settings.SEEDLING_SCREENING_CODE_ATTEMPTS = 3
    result = opened(users.counsellor, school_class=klass)
    for _ in range(3):
        client.post(entry(result.campaign), {"code": "AAAA-AAAA"})
    blocked = client.post(entry(result.campaign), {"code": result.codes[0].code})
    assert blocked.status_code == 429 and "尝试次数太多" in blocked.content.decode()


def test_the_qr_code_is_an_svg_of_the_public_link_served_here(client, users):
    campaign = opened(users.counsellor, target="anonymous", instrument="gad7").campaign
    svg = client.get(reverse("screening:qr", kwargs={"token": campaign.token}))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<svg")
    assert client.get("/s/not-a-token/").status_code == 404
