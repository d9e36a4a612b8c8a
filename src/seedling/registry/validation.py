"""Checks of a child's and a person's facts shared by forms, API, imports and demo data.

Each returns field → message errors in the user's language, so every entry path says the same thing.
"""

import datetime
import re

from django.conf import settings
from django.utils.translation import gettext as _

from seedling.geo.models import Division

from . import idnumber
from .choices import Situation
from .phone import InvalidPhone, normalize_phone

# Han characters, the middle dot of Uyghur/Tibetan names, Latin letters for transliterations, spaces.
_NAME_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebefA-Za-z·•．. ]+$")


def clean_name(raw: str, errors: dict, field: str = "name") -> str:
    name = re.sub(r"\s+", " ", (raw or "").strip()).replace("•", "·").replace("．", "·")
    if not name:
        errors[field] = _("请填写姓名。")
    elif len(name) > 64:
        errors[field] = _("姓名不能超过 64 个字。")
    elif not _NAME_RE.match(name):
        errors[field] = _("姓名只能包含汉字、字母和间隔号（·）。")
    return name


def clean_id_number(raw: str, errors: dict, field: str = "id_number", today=None) -> idnumber.IdFacts | None:
    if not (raw or "").strip():
        return None
    try:
        return idnumber.parse(raw, today=today)
    except idnumber.InvalidIdNumber as exc:
        errors[field] = str(exc)
        return None


def clean_phone(raw: str, errors: dict, field: str = "phone") -> str:
    try:
        return normalize_phone(raw)
    except InvalidPhone as exc:
        errors[field] = str(exc)
        return raw or ""


def check_child(fields: dict, id_facts: idnumber.IdFacts | None, errors: dict, today: datetime.date) -> None:
    """Facts of a child that must hold together; derives birth date and sex from a valid ID."""
    if id_facts is not None:
        given_birth, given_sex = fields.get("birth_date"), fields.get("sex")
        if given_birth and given_birth != id_facts.birth_date:
            errors["birth_date"] = _("出生日期与身份证号不一致（身份证号显示 %(d)s）。") % {
                "d": id_facts.birth_date.isoformat()
            }
        if given_sex and given_sex != id_facts.sex:
            errors["sex"] = _("性别与身份证号不一致（身份证号第 17 位表示%(s)s）。") % {
                "s": _("男") if id_facts.sex == "M" else _("女")
            }
        fields["birth_date"], fields["sex"] = id_facts.birth_date, id_facts.sex
        fields["no_id_reason"] = ""
    elif not fields.get("no_id_reason"):
        errors.setdefault("no_id_reason", _("没有身份证号时，请选择原因（如弃婴、未登记户口）。"))

    birth = fields.get("birth_date")
    if not birth:
        errors.setdefault("birth_date", _("请填写出生日期，或填写身份证号自动带出。"))
    elif birth > today:
        errors.setdefault("birth_date", _("出生日期不能晚于今天。"))
    else:
        limit = settings.SEEDLING_RULES["orphan_max_age"] + (6 if fields.get("in_full_time_study") else 0)
        if _age(birth, today) >= limit:
            errors.setdefault(
                "birth_date", _("按出生日期已满 %(n)d 周岁，不在儿童档案范围内。") % {"n": limit}
            )
    if not fields.get("sex"):
        errors.setdefault("sex", _("请选择性别。"))

    area = fields.get("area")
    if area is None:
        errors.setdefault("area", _("请选择现居村（居）。"))
    elif area.level != Division.Level.VILLAGE:
        errors.setdefault("area", _("现居地须选到村（居）一级。"))
    elif area.retired_in is not None:
        errors.setdefault("area", _("该区划代码已撤销，请选择现行的村（居）。"))

    has_type, has_grade = bool(fields.get("disability_type")), fields.get("disability_grade") is not None
    if has_type != has_grade:
        field = "disability_grade" if has_type else "disability_type"
        errors.setdefault(field, _("残疾类别和残疾等级须同时填写（以残疾人证为准）。"))
    if fields.get("resident_since") and fields["resident_since"] > today:
        errors.setdefault("resident_since", _("日期不能晚于今天。"))


def check_situation(fields: dict, errors: dict, today: datetime.date) -> None:
    start, end = fields.get("started_on"), fields.get("ended_on")
    if start and start > today:
        errors["started_on"] = _("开始日期不能晚于今天。")
    if start and end and end < start:
        errors["ended_on"] = _("结束日期不能早于开始日期。")
    needs_start = {
        Situation.WORKING_AWAY,
        Situation.LOST_CONTACT,
        Situation.IMPRISONED,
        Situation.DRUG_REHAB,
        Situation.RESTRICTED_LIBERTY,
    }
    if fields.get("kind") in needs_start and not start:
        errors["started_on"] = _("请填写开始日期：认定类别需要知道持续了多久。")


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """Full years of age on a reference date (周岁)."""
    return _age(birth, on)
