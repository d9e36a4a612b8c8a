"""The counsellor pool (心理辅导员库): county officers add and edit counsellors of their area;
a counsellor edits their own languages, phone and whether they are taking requests."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.inbox import services as inbox

from .. import access
from ..models import Counsellor
from .common import raise_if

PROFILE_FIELDS = ("qualification", "languages", "home_area", "capacity", "supervisor", "phone", "active")
OWN_FIELDS = ("languages", "phone", "active")
LANGUAGE_CODES = ("zh", "yue", "en", "ug", "bo", "ii", "mn", "za", "ko", "kk")


def language_problem(codes) -> str | None:
    if not codes:
        return _("请至少选择一种服务语言。")
    unknown = [c for c in codes if c not in LANGUAGE_CODES]
    if unknown:
        return _("不支持的语言代码：%(codes)s。") % {"codes": "、".join(unknown)}
    return None


def _supervisor_id(supervisor) -> int | None:
    return supervisor.pk if supervisor is not None else None


def supervisor_problem(user, counsellor: Counsellor, supervisor) -> str | None:
    """Why `supervisor` may not supervise `counsellor` when `user` sets it (None: they may).

    A supervisor reads every request and note of the counsellor, so they must be an active counsellor
    of the pool this officer manages, and never the officer who decides it (no one grants themselves
    the notes). Removing a supervisor (None) is always allowed.
    """
    if supervisor is None:
        return None
    if supervisor.pk == counsellor.user_id:
        return _("督导不能是辅导员本人。")
    if supervisor.pk == user.pk:
        return _("不能把自己指定为督导，请选择辅导员库中的另一位心理辅导员。")
    if not supervisor.is_active:
        return _("所选督导的账号已停用。")
    member = Counsellor.objects.filter(user=supervisor, active=True).first()
    if member is None:
        return _("督导须是辅导员库中在岗的心理辅导员。")
    if not access.is_officer_for(user, member.home_area_id):
        return _("督导须是您所管理的辅导员库中的心理辅导员。")
    return None


def _check(user, counsellor: Counsellor, values: dict, areas) -> dict:
    errors: dict[str, str] = {}
    if "qualification" in values and values["qualification"] not in Counsellor.Qualification.values:
        errors["qualification"] = _("请选择资质。")
    if "languages" in values:
        problem = language_problem(values["languages"])
        if problem:
            errors["languages"] = problem
    if "capacity" in values and not (1 <= int(values["capacity"] or 0) <= 200):
        errors["capacity"] = _("同时跟进上限须在 1 到 200 之间。")
    if "phone" in values and len(values["phone"] or "") > 30:
        errors["phone"] = _("联系电话不能超过 30 个字符。")
    home = values.get("home_area")
    if home is not None and not access.is_officer_for(user, home.code):
        errors["home_area"] = _("所属区域不在您的管理范围内。")
    if "supervisor" in values and _supervisor_id(values["supervisor"]) != counsellor.supervisor_id:
        problem = supervisor_problem(user, counsellor, values["supervisor"])
        if problem:
            errors["supervisor"] = problem
    if areas is not None:
        if not areas:
            errors["areas"] = _("请至少填写一个服务区域。")
        outside = [a.code for a in areas if not access.is_officer_for(user, a.code)]
        if outside:
            errors["areas"] = _("以下服务区域不在您的管理范围内：%(codes)s。") % {"codes": "、".join(outside)}
    return errors


@transaction.atomic
def counsellor_save(
    *,
    user,
    counsellor: Counsellor | None = None,
    account=None,
    fields: dict,
    areas=None,
    expected_version=None,
) -> Counsellor:
    """Add a user to the pool (`account`) or edit a counsellor's profile (county officers of the area)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if counsellor is not None and not access.may_manage_counsellor(user, counsellor):
        raise PermissionDenied
    values = dict(fields)
    if "languages" in values:
        values["languages"] = [c.strip() for c in values["languages"] if c.strip()]
    creating = counsellor is None
    errors: dict[str, str] = {}
    if creating:
        if account is None:
            errors["user"] = _("请填写辅导员的用户名。")
        elif account.pk == user.pk:
            errors["user"] = _("不能把自己加入辅导员库，请由另一位县级民政干部添加。")
        elif not account.is_active:
            errors["user"] = _("该用户账号已停用。")
        elif Counsellor.objects.filter(user=account).exists():
            errors["user"] = _("该用户已在辅导员库中。")
        for required in ("qualification", "home_area"):
            if values.get(required) in (None, ""):
                errors[required] = _("此项为必填项。")
        counsellor = Counsellor(user=account) if account is not None else Counsellor()
    errors.update({k: v for k, v in _check(user, counsellor, values, areas).items() if k not in errors})
    raise_if(errors)
    old_supervisor = counsellor.supervisor_id
    for name, value in values.items():
        setattr(counsellor, name, Counsellor.encode_languages(value) if name == "languages" else value)
    if creating:
        try:
            with transaction.atomic():
                counsellor.save()
        except IntegrityError:
            raise_if({"user": _("该用户已在辅导员库中。")})
    else:
        save_versioned(counsellor, expected_version=expected_version)
    if areas is not None:
        counsellor.areas.set(areas)
    changed = counsellor.supervisor_id != old_supervisor
    audit_log(
        user=user,
        action="create" if creating else "change",
        obj=counsellor,
        area_code=counsellor.home_area_id,
        detail={"supervisor": {"old": old_supervisor, "new": counsellor.supervisor_id}} if changed else None,
    )
    if changed:
        _tell_supervisor_changed(counsellor)
    return counsellor


def _tell_supervisor_changed(counsellor: Counsellor) -> None:
    # The counsellor learns at once who now reads their notes (or that nobody does any more).
    inbox.notify(
        users=[counsellor.user],
        title=_("您的督导已变更为：%(name)s") % {"name": counsellor.supervisor}
        if counsellor.supervisor_id
        else _("您的督导已取消"),
        url=reverse("counselling:counsellor_me"),
    )


@transaction.atomic
def counsellor_update_own(*, user, fields: dict, expected_version: int) -> Counsellor:
    """A counsellor edits their own languages, phone and whether they take new requests."""
    unknown = set(fields) - set(OWN_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    counsellor = access.counsellor_of(user)
    if counsellor is None:
        raise PermissionDenied
    values = dict(fields)
    if "languages" in values:
        values["languages"] = [c.strip() for c in values["languages"] if c.strip()]
    raise_if(_check(user, counsellor, values, None))
    for name, value in values.items():
        setattr(counsellor, name, Counsellor.encode_languages(value) if name == "languages" else value)
    save_versioned(counsellor, expected_version=expected_version)
    return counsellor
