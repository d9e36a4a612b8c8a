"""A child's facts are checked the same way on every entry path (services.child_create)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from seedling.geo.models import Division
from seedling.registry import idnumber, services
from seedling.registry.models import Child
from seedling.registry.selectors import years_before
from seedling.testing import areas

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2015, 6, 1)
BOY_ID = idnumber.make(areas.COUNTY, BIRTH, 123)  # odd sequence: a boy
HAN = re.compile(r"[\u4e00-\u9fff]")


def fields(**overrides) -> dict:
    values = {
        "name": "张小明",
        "sex": "M",
        "birth_date": BIRTH,
        "hukou_type": "rural",
        "area": Division.objects.get(code=areas.VILLAGE_A),
        "no_id_reason": "not_issued",
    }
    values.update(overrides)
    return values


def refused(user, *, id_number: str = "", **overrides) -> dict[str, str]:
    """The field → message errors of a refused registration (nothing is written)."""
    before = Child.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.child_create(user=user, fields=fields(**overrides), id_number=id_number)
    assert Child.objects.count() == before
    errors = {field: " ".join(messages) for field, messages in exc.value.message_dict.items()}
    assert all(errors.values())
    return errors


def test_birth_date_and_sex_come_from_the_id_number(users):
    child = services.child_create(
        user=users.director, fields=fields(birth_date=None, sex="", no_id_reason=""), id_number=BOY_ID
    )
    assert (child.birth_date, child.sex, child.no_id_reason) == (BIRTH, "M", "")
    assert child.id_number_mask == idnumber.mask(BOY_ID)


def test_a_disagreeing_birth_date_is_refused_naming_the_field(users):
    errors = refused(users.director, id_number=BOY_ID, birth_date=BIRTH + datetime.timedelta(days=1))
    assert set(errors) == {"birth_date"}
    assert BIRTH.isoformat() in errors["birth_date"]  # says what the ID number shows


def test_a_disagreeing_sex_is_refused_naming_the_field(users):
    errors = refused(users.director, id_number=BOY_ID, sex="F")
    assert set(errors) == {"sex"}


def test_an_invalid_id_number_is_refused_naming_the_field(users):
    errors = refused(users.director, id_number=BOY_ID[:17] + ("0" if BOY_ID[17] != "0" else "1"))
    assert "id_number" in errors


def test_no_id_number_needs_a_reason(users):
    errors = refused(users.director, no_id_reason="")
    assert set(errors) == {"no_id_reason"}


@pytest.mark.parametrize("reason", ["foundling", "unregistered", "not_issued", "unknown"])
def test_a_child_without_an_id_number_is_normal(users, reason):
    child = services.child_create(user=users.director, fields=fields(no_id_reason=reason))
    assert not child.has_id_number


@pytest.mark.parametrize("code", [areas.TOWNSHIP, areas.COUNTY, areas.PROVINCE])
def test_the_area_must_be_a_village(users, code):
    errors = refused(users.county_officer, area=Division.objects.get(code=code))
    assert set(errors) == {"area"}


def test_a_disability_type_needs_a_grade_and_a_grade_needs_a_type(users):
    assert set(refused(users.director, disability_type="physical")) == {"disability_grade"}
    assert set(refused(users.director, disability_grade=2)) == {"disability_type"}
    child = services.child_create(
        user=users.director, fields=fields(disability_type="physical", disability_grade=2)
    )
    assert child.disability_grade == 2


def test_a_child_over_the_age_limit_is_refused(users, settings):
    limit = settings.SEEDLING_RULES["orphan_max_age"]
    eighteenth = years_before(timezone.localdate(), limit)
    errors = refused(users.director, birth_date=eighteenth)
    assert set(errors) == {"birth_date"}
    assert str(limit) in errors["birth_date"]
    # One day younger is still a child.
    services.child_create(
        user=users.director, fields=fields(birth_date=eighteenth + datetime.timedelta(days=1))
    )


def test_a_birth_date_in_the_future_is_refused(users):
    errors = refused(users.director, birth_date=timezone.localdate() + datetime.timedelta(days=1))
    assert set(errors) == {"birth_date"}


def test_several_mistakes_are_reported_together(users):
    errors = refused(users.director, name="", no_id_reason="", disability_type="hearing")
    assert {"name", "no_id_reason", "disability_grade"} <= set(errors)


def test_messages_are_chinese_by_default(users):
    errors = refused(users.director, id_number=BOY_ID, sex="F", disability_type="visual")
    assert all(HAN.search(message) for message in errors.values())


def test_the_same_fields_are_named_when_english_is_active(users):
    # English translations are filled in later via the .po file; the same fields must be named.
    with translation.override("en"):
        errors = refused(users.director, id_number=BOY_ID, sex="F", disability_type="visual")
    assert set(errors) == {"sex", "disability_grade"}
