"""Writes of screening campaigns (筛查活动): create, edit a draft, open with personal codes, close.

A campaign is run by users with Action.SCREEN over its area (the school's area for a class or a
school). Opening an identified campaign invites each student (or each registered child of the area in
the instrument's age range) with a personal code that is shown once and stored only as a keyed hash.
"""

import secrets
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.crypto import blind_index
from seedling.core.locking import StaleEdit, save_versioned
from seedling.core.models import AccessLog
from seedling.core.scope import area_q, user_may
from seedling.registry.choices import ChildStatus
from seedling.registry.models import Child
from seedling.schools.models import Student

from . import rules
from .models import Campaign, Invitation

CODE_PURPOSE = "screening.code"
CAMPAIGN_FIELDS = {
    "title",
    "questionnaire_version",
    "target",
    "school",
    "school_class",
    "area",
    "opens_at",
    "closes_at",
    "counsellor",
    "remind_every_days",
    "rescreen_after_days",
}
T = Campaign.Target


def code_hash(campaign_id: int, code: str) -> str:
    """The stored form of a personal code: a keyed hash bound to its campaign (never the code)."""
    return blind_index(f"{campaign_id}:{code}", purpose=CODE_PURPOSE)


@dataclass(frozen=True)
class IssuedCode:
    """A personal code as issued: the only moment the code exists in clear (the printed sheet)."""

    invitation: Invitation
    code: str

    @property
    def display(self) -> str:
        return rules.code_display(self.code)


@dataclass
class Opened:
    campaign: Campaign
    codes: list[IssuedCode] = field(default_factory=list)


def may_screen(user, area_code: str) -> bool:
    """Run screening at an area: Action.SCREEN (school counsellors, county officers)."""
    return user_may(user, Action.SCREEN, area_code)


def may_read_results(user, area_code: str) -> bool:
    """Read identified screening results: SCREEN or COUNSEL over the area, nobody else."""
    return user_may(user, Action.SCREEN, area_code) or user_may(user, Action.COUNSEL, area_code)


def counsellor_qualifies(user, area_code: str) -> bool:
    """The responsible counsellor holds SCREEN or COUNSEL over the campaign's area."""
    return user is not None and user.is_active and may_read_results(user, area_code)


def require_screen(user, campaign: Campaign) -> None:
    if not may_screen(user, campaign.area_id):
        raise PermissionDenied(_("您没有该区域的心理筛查权限。"))


def new_token() -> str:
    """The unguessable part of a campaign's public link (96 bits)."""
    return secrets.token_urlsafe(12)


def _clean(*, user, fields: dict) -> dict:
    """Every rule of a campaign's fields; raises ValidationError naming each field that is wrong."""
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    errors = rules.campaign_field_errors(fields, now=clock.now())
    target = fields.get("target")
    school, school_class, area = fields.get("school"), fields.get("school_class"), fields.get("area")
    where = {T.CLASS: "school_class", T.SCHOOL: "school"}.get(target, "area")
    if fields.get("questionnaire_version") is None:
        errors["questionnaire_version"] = _("请选择问卷或量表。")
    if target == T.CLASS:
        school = area = None
        if school_class is None:
            errors["school_class"] = _("请选择班级。")
        else:
            school = school_class.school
            area = school.area
    elif target == T.SCHOOL:
        school_class = area = None
        if school is None:
            errors["school"] = _("请选择学校。")
        else:
            area = school.area
    elif target in (T.AREA, T.ANONYMOUS):
        school = school_class = None
        if area is None:
            errors["area"] = _("请选择区域。")
    else:
        errors["target"] = _("请选择筛查对象：班级、学校、区域内登记儿童或匿名。")
    if school is not None and not school.active:
        errors[where] = _("该学校已停用，不能发起筛查。")
    if area is not None and not may_screen(user, area.code):
        errors[where] = _("您没有“%(area)s”的心理筛查权限。") % {"area": area.name}
    counsellor = fields.get("counsellor")
    if counsellor is None and area is not None and counsellor_qualifies(user, area.code):
        counsellor = user  # the counsellor who sets it up is, by default, the one responsible
    if counsellor is None:
        errors["counsellor"] = _("请指定负责的心理辅导员。")
    elif area is not None and not counsellor_qualifies(counsellor, area.code):
        errors["counsellor"] = _("%(name)s 在“%(area)s”没有心理筛查或心理辅导职责，请另选负责人。") % {
            "name": counsellor.full_name or counsellor.username,
            "area": area.name,
        }
    if errors:
        raise ValidationError(errors)
    return {
        **fields,
        "title": fields["title"].strip(),
        "school": school,
        "school_class": school_class,
        "area": area,
        "counsellor": counsellor,
    }


