"""Helpers shared by the school services: permission checks, errors by field, ID number facts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.scope import user_may
from seedling.registry import idnumber
from seedling.registry.services import id_hash


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def require_screen(user, area_code: str) -> None:
    """Schools are managed by users with SCREEN over the school's area (county officer, school counsellor)."""
    if not user_may(user, Action.SCREEN, area_code):
        raise PermissionDenied


def id_facts(raw: str, errors: dict, field: str = "id_number", today=None) -> idnumber.IdFacts | None:
    """Parse an identity number given for a student (None when blank); the problem goes into errors."""
    if not (raw or "").strip():
        return None
    try:
        return idnumber.parse(raw, today=today)
    except idnumber.InvalidIdNumber as exc:
        errors[field] = str(exc)
        return None


def id_index(facts: idnumber.IdFacts | None) -> tuple[str, str]:
    """(blind index, mask) of a number: the registry's keyed hash, so it finds the registered child."""
    if facts is None:
        return "", ""
    return id_hash(facts.number), idnumber.mask(facts.number)


def id_agreement(facts, birth_date, sex, errors: dict, *, birth_field="birth_date", sex_field="sex") -> None:
    """DOMAIN.md §7: birth date and sex come from a valid ID; a second entry must not disagree."""
    if facts is None:
        return
    if birth_date is not None and birth_date != facts.birth_date:
        errors[birth_field] = _("出生日期与身份证号不一致（身份证号为 %(d)s）。") % {
            "d": facts.birth_date.isoformat()
        }
    if sex and sex != facts.sex:
        errors[sex_field] = _("性别与身份证号不一致。")
