"""Writes of guardian consent (监护人同意) to identified screening of a child under 14 (PIPL Art. 31).

Recorded and withdrawn by users with SCREEN over the child's area (or the student's school area). A
consent covers one campaign or, without one, identified screening in general until it is withdrawn.
Withdrawing stops screening from then on; answers given before stay (PIPL Art. 15: withdrawal does
not affect processing already carried out).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.models import AccessLog

from .campaigns import may_screen
from .models import Campaign, GuardianConsent, Invitation

CONSENT_FIELDS = {"guardian_name", "relation", "method", "given_on", "note"}


def _subject_areas(student, child) -> list[str]:
    areas = []
    if student is not None:
        areas.append(student.school_class.school.area_id)
    if child is not None:
        areas.append(child.area_id)
    return areas


def _clean(fields: dict) -> dict:
    unknown = set(fields) - CONSENT_FIELDS
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    errors = {}
    name = (fields.get("guardian_name") or "").strip()
    relation = (fields.get("relation") or "").strip()
    if not name:
        errors["guardian_name"] = _("请填写监护人姓名。")
    elif len(name) > 50:
        errors["guardian_name"] = _("监护人姓名最多 50 字。")
    if not relation:
        errors["relation"] = _("请填写监护人与孩子的关系，如父亲、母亲、祖母。")
    elif len(relation) > 20:
        errors["relation"] = _("关系最多 20 字。")
    if fields.get("method") not in GuardianConsent.Method.values:
        errors["method"] = _("请选择确认方式。")
    given_on = fields.get("given_on")
    if given_on is None:
        errors["given_on"] = _("请填写同意日期。")
    elif given_on > clock.today():
        errors["given_on"] = _("同意日期不能晚于今天。")
    note = (fields.get("note") or "").strip()
    if len(note) > 300:
        errors["note"] = _("备注最多 300 字。")
    if errors:
        raise ValidationError(errors)
    return {
        "guardian_name": name,
        "relation": relation,
        "method": fields["method"],
        "given_on": given_on,
        "note": note,
    }


@transaction.atomic
def consent_record(
    *, user, fields: dict, student=None, child=None, campaign: Campaign | None = None
) -> GuardianConsent:
    """Record a guardian's consent for a student on a roster and/or a registered child.

    A student linked to a registered child gets the consent on both, so it counts in every campaign.
    """
    if student is not None and child is None:
        child = student.child
    if student is None and child is None:
        raise ValidationError({"student": _("请指明是哪一位学生或儿童的监护人同意。")})
    areas = _subject_areas(student, child)
    if not any(may_screen(user, area) for area in areas):
        raise PermissionDenied(_("您没有该学生所在区域的心理筛查权限。"))
    cleaned = _clean(fields)
    if campaign is not None:
        if not may_screen(user, campaign.area_id):
            raise PermissionDenied(_("您没有该筛查活动所在区域的心理筛查权限。"))
        invited = Invitation.objects.filter(campaign=campaign)
        subject = invited.filter(student=student) if student is not None else invited.filter(child=child)
        if not subject.exists():
            raise ValidationError({"campaign": _("这位学生不在该筛查活动的名单中。")})
    consent = GuardianConsent.objects.create(
        **cleaned, student=student, child=child, campaign=campaign, recorded_by=user
    )
    audit_log(
        user=user,
        action=AccessLog.Action.CREATE,
        obj=consent,
        child=child,
        area_code=areas[0],
        detail={"campaign": campaign.pk if campaign else None},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user, consent: GuardianConsent, note: str = "") -> GuardianConsent:
    """The guardian withdraws consent: no identified screening of the child from now on (under 14)."""
    consent = (
        GuardianConsent.objects.select_for_update(of=("self",))
        .select_related("student__school_class__school", "child")
        .get(pk=consent.pk)
    )
    areas = _subject_areas(consent.student, consent.child)
    if not any(may_screen(user, area) for area in areas):
        raise PermissionDenied(_("您没有该学生所在区域的心理筛查权限。"))
    if consent.withdrawn_at is not None:
        raise ValidationError(
            _("该同意已于 %(day)s 撤回。") % {"day": consent.withdrawn_at.date().isoformat()}
        )
    consent.withdrawn_at = clock.now()
    if note.strip():
        consent.note = f"{consent.note} {_('撤回说明：')}{note.strip()}".strip()[:300]
    consent.save(update_fields=["withdrawn_at", "note", "updated_at"])
    audit_log(
        user=user,
        action=AccessLog.Action.CHANGE,
        obj=consent,
        child=consent.child,
        area_code=areas[0],
        detail={"withdrawn": True},
    )
    return consent