@transaction.atomic
def campaign_create(*, user, fields: dict) -> Campaign:
    """Create a campaign as a draft; nobody is invited until it is opened."""
    cleaned = _clean(user=user, fields={"remind_every_days": 3, "rescreen_after_days": None, **fields})
    campaign = Campaign.objects.create(**cleaned, token=new_token(), created_by=user)
    audit_log(user=user, action=AccessLog.Action.CREATE, obj=campaign, area_code=campaign.area_id)
    return campaign


@transaction.atomic
def campaign_update(*, user, campaign: Campaign, expected_version: int, fields: dict) -> Campaign:
    """Edit a draft (once open, the invitations follow its target, so only closing is left)."""
    require_screen(user, campaign)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("筛查活动已开放，不能再修改；需要时可以提前结束。"))
    current = {name: getattr(campaign, name) for name in CAMPAIGN_FIELDS}
    cleaned = _clean(user=user, fields={**current, **fields})
    for name, value in cleaned.items():
        setattr(campaign, name, value)
    save_versioned(campaign, expected_version=expected_version)
    audit_log(user=user, action=AccessLog.Action.CHANGE, obj=campaign, area_code=campaign.area_id)
    return campaign


def _locked(campaign: Campaign, expected_version: int | None) -> Campaign:
    current = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current)
    return current


def campaign_subjects(campaign: Campaign) -> list[tuple[Student | None, Child | None]]:
    """Who an identified campaign invites: (student, child) pairs.

    A class: its students on the roll. A school: the students on the roll of its classes of the latest
    school year. An area: its registered children (active, not merged) within the instrument's age
    range when the instrument has one.
    """
    if campaign.target == T.CLASS:
        students = Student.objects.filter(school_class=campaign.school_class, active=True)
    elif campaign.target == T.SCHOOL:
        year = campaign.school.classes.aggregate(year=Max("school_year"))["year"]
        students = Student.objects.filter(
            school_class__school=campaign.school, school_class__school_year=year, active=True
        )
    elif campaign.target == T.AREA:
        children = Child.objects.filter(
            area_q("area", campaign.area_id), status=ChildStatus.ACTIVE, merged_into__isnull=True
        )
        instrument = campaign.questionnaire_version.instrument_version
        earliest, latest = rules.birth_date_bounds(
            (instrument.definition.get("age_range") if instrument else None), clock.today()
        )
        if earliest is not None:
            children = children.filter(birth_date__gt=earliest)
        if latest is not None:
            children = children.filter(birth_date__lte=latest)
        return [(None, child) for child in children.order_by("area_id", "name", "pk")]
    else:
        return []
    students = students.select_related("school_class", "child").order_by(
        "school_class__grade", "school_class__name", "student_number", "name", "pk"
    )
    return [(student, student.child) for student in students]


