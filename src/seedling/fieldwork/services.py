"""Every write of home visits (走访): record, edit (in place or as a new version), attach files.

Each one checks the area scope (the change permission at the child's village), validates with the
same rules whatever the entry path (page, API), writes the access log, moves the child's next-due
date and inbox tasks (status.visit_status_recompute), and announces new risk flags on commit
(signals.visit_risk_flagged) for the mandatory-report app.
"""

import datetime
import hashlib
import logging
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import StaleEdit, save_versioned
from seedling.core.scope import user_may
from seedling.registry.models import Child

from . import rules
from .choices import MANDATORY_REPORT_FLAGS, Present, RiskFlag, VisitMethod
from .models import Visit, VisitAttachment, VisitVersion
from .signals import visit_risk_flagged
from .status import visit_status_recompute

logger = logging.getLogger(__name__)

VISIT_FIELDS = Visit.CONTENT_FIELDS
TEXT_LIMITS = {
    "other_visitors": 200,
    "present_notes": 200,
    "guardianship": 1000,
    "schooling": 1000,
    "health": 1000,
    "mental_health": 1000,
    "risk_notes": 1000,
    "actions": 1000,
}
MAX_ATTACHMENTS = 20


def edit_window_days() -> int:
    return int(getattr(settings, "SEEDLING_VISIT_EDIT_DAYS", 7))


