"""Writes of schools (学校), their classes (班级) and mental-health education activities (心理健康教育活动).

Pilot schools of the mental-health programme (民发〔2023〕61号) are managed by the users who screen
their area (county officers, school counsellors): every write checks SCREEN over the school's area.
"""

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned

from .. import rules
from ..models import EducationActivity, School, SchoolClass
from .common import raise_if, require_screen

SCHOOL_FIELDS = ("name", "code", "kind", "area", "address", "pilot", "pilot_since", "active")
CLASS_FIELDS = ("school_year", "grade", "name", "head_teacher")
ACTIVITY_FIELDS = ("school_class", "held_on", "kind", "audience", "title", "participants", "notes")


def _unknown(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")


def _school_errors(values: dict, school: School | None) -> dict:
    errors: dict[str, str] = {}
    if not values.get("name"):
        errors["name"] = _("请填写学校名称。")
    elif len(values["name"]) > 100:
        errors["name"] = _("学校名称不能超过 100 个字。")
    code = values.get("code", "")
    if code and not re.fullmatch(r"[0-9]{10}", code):
        errors["code"] = _("学校标识码应为 10 位数字。")
    elif code and School.objects.filter(code=code).exclude(pk=getattr(school, "pk", None)).exists():
        errors["code"] = _("学校标识码 %(code)s 已被另一所学校使用。") % {"code": code}
    if values.get("kind") not in School.Kind.values:
        errors["kind"] = _("请选择学校类型。")
    if values.get("area") is None:
        errors["area"] = _("请选择所在区域。")
    if values.get("pilot_since") and not values.get("pilot"):
        errors["pilot_since"] = _("只有试点学校才有试点开始日期。")
    if values.get("pilot_since") and values["pilot_since"] > clock.today():
        errors["pilot_since"] = _("试点开始日期不能晚于今天。")
    return errors


@transaction.atomic
def school_save(
    *, user, fields: dict, school: School | None = None, expected_version: int | None = None, counsellors=None
) -> School:
    """Add a school or edit one (a stale edit is refused); SCREEN over the old and the new area."""
    _unknown(fields, SCHOOL_FIELDS)
    values = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if school is not None:
        require_screen(user, school.area_id)
        merged = {name: getattr(school, name) for name in SCHOOL_FIELDS}
        merged.update(values)
        values = merged
    errors = _school_errors(values, school)
    if values.get("area") is not None:
        require_screen(user, values["area"].code)
    raise_if(errors)
    creating = school is None
    school = school or School()
    for name, value in values.items():
        setattr(school, name, value if value is not None or name != "code" else "")
    if not school.pilot:
        school.pilot_since = None
    try:
        with transaction.atomic():
            if creating:
                school.save()
            else:
                save_versioned(school, expected_version=expected_version)
    except IntegrityError:
        raise_if({"code": _("学校标识码 %(code)s 已被另一所学校使用。") % {"code": school.code}})
    if counsellors is not None:
        school.counsellors.set(counsellors)
    audit_log(user=user, action="create" if creating else "change", obj=school, area_code=school.area_id)
    return school


@transaction.atomic
def class_save(
    *,
    user,
    school: School,
    fields: dict,
    school_class: SchoolClass | None = None,
    expected_version: int | None = None,
) -> SchoolClass:
    """Add or edit a class of a school: a grade the school teaches, unique per school year.

    An edit carries the version it was read at; a stale edit is refused (StaleEdit) with the newer class.
    """
    _unknown(fields, CLASS_FIELDS)
    require_screen(user, school.area_id)
    values = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if school_class is not None:
        merged = {name: getattr(school_class, name) for name in CLASS_FIELDS}
        merged.update(values)
        values = merged
    errors: dict[str, str] = {}
    this_year = rules.school_year_of(clock.today())
    year = values.get("school_year")
    if year is None or not this_year - 12 <= year <= this_year + 1:
        errors["school_year"] = _("学年须在 %(low)s 到 %(high)s 之间。") % {
            "low": this_year - 12,
            "high": this_year + 1,
        }
    problem = rules.grade_problem(school.kind, values.get("grade"))
    if problem:
        errors["grade"] = problem
    if not values.get("name"):
        errors["name"] = _("请填写班级名称。")
    elif len(values["name"]) > 30:
        errors["name"] = _("班级名称不能超过 30 个字。")
    if len(values.get("head_teacher") or "") > 50:
        errors["head_teacher"] = _("班主任姓名不能超过 50 个字。")
    if not errors:
        clash = SchoolClass.objects.filter(
            school=school, school_year=year, grade=values["grade"], name=values["name"]
        ).exclude(pk=getattr(school_class, "pk", None))
        if clash.exists():
            errors["name"] = _("本学年该年级已有名为“%(name)s”的班级。") % {"name": values["name"]}
    raise_if(errors)
    creating = school_class is None
    school_class = school_class or SchoolClass(school=school)
    for name, value in values.items():
        setattr(school_class, name, value)
    try:
        with transaction.atomic():
            if creating:
                school_class.save()
            else:
                save_versioned(school_class, expected_version=expected_version)
    except IntegrityError:
        raise_if({"name": _("本学年该年级已有名为“%(name)s”的班级。") % {"name": values["name"]}})
    audit_log(
        user=user, action="create" if creating else "change", obj=school_class, area_code=school.area_id
    )
    return school_class


@transaction.atomic
def activity_record(*, user, school: School, fields: dict) -> EducationActivity:
    """Record a mental-health education activity a school held (class optional, of this school)."""
    _unknown(fields, ACTIVITY_FIELDS)
    require_screen(user, school.area_id)
    values = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    errors: dict[str, str] = {}
    if values.get("kind") not in EducationActivity.Kind.values:
        errors["kind"] = _("请选择活动类型。")
    audience = values.get("audience") or EducationActivity.Audience.STUDENTS
    if audience not in EducationActivity.Audience.values:
        errors["audience"] = _("请选择活动对象。")
    held_on = values.get("held_on")
    if held_on is None:
        errors["held_on"] = _("请填写活动日期。")
    elif held_on > clock.today():
        errors["held_on"] = _("活动日期不能晚于今天。")
    if not values.get("title"):
        errors["title"] = _("请填写活动主题。")
    elif len(values["title"]) > 200:
        errors["title"] = _("活动主题不能超过 200 个字。")
    participants = values.get("participants") or 0
    if not 0 <= participants <= 100000:
        errors["participants"] = _("参加人数须在 0 到 100000 之间。")
    school_class = values.get("school_class")
    if school_class is not None and school_class.school_id != school.pk:
        errors["school_class"] = _("所选班级不属于该学校。")
    raise_if(errors)
    activity = EducationActivity.objects.create(
        school=school,
        school_class=school_class,
        held_on=held_on,
        kind=values["kind"],
        audience=audience,
        title=values["title"],
        participants=participants,
        notes=values.get("notes") or "",
        recorded_by=user,
    )
    audit_log(user=user, action="create", obj=activity, area_code=school.area_id)
    return activity
