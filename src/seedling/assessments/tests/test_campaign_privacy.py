"""Privacy of identified screening: the result follows the student's link as it is now, the public
pages leave nothing behind on a shared device or in the server session, every child shown is in the
access log, and only SCREEN fills in for a child."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from seedling.assessments import screening
from seedling.assessments.campaign_selectors import child_screening_results
from seedling.assessments.models import GuardianConsent, Invitation, Response
from seedling.core.models import AccessLog
from seedling.schools.services.students import student_link, student_unlink
from seedling.testing import areas
from seedling.testing.factories import child_create

from .campaign_helpers import PHQ_A_GREEN, PHQ_A_RED, add_student, born, make_class, opened

pytestmark = pytest.mark.django_db


def entry(campaign) -> str:
    return reverse("screening:entry", kwargs={"token": campaign.token})


def fill_url(campaign) -> str:
    return reverse("screening:fill", kwargs={"token": campaign.token})


def done_url(campaign) -> str:
    return reverse("screening:done", kwargs={"token": campaign.token})


def code_of(result, student):
    return next(c for c in result.codes if c.invitation.student_id == student.pk)


# --- the result, consent and age follow the student's link as it is at the moment of the answer ---


def test_a_wrong_match_removed_during_the_campaign_gets_no_result(client, users, klass):
    wrong = child_create(users.director, name="林小雨", birth_date=born(14))  # another girl, same name
    student = klass.students.get(name="林小雨")
    student_link(user=users.counsellor, student=student, child=wrong)
    result = opened(users.counsellor, school_class=klass)
    assert Invitation.objects.get(pk=code_of(result, student).invitation.pk).child_id is None  # no copy
    student_unlink(user=users.counsellor, student=student)  # the school notices the wrong match
    assert client.post(entry(result.campaign), {"code": code_of(result, student).display}).status_code == 302
    assert client.post(fill_url(result.campaign), PHQ_A_RED).status_code == 302
    response = Response.objects.get(campaign=result.campaign)
    assert response.child_id is None and response.band == "red"
    assert child_screening_results(user=users.county_officer, child=wrong) == []


def test_an_under_14_is_not_admitted_on_the_consent_of_a_wrongly_matched_child(client, users, school):
    klass = make_class(school, name="初一(1)班", grade=7)
    student = add_student(klass, "吴小满", age=12)
    wrong = child_create(users.director, name="吴小满", birth_date=born(12))
    GuardianConsent.objects.create(
        child=wrong,
        guardian_name="吴建国",
        relation="父亲",
        method="paper",
        given_on=born(0),
        recorded_by=users.counsellor,
    )
    student_link(user=users.counsellor, student=student, child=wrong)
    result = opened(users.counsellor, school_class=klass)
    student_unlink(user=users.counsellor, student=student)
    page = client.post(entry(result.campaign), {"code": code_of(result, student).display})
    assert page.status_code == 200 and "监护人同意" in page.content.decode()
    assert Invitation.objects.get(pk=code_of(result, student).invitation.pk).started_at is None


def test_a_corrected_match_files_the_result_under_the_right_child(client, users, klass):
    wrong = child_create(users.director, name="林小雨", birth_date=born(14))
    right = child_create(
        users.director_b, name="林小雨", birth_date=born(14, days=40), area_code=areas.VILLAGE_B
    )
    student = klass.students.get(name="林小雨")
    student_link(user=users.counsellor, student=student, child=wrong)
    result = opened(users.counsellor, school_class=klass)
    student_link(user=users.counsellor, student=student, child=right)
    client.post(entry(result.campaign), {"code": code_of(result, student).display})
    client.post(fill_url(result.campaign), PHQ_A_RED)
    response = Response.objects.get(campaign=result.campaign)
    assert response.child_id == right.pk
    assert child_screening_results(user=users.county_officer, child=wrong) == []
    assert child_screening_results(user=users.county_officer, child=right) == [response]


def test_a_school_campaigns_result_is_for_the_school_counsellor_wherever_the_pupil_lives(
    client, users, klass, no_mfa
):
    # Policy: the campaign's (school's) area decides who reads the result; the child's file shows it
    # only to SCREEN/COUNSEL over the child's own area.
    elsewhere = child_create(
        users.county_officer, name="林小雨", birth_date=born(14), area_code=areas.OTHER_TOWNSHIP_VILLAGE
    )
    student = klass.students.get(name="林小雨")
    student.child = elsewhere
    student.save()
    result = opened(users.counsellor, school_class=klass)
    answer = screening.campaign_response_submit(
        campaign=result.campaign,
        invitation=code_of(result, student).invitation,
        data=PHQ_A_RED,
        language="zh",
    )
    client.force_login(users.counsellor)
    assert (
        client.get(reverse("assessments:screening_result", kwargs={"uuid": answer.uuid})).status_code == 200
    )
    assert child_screening_results(user=users.counsellor, child=elsewhere) == []
    assert child_screening_results(user=users.county_officer, child=elsewhere) == [answer]


# --- the public pages on a shared device ---


def test_no_server_session_ties_an_anonymous_answer_to_an_identified_one(client, users, klass):
    ident = opened(users.counsellor, school_class=klass)
    anon = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    client.post(entry(ident.campaign), {"code": code_of(ident, klass.students.get(name="林小雨")).display})
    filled = client.post(fill_url(ident.campaign), PHQ_A_GREEN)
    marker = filled.cookies[f"screening_done_{ident.campaign.pk}"]
    assert marker["httponly"] and marker["samesite"] == "Lax" and 0 < int(marker["max-age"]) <= 300
    assert marker["path"] == entry(ident.campaign)  # sent to this campaign's pages only
    # Same browser, the child does not press 完成: the teacher opens the anonymous survey.
    client.get(entry(anon))
    client.post(entry(anon), PHQ_A_RED)
    uuids = {str(u) for u in Response.objects.values_list("uuid", flat=True)}
    for session in Session.objects.all():
        data = session.get_decoded()
        assert not uuids & {str(v) for v in data.values()}, data
        assert not any(key.endswith(":invitation") for key in data), data


def test_the_result_page_is_shown_once_and_never_cached(client, users, klass):
    result = opened(users.counsellor, school_class=klass)
    campaign = result.campaign
    code = code_of(result, klass.students.get(name="林小雨"))
    assert "no-store" in client.get(entry(campaign))["Cache-Control"]
    client.post(entry(campaign), {"code": code.display})
    assert "no-store" in client.get(fill_url(campaign))["Cache-Control"]
    client.post(fill_url(campaign), PHQ_A_RED)
    first = client.get(done_url(campaign))
    assert first.status_code == 200 and 'data-feedback="urgent"' in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    # Child A walks away; child B on the same PC presses back or opens the history.
    again = client.get(done_url(campaign))
    assert again.status_code == 302 and again.url == entry(campaign)
    assert "no-store" in again["Cache-Control"]


def test_the_result_page_expires_after_a_few_minutes(client, users, monkeypatch):
    campaign = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    client.post(entry(campaign), PHQ_A_RED)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 6 * 60)
    assert client.get(done_url(campaign)).status_code == 302


def test_a_forged_or_foreign_result_marker_shows_nothing(client, users):
    one = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    other = opened(users.counsellor, target="anonymous", instrument="phq-a").campaign
    filled = client.post(entry(one), PHQ_A_RED)
    value = filled.cookies[f"screening_done_{one.pk}"].value
    client.cookies[f"screening_done_{other.pk}"] = value  # signed for another campaign
    assert client.get(done_url(other)).status_code == 302
    client.cookies[f"screening_done_{one.pk}"] = str(Response.objects.get().uuid)  # unsigned
    assert client.get(done_url(one)).status_code == 302


# --- every child shown leaves a row in the access log ---


@pytest.fixture
def answered(users, klass):
    """林小雨 (a registered child) answered red; 周子航 is on the list without a registered child."""
    child = child_create(users.director, name="林小雨", birth_date=born(14))
    student = klass.students.get(name="林小雨")
    student.child = child
    student.save()
    result = opened(users.counsellor, school_class=klass)
    invitation = code_of(result, student).invitation
    screening.campaign_response_submit(
        campaign=result.campaign, invitation=invitation, data=PHQ_A_RED, language="zh"
    )
    return result.campaign, invitation, child


def test_the_progress_page_and_the_api_log_each_child_shown(client, users, answered, no_mfa):
    campaign, invitation, child = answered
    client.force_login(users.social_worker)  # COUNSEL over the township
    page = client.get(reverse("assessments:campaign_detail", kwargs={"pk": campaign.pk}))
    assert page.status_code == 200 and "林小雨" in page.content.decode()
    rows = AccessLog.objects.filter(user=users.social_worker, object_type="assessments.invitation")
    assert rows.filter(child_id=child.pk, detail__shown="progress").count() == 1
    assert rows.filter(detail__shown="progress").count() == 3  # everyone on the list, linked or not
    assert campaign.title in rows.get(child_id=child.pk).reason
    zhou = Invitation.objects.get(campaign=campaign, student__name="周子航")
    assert rows.filter(object_id=str(zhou.pk), child_id=None, area_code=areas.TOWNSHIP).exists()
    api = client.get(f"/api/v1/screening-campaigns/{campaign.pk}/invitations/")
    assert api.status_code == 200 and len(api.json()["results"]) == 3
    assert rows.filter(child_id=child.pk, detail__shown="api").count() == 1


def test_the_consent_page_and_the_in_person_form_log_the_child_they_show(client, users, klass, no_mfa):
    child = child_create(users.director, name="周子航", birth_date=born(15))
    student = klass.students.get(name="周子航")
    student.child = child
    student.save()
    result = opened(users.counsellor, school_class=klass)
    invitation = code_of(result, student).invitation
    client.force_login(users.counsellor)
    kwargs = {"pk": result.campaign.pk, "invitation_pk": invitation.pk}
    assert client.get(reverse("assessments:invitation_consent", kwargs=kwargs)).status_code == 200
    assert client.get(reverse("assessments:invitation_fill", kwargs=kwargs)).status_code == 200
    trail = AccessLog.objects.filter(user=users.counsellor, child_id=child.pk, action="view")
    assert set(trail.values_list("detail__shown", flat=True)) == {"consent", "fill"}


# --- filling in for a child is SCREEN's, and looking at the form changes nothing ---


def test_a_counsel_only_user_cannot_fill_in_for_a_child(client, users, klass, no_mfa):
    result = opened(users.counsellor, school_class=klass)
    invitation = next(c.invitation for c in result.codes if c.invitation.student.name == "周子航")
    client.force_login(users.social_worker)
    url = reverse(
        "assessments:invitation_fill", kwargs={"pk": result.campaign.pk, "invitation_pk": invitation.pk}
    )
    assert client.get(url).status_code == 403
    assert client.post(url, PHQ_A_GREEN).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED and not Response.objects.exists()
    page = client.get(reverse("assessments:campaign_detail", kwargs={"pk": result.campaign.pk}))
    assert "当面填写" not in page.content.decode()


def test_opening_the_in_person_form_does_not_mark_the_invitation_started(client, users, klass, no_mfa):
    result = opened(users.counsellor, school_class=klass)
    invitation = next(c.invitation for c in result.codes if c.invitation.student.name == "周子航")
    client.force_login(users.counsellor)
    url = reverse(
        "assessments:invitation_fill", kwargs={"pk": result.campaign.pk, "invitation_pk": invitation.pk}
    )
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED and invitation.started_at is None
    assert client.post(url, {"item_1": "9"}).status_code == 400  # answers sent, but wrong
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED and invitation.started_at is not None
    assert client.post(url, PHQ_A_GREEN).status_code == 200
    invitation.refresh_from_db()
    assert (
        invitation.status == Invitation.Status.COMPLETED
        and invitation.response.submitted_by == users.counsellor
    )
