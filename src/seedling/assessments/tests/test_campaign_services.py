"""Campaign services: who may create, what is validated, opening with hashed personal codes, closing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedling.assessments import campaign_selectors, campaigns
from seedling.assessments.models import Campaign, Invitation
from seedling.core.models import AccessLog
from seedling.geo.models import Division
from seedling.testing import areas
from seedling.testing.factories import child_create

from .campaign_helpers import (
    add_student,
    born,
    campaign_for,
    make_class,
    make_school,
    opened,
    window,
)

pytestmark = pytest.mark.django_db


def _errors(exc) -> dict:
    return {k: " ".join(v) for k, v in exc.value.message_dict.items()}


def test_the_counsellor_creates_a_class_campaign_and_is_responsible_by_default(users, klass):
    campaign = campaign_for(users.counsellor, school_class=klass)
    assert campaign.status == Campaign.Status.DRAFT and campaign.area_id == klass.school.area_id
    assert campaign.school == klass.school and campaign.counsellor == users.counsellor
    assert len(campaign.token) >= 16 and not campaign.invitations.exists()
    assert AccessLog.objects.filter(object_type="assessments.campaign", action="create").exists()


def test_everything_wrong_is_named_field_by_field(users, klass):
    with pytest.raises(ValidationError) as exc:
        campaigns.campaign_create(
            user=users.counsellor,
            fields={
                "title": "",
                "target": "class",
                "opens_at": None,
                "closes_at": None,
                "remind_every_days": 3,
            },
        )
    errors = _errors(exc)
    assert {"title", "questionnaire_version", "school_class", "opens_at", "closes_at"} <= set(errors)
    with pytest.raises(ValidationError) as exc:
        campaign_for(users.counsellor, target="area", area=None, rescreen_after_days=1000)
    assert "区域" in _errors(exc)["area"] and "730" in _errors(exc)["rescreen_after_days"]
    with pytest.raises(ValidationError) as exc:
        campaign_for(users.counsellor, target="nonsense")
    assert "筛查对象" in _errors(exc)["target"]


def test_screening_is_limited_to_the_users_area_and_the_counsellor_must_work_there(users, klass):
    far = make_class(make_school(code="3310819901", area=areas.OTHER_COUNTY_VILLAGE[:9], name="温岭测试学校"))
    with pytest.raises(ValidationError) as exc:
        campaign_for(users.counsellor, school_class=far)
    assert "没有" in _errors(exc)["school_class"]
    # The director holds neither SCREEN nor COUNSEL: may not run one, nor be made responsible for one.
    with pytest.raises(ValidationError):
        campaign_for(users.director, school_class=klass)
    with pytest.raises(ValidationError) as exc:
        campaign_for(users.county_officer, school_class=klass, counsellor=users.director)
    assert "另选负责人" in _errors(exc)["counsellor"]
    # The county officer screens the county and may name the township's counsellor.
    campaign = campaign_for(users.county_officer, school_class=klass, counsellor=users.counsellor)
    assert campaign.counsellor == users.counsellor


def test_opening_invites_the_students_on_the_roll_with_codes_stored_only_as_hashes(users, klass):
    result = opened(users.counsellor, school_class=klass)
    campaign = result.campaign
    assert campaign.status == Campaign.Status.OPEN and campaign.opened_at is not None
    names = sorted(c.invitation.student.name for c in result.codes)
    assert names == ["吴小满", "周子航", "林小雨"]  # the student who left is not invited
    stored = list(Invitation.objects.filter(campaign=campaign).values_list("code_hash", flat=True))
    for issued in result.codes:
        assert issued.code not in stored and len(issued.display) == 9
        found = campaign_selectors.invitation_for_code(campaign=campaign, code=issued.display.lower())
        assert found == issued.invitation
    with pytest.raises(ValidationError):
        campaigns.campaign_open(user=users.counsellor, campaign=campaign)


def test_a_code_opens_only_its_own_campaign(users, klass):
    first = opened(users.counsellor, school_class=klass)
    second = opened(users.counsellor, school_class=klass)
    code = first.codes[0].code
    assert campaign_selectors.invitation_for_code(campaign=second.campaign, code=code) is None


def test_an_empty_class_cannot_be_opened_and_says_why(users, school):
    campaign = campaign_for(users.counsellor, school_class=make_class(school, name="空班"))
    with pytest.raises(ValidationError, match="没有在读学生"):
        campaigns.campaign_open(user=users.counsellor, campaign=campaign)


def test_a_school_campaign_invites_the_latest_school_year_only(users, school):
    make_class(school, name="去年初二", year=2025)
    add_student(make_class(school, name="去年初三", year=2025, grade=9), "老生")
    add_student(make_class(school, name="初一(1)班", grade=7), "新生甲")
    add_student(make_class(school, name="初一(2)班", grade=7), "新生乙")
    result = opened(users.counsellor, target="school", school=school)
    assert sorted(c.invitation.student.name for c in result.codes) == ["新生乙", "新生甲"]


def test_an_area_campaign_invites_registered_children_in_the_instruments_age_range(users):
    child_create(users.director, name="王十二", birth_date=born(12))
    child_create(users.director, name="王九岁", birth_date=born(9))  # PHQ-A is for 11-17
    child_create(
        users.county_officer, name="王别村", birth_date=born(13), area_code=areas.OTHER_TOWNSHIP_VILLAGE
    )
    result = opened(users.counsellor, target="area")
    assert [c.invitation.child.name for c in result.codes] == ["王十二"]


def test_closing_stops_the_campaign_and_a_stale_version_is_refused(users, klass):
    campaign = opened(users.counsellor, school_class=klass).campaign
    from seedling.core.locking import StaleEdit

    with pytest.raises(StaleEdit):
        campaigns.campaign_close(
            user=users.counsellor, campaign=campaign, expected_version=campaign.version - 1
        )
    with pytest.raises(PermissionDenied):
        campaigns.campaign_close(user=users.social_worker, campaign=campaign)  # COUNSEL reads, SCREEN runs
    closed = campaigns.campaign_close(user=users.counsellor, campaign=campaign)
    assert closed.status == Campaign.Status.CLOSED and closed.closed_at is not None


def test_new_codes_replace_the_old_ones_for_who_has_not_finished(users, klass):
    result = opened(users.counsellor, school_class=klass)
    campaign, old = result.campaign, result.codes[0]
    Invitation.objects.filter(pk=result.codes[1].invitation.pk).update(status=Invitation.Status.COMPLETED)
    new = campaigns.invitation_codes_issue(user=users.counsellor, campaign=campaign)
    assert len(new) == 2
    assert campaign_selectors.invitation_for_code(campaign=campaign, code=old.code) is None
    fresh = next(c for c in new if c.invitation.pk == old.invitation.pk)
    assert campaign_selectors.invitation_for_code(campaign=campaign, code=fresh.code).pk == old.invitation.pk


def test_a_draft_is_edited_with_its_version_and_an_open_campaign_is_not(users, klass):
    campaign = campaign_for(users.counsellor, school_class=klass)
    campaigns.campaign_update(
        user=users.counsellor,
        campaign=campaign,
        expected_version=campaign.version,
        fields={"title": "初二(3)班春季筛查"},
    )
    campaign.refresh_from_db()
    assert campaign.title == "初二(3)班春季筛查" and campaign.version == 2
    campaigns.campaign_open(user=users.counsellor, campaign=campaign)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再修改"):
        campaigns.campaign_update(
            user=users.counsellor, campaign=campaign, expected_version=campaign.version, fields={"title": "x"}
        )


def test_an_anonymous_campaign_needs_an_area_and_invites_nobody(users):
    township = Division.objects.get(code=areas.TOWNSHIP)
    result = opened(users.counsellor, target="anonymous", instrument="gad7", area=township)
    assert result.codes == [] and result.campaign.anonymous and not result.campaign.invitations.exists()


def test_opening_after_the_window_ended_is_refused(users, klass, clock):
    campaign = campaign_for(users.counsellor, school_class=klass, **window(days=1))
    clock.travel(by=datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as exc:
        campaigns.campaign_open(user=users.counsellor, campaign=campaign)
    assert "截止时间" in _errors(exc)["closes_at"]
    assert clock.now() > campaign.closes_at
