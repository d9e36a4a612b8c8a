"""The counsellor's pages: create with clear messages, open and print the codes once, consent, in person."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from seedling.assessments.models import Campaign, GuardianConsent, Invitation
from seedling.core import clock
from seedling.core.models import AccessLog

from .campaign_helpers import PHQ_A_GREEN, PHQ_A_RED, campaign_for, form_of, opened

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_list_and_form_are_for_screening_staff(client, users, no_mfa):
    client.force_login(users.director)
    assert client.get(reverse("assessments:campaign_list")).status_code == 403
    assert client.get(reverse("assessments:campaign_create")).status_code == 403
    client.force_login(users.counsellor)
    page = client.get(reverse("assessments:campaign_list"))
    assert page.status_code == 200 and 'id="campaign-new"' in page.content.decode()


def test_creating_from_the_form_and_its_error_messages(staff_client, users, klass):
    url = reverse("assessments:campaign_create")
    form = staff_client.get(url).content.decode()
    assert klass.name in form and "青少年版患者健康问卷" in form
    now = clock.now()
    bad = staff_client.post(
        url,
        {
            "title": "初二(3)班筛查",
            "questionnaire_version": form_of("phq-a").pk,
            "target": "class",
            "opens_at": _local(now),
            "closes_at": _local(now - datetime.timedelta(days=1)),
            "remind_every_days": 3,
        },
    )
    html = bad.content.decode()
    assert bad.status_code == 200 and "请选择班级" in html and "截止时间必须晚于开始时间" in html
    assert not Campaign.objects.exists()
    good = staff_client.post(
        url,
        {
            "title": "初二(3)班筛查",
            "questionnaire_version": form_of("phq-a").pk,
            "target": "class",
            "school_class": klass.pk,
            "opens_at": _local(now),
            "closes_at": _local(now + datetime.timedelta(days=7)),
            "remind_every_days": 3,
            "rescreen_after_days": 90,
        },
    )
    campaign = Campaign.objects.get()
    assert (
        good.status_code == 302
        and campaign.rescreen_after_days == 90
        and campaign.counsellor == users.counsellor
    )


def test_opening_prints_the_codes_once_and_they_are_never_shown_again(staff_client, users, klass):
    campaign = campaign_for(users.counsellor, school_class=klass)
    sheet = staff_client.post(
        reverse("assessments:campaign_open", kwargs={"pk": campaign.pk}), {"version": campaign.version}
    )
    html = sheet.content.decode()
    assert sheet.status_code == 200 and sheet["Cache-Control"] == "no-store"
    assert html.count("data-slip") == 3 and "吴小满" in html and "只显示这一次" in html
    codes = [line.split(">")[1].split("<")[0] for line in html.splitlines() if "data-code" in line]
    assert len(codes) == 3 and all(len(c) == 9 for c in codes)
    # The sheet names every student: one read per invitation shown.
    assert AccessLog.objects.filter(action="view", detail__shown="codes", detail__campaign=campaign.pk).count() == 3
    detail = staff_client.get(
        reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk})
    ).content.decode()
    assert not any(code in detail for code in codes)
    assert reverse("screening:qr", kwargs={"token": campaign.token}) in detail
    again = staff_client.post(reverse("assessments:campaign_open", kwargs={"pk": campaign.pk}), follow=True)
    assert "已经开放过" in again.content.decode()


def test_one_lost_code_is_reissued_alone(staff_client, users, klass):
    result = opened(users.counsellor, school_class=klass)
    invitation = result.codes[0].invitation
    sheet = staff_client.post(
        reverse("assessments:campaign_codes", kwargs={"pk": result.campaign.pk}),
        {"invitation": invitation.pk},
    )
    assert sheet.content.decode().count("data-slip") == 1


def test_consent_is_recorded_and_withdrawn_from_the_progress_page(staff_client, users, klass):
    result = opened(users.counsellor, school_class=klass)
    campaign = result.campaign
    young = next(c.invitation for c in result.codes if c.invitation.student.name == "吴小满")
    url = reverse("assessments:invitation_consent", kwargs={"pk": campaign.pk, "invitation_pk": young.pk})
    page = staff_client.get(url).content.decode()
    assert "第三十一条" in page
    bad = staff_client.post(
        url,
        {
            "guardian_name": "",
            "relation": "父亲",
            "method": "paper",
            "given_on": "2999-01-01",
            "scope": "general",
        },
    )
    assert "该字段是必填项" in bad.content.decode() and not GuardianConsent.objects.exists()
    future = staff_client.post(
        url,
        {
            "guardian_name": "吴建国",
            "relation": "父亲",
            "method": "paper",
            "given_on": "2999-01-01",
            "scope": "general",
        },
    )
    assert "不能晚于今天" in future.content.decode()
    ok = staff_client.post(
        url,
        {
            "guardian_name": "吴建国",
            "relation": "父亲",
            "method": "paper",
            "given_on": clock.today().isoformat(),
            "scope": "campaign",
        },
    )
    assert ok.status_code == 302
    consent = GuardianConsent.objects.get()
    assert consent.campaign == campaign and consent.student == young.student
    detail = staff_client.get(
        reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk})
    ).content.decode()
    assert 'id="count-awaiting_consent">0<' in detail
    staff_client.post(
        reverse("assessments:consent_withdraw", kwargs={"pk": consent.pk}),
        {"note": "家长改变主意", "next": url},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and "家长改变主意" in consent.note
    detail = staff_client.get(
        reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk})
    ).content.decode()
    assert 'id="count-awaiting_consent">1<' in detail


def test_the_counsellor_fills_in_person_and_sees_the_childs_kind_result(staff_client, users, klass):
    result = opened(users.counsellor, school_class=klass)
    campaign = result.campaign
    invitation = next(c.invitation for c in result.codes if c.invitation.student.name == "周子航")
    url = reverse("assessments:invitation_fill", kwargs={"pk": campaign.pk, "invitation_pk": invitation.pk})
    form = staff_client.get(url)
    assert form.status_code == 200 and "周子航" in form.content.decode()
    done = staff_client.post(url, PHQ_A_RED)
    html = done.content.decode()
    assert 'data-feedback="urgent"' in html and "查看详细结果" in html
    invitation.refresh_from_db()
    assert (
        invitation.status == Invitation.Status.COMPLETED
        and invitation.response.submitted_by == users.counsellor
    )
    # A child under 14 without consent: the counsellor in person is refused too.
    young = next(c.invitation for c in result.codes if c.invitation.student.name == "吴小满")
    url = reverse("assessments:invitation_fill", kwargs={"pk": campaign.pk, "invitation_pk": young.pk})
    refused = staff_client.get(url, follow=True)
    assert "监护人" in refused.content.decode()
    assert (
        staff_client.post(url, PHQ_A_GREEN).status_code == 302
        and not Invitation.objects.get(pk=young.pk).response
    )


def test_excusing_a_student_takes_them_out_of_the_count(staff_client, users, klass):
    result = opened(users.counsellor, school_class=klass)
    invitation = result.codes[0].invitation
    url = reverse(
        "assessments:invitation_excuse", kwargs={"pk": result.campaign.pk, "invitation_pk": invitation.pk}
    )
    staff_client.post(url, {"excused": "1"})
    detail = staff_client.get(
        reverse("assessments:campaign_detail", kwargs={"pk": result.campaign.pk})
    ).content.decode()
    assert 'id="count-invited">2<' in detail and 'id="count-excused">1<' in detail
    staff_client.post(url, {"excused": "0"})
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.INVITED


def test_closing_from_the_page(staff_client, users, klass):
    campaign = opened(users.counsellor, school_class=klass).campaign
    staff_client.post(
        reverse("assessments:campaign_close", kwargs={"pk": campaign.pk}), {"version": campaign.version}
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