def _fresh_codes(n: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < n:
        codes.add(rules.code_new())
    return list(codes)


def _invite(campaign: Campaign, subjects) -> list[IssuedCode]:
    codes = _fresh_codes(len(subjects))
    # A student's registered child is never copied onto the invitation: the school may correct a wrong
    # match while the campaign runs, and the result, consent and age must follow the link as it is then
    # (campaign_selectors.subject_child). Invitation.child is for area campaigns, which have no student.
    rows = [
        Invitation(
            campaign=campaign,
            student=student,
            child=None if student is not None else child,
            code_hash=code_hash(campaign.pk, code),
        )
        for (student, child), code in zip(subjects, codes, strict=True)
    ]
    created = Invitation.objects.bulk_create(rows, batch_size=500)
    return [IssuedCode(invitation, code) for invitation, code in zip(created, codes, strict=True)]


_NOBODY = {
    T.CLASS: gettext_lazy("该班级没有在读学生，无法开放。请先在学校管理中录入学生名单。"),
    T.SCHOOL: gettext_lazy("该学校最新学年的班级里没有在读学生，无法开放。"),
    T.AREA: gettext_lazy("该区域没有符合量表年龄范围的在册儿童，无法开放。"),
}


@transaction.atomic
def campaign_open(*, user, campaign: Campaign, expected_version: int | None = None) -> Opened:
    """Open a draft: invite everyone of an identified target with a personal code (returned once).

    `user` None is the system (an automatic re-screen). The codes are not kept: print them now, or
    issue new ones later (invitation_codes_issue), which makes the old ones invalid.
    """
    campaign = _locked(campaign, expected_version)
    if user is not None:
        require_screen(user, campaign)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(_("该筛查活动已经开放过，不能重复开放。"))
    now = clock.now()
    if campaign.closes_at <= now:
        raise ValidationError({"closes_at": _("截止时间已经过去，请先修改截止时间再开放。")})
    issued: list[IssuedCode] = []
    if not campaign.anonymous:
        subjects = campaign_subjects(campaign)
        if not subjects:
            raise ValidationError(str(_NOBODY[campaign.target]))
        issued = _invite(campaign, subjects)
    campaign.status, campaign.opened_at = Campaign.Status.OPEN, now
    save_versioned(campaign, expected_version=campaign.version)
    audit_log(
        user=user,
        action=AccessLog.Action.CHANGE,
        obj=campaign,
        area_code=campaign.area_id,
        detail={"opened": True, "invitations": len(issued)},
    )
    return Opened(campaign, issued)


@transaction.atomic
def campaign_close(*, user, campaign: Campaign, expected_version: int | None = None) -> Campaign:
    """Close an open campaign (early by hand, or by the sweep when the window ends; `user` None)."""
    campaign = _locked(campaign, expected_version)
    if user is not None:
        require_screen(user, campaign)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_("只有进行中的筛查活动可以结束。"))
    campaign.status, campaign.closed_at = Campaign.Status.CLOSED, clock.now()
    save_versioned(campaign, expected_version=campaign.version)
    audit_log(
        user=user,
        action=AccessLog.Action.CHANGE,
        obj=campaign,
        area_code=campaign.area_id,
        detail={"closed": True, "automatic": user is None},
    )
    return campaign


@transaction.atomic
def invitation_codes_issue(*, user, campaign: Campaign, invitations=None) -> list[IssuedCode]:
    """New personal codes for invitations not yet completed (all, or those given); old codes stop working.

    For a lost sheet, a child who forgot the code, or a re-screen opened by the system.
    """
    require_screen(user, campaign)
    if campaign.status != Campaign.Status.OPEN or campaign.anonymous:
        raise ValidationError(_("只有进行中的实名筛查可以发放邀请码。"))
    rows = Invitation.objects.select_for_update(of=("self",)).filter(
        campaign=campaign, status__in=[Invitation.Status.INVITED, Invitation.Status.STARTED]
    )
    if invitations is not None:
        rows = rows.filter(pk__in=[i.pk for i in invitations])
    rows = list(rows.select_related("student__school_class", "child").order_by("pk"))
    if not rows:
        raise ValidationError(_("没有需要发放邀请码的学生：都已完成或免于筛查。"))
    codes = _fresh_codes(len(rows))
    for invitation, code in zip(rows, codes, strict=True):
        invitation.code_hash = code_hash(campaign.pk, code)
    Invitation.objects.bulk_update(rows, ["code_hash"], batch_size=500)
    audit_log(
        user=user,
        action=AccessLog.Action.CHANGE,
        obj=campaign,
        area_code=campaign.area_id,
        detail={"codes_issued": len(rows)},
    )
    return [IssuedCode(invitation, code) for invitation, code in zip(rows, codes, strict=True)]


@transaction.atomic
def invitation_excuse(*, user, invitation: Invitation, excused: bool = True) -> Invitation:
    """Excuse a child from this screening (left the school, long absence), or take the excuse back."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("campaign", "student__child", "child")
        .get(pk=invitation.pk)
    )
    require_screen(user, invitation.campaign)
    if invitation.status == Invitation.Status.COMPLETED:
        raise ValidationError(_("该学生已完成筛查。"))
    if excused:
        invitation.status = Invitation.Status.EXCUSED
    elif invitation.status == Invitation.Status.EXCUSED:
        started = invitation.started_at is not None
        invitation.status = Invitation.Status.STARTED if started else Invitation.Status.INVITED
    invitation.save(update_fields=["status", "updated_at"])
    audit_log(
        user=user,
        action=AccessLog.Action.CHANGE,
        obj=invitation,
        child=invitation.subject_child,
        area_code=invitation.campaign.area_id,
        detail={"excused": excused},
    )
    return invitation