def attachment_max_bytes() -> int:
    return int(float(getattr(settings, "SEEDLING_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024)


def _require_change(user, child: Child) -> None:
    if not user_may(user, Action.CHANGE, child.area_id):
        raise PermissionDenied(_("您没有权限为该区域的儿童记录或修改走访。"))


def _unknown_fields(fields: dict) -> None:
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")


def _codes(value, allowed, field: str, errors: dict) -> str:
    """A list of codes (or a comma-separated string) → the stored form, in the order of the code list."""
    if isinstance(value, str):
        value = [v for v in value.split(",") if v]
    chosen = set(value or ())
    unknown = chosen - set(allowed)
    if unknown:
        errors[field] = _("选项无效：%(codes)s。") % {"codes": "、".join(sorted(unknown))}
    return ",".join(code for code in allowed if code in chosen)


def _clean(values: dict, *, child: Child, today: datetime.date, errors: dict) -> dict:
    """Validate and normalise a visit's content; errors go to `errors` keyed by field."""
    cleaned = dict(values)
    visited_on = values.get("visited_on")
    if not visited_on:
        errors["visited_on"] = _("请填写走访日期。")
    elif visited_on > today:
        errors["visited_on"] = _("走访日期不能晚于今天。")
    elif visited_on < child.birth_date:
        errors["visited_on"] = _("走访日期不能早于儿童出生日期。")
    if values.get("method") not in VisitMethod.values:
        errors["method"] = _("请选择走访方式。")
    cleaned["present"] = _codes(values.get("present"), Present.values, "present", errors)
    cleaned["risk_flags"] = _codes(values.get("risk_flags"), RiskFlag.values, "risk_flags", errors)
    follow_up = values.get("follow_up_on")
    if follow_up and visited_on and follow_up <= visited_on:
        errors["follow_up_on"] = _("跟进日期应晚于走访日期。")
    for name, limit in TEXT_LIMITS.items():
        text = (values.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("最多 %(limit)d 个字（现有 %(n)d 个）。") % {"limit": limit, "n": len(text)}
        cleaned[name] = text
    cleaned["follow_up_on"] = follow_up or None
    return cleaned


def _announce(*, visit: Visit, child: Child, new_flags: list[str], user, created: bool) -> None:
    """Tell the mandatory-report app about risks found, once the visit is committed."""
    if not new_flags:
        return
    detected_at = clock.now()
    all_flags = visit.risk_flag_list
    mandatory = [f for f in new_flags if f in MANDATORY_REPORT_FLAGS]

    def send():
        for receiver, result in visit_risk_flagged.send_robust(
            sender=Visit,
            visit=visit,
            child=child,
            flags=list(new_flags),
            all_flags=all_flags,
            mandatory=mandatory,
            user=user,
            detected_at=detected_at,
            created=created,
        ):
            if isinstance(result, Exception):
                logger.error(
                    "visit_risk_flagged receiver %s failed for visit %s",
                    getattr(receiver, "__qualname__", receiver),
                    visit.pk,
                    exc_info=result,
                )

    transaction.on_commit(send)


@transaction.atomic
def visit_record(*, user, child: Child, fields: dict, today: datetime.date | None = None) -> Visit:
    """Record a home visit (走访记录) by `user` (the visitor): moves the next-due date, closes the
    visit tasks as done, and announces risk flags for the mandatory report (DOMAIN.md section 3)."""
    _unknown_fields(fields)
    today = today or clock.today()
    _require_change(user, child)
    errors: dict[str, str] = {}
    values = _clean({"method": VisitMethod.HOME, **fields}, child=child, today=today, errors=errors)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    flags = [f for f in values["risk_flags"].split(",") if f]
    visit = Visit.objects.create(
        child=child,
        area_code=child.area_id,
        visitor=user,
        high_risk=rules.is_high_risk(flags),
        created_at=now,
        updated_at=now,
        **values,
    )
    audit_log(user=user, action="create", obj=visit, child=child, detail={"risk_flags": flags})
    visit_status_recompute(child=child, today=today, user=user, visit_recorded=True)
    _announce(visit=visit, child=child, new_flags=flags, user=user, created=True)
    return visit


def visit_content(visit: Visit) -> dict:
    """The content of a visit as a JSON-ready dict (what a VisitVersion keeps)."""
    content = {}
    for name in VISIT_FIELDS:
        value = getattr(visit, name)
        content[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return content


@transaction.atomic
def visit_update(
    *,
    user,
    visit: Visit,
    expected_version: int,
    fields: dict,
    reason: str = "",
    today: datetime.date | None = None,
) -> Visit:
    """Edit a visit record. Within the edit window (7 days from recording, SEEDLING_VISIT_EDIT_DAYS)
    the record is corrected; later, its content as it stood is kept as a VisitVersion and the edit
    needs a reason. A stale save (someone else saved meanwhile) raises StaleEdit."""
    _unknown_fields(fields)
    today = today or clock.today()
    _require_change(user, visit.child)
    stored = Visit.objects.select_for_update().select_related("child").get(pk=visit.pk)
    if stored.version != expected_version:
        raise StaleEdit(stored)
    errors: dict[str, str] = {}
    values = {name: getattr(stored, name) for name in VISIT_FIELDS}
    values.update(fields)
    values = _clean(values, child=stored.child, today=today, errors=errors)
    if errors:
        raise ValidationError(errors)
    changed = [name for name in VISIT_FIELDS if getattr(stored, name) != values[name]]
    if not changed:
        return stored
    now = clock.now()
    new_version = rules.edit_mode(recorded_at=stored.created_at, now=now, window_days=edit_window_days())
    reason = (reason or "").strip()
    if new_version == rules.NEW_VERSION:
        if len(reason) < 2:
            raise ValidationError(
                {
                    "reason": _(
                        "此记录已超过 %(days)d 天，修改将另存为新版本（原记录保留），请填写修改理由。"
                    )
                    % {"days": edit_window_days()}
                }
            )
        VisitVersion.objects.create(
            child=stored.child,
            visit=stored,
            revision=stored.revision,
            content=visit_content(stored),
            recorded_at=stored.updated_at,
            replaced_at=now,
            replaced_by=user,
            reason=reason[:300],
        )
        stored.revision += 1
    old_flags = set(stored.risk_flag_list)
    for name, value in values.items():
        setattr(stored, name, value)
    stored.high_risk = rules.is_high_risk(stored.risk_flag_list)
    stored.updated_at = now
    save_versioned(stored, expected_version=expected_version)
    audit_log(
        user=user,
        action="change",
        obj=stored,
        child=stored.child,
        reason=reason,
        detail={
            "fields": changed,
            "revision": stored.revision,
            "new_version": new_version == rules.NEW_VERSION,
        },
    )
    visit_status_recompute(child=stored.child, today=today, user=user)
    new_flags = [f for f in stored.risk_flag_list if f not in old_flags]
    _announce(visit=stored, child=stored.child, new_flags=new_flags, user=user, created=False)
    return stored


@transaction.atomic
def attachment_add(*, user, visit: Visit, upload) -> VisitAttachment:
    """Attach a photo or document to a visit: JPG, PNG, WebP or PDF, checked by content, within the
    size limit (SEEDLING_ATTACHMENT_MAX_MB); stored under MEDIA_ROOT/visits/<child_id>/ with a random
    name, served only through the scoped download view."""
    _require_change(user, visit.child)
    if VisitAttachment.objects.filter(visit=visit).count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("每次走访最多 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS}})
    name = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/"))
    size = getattr(upload, "size", 0) or 0
    head = upload.read(16)
    upload.seek(0)
    try:
        content_type = rules.attachment_type(
            name=name, head=head, size=size, max_bytes=attachment_max_bytes()
        )
    except ValueError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = VisitAttachment(
        child=visit.child,
        visit=visit,
        original_name=name[:200],
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit_log(user=user, action="create", obj=attachment, child=visit.child, detail={"visit": visit.pk})
    return attachment
