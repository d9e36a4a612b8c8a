"""Duplicate check on entry: one ID one file; same or same-sounding name near the same birth date warns."""

import datetime

import pytest

from seedling.core.models import AccessLog
from seedling.registry import idnumber, services
from seedling.registry.duplicates import DuplicateIdBlocked, PossibleDuplicates
from seedling.registry.models import Child
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2015, 3, 5)
NUMBER = idnumber.make(areas.COUNTY, BIRTH, 123)  # odd sequence: a boy


def register(user, *, name="张伟", birth_date=BIRTH, reason="", area_code=areas.VILLAGE_A, **kwargs):
    return child_create(
        user, name=name, birth_date=birth_date, duplicate_reason=reason, area_code=area_code, **kwargs
    )


# --- identity number -----------------------------------------------------------------------------


def test_same_id_blocks_and_links_the_file_for_a_user_who_can_see_it(users):
    existing = register(users.director, id_number=NUMBER)
    with pytest.raises(DuplicateIdBlocked) as caught:
        register(users.director, name="张小伟", id_number=NUMBER, reason="不是同一人")
    assert caught.value.visible is True
    assert caught.value.existing == existing
    assert Child.objects.count() == 1


def test_same_id_in_another_county_blocks_without_revealing_the_file(users):
    register(users.director, name="张伟", id_number=NUMBER)
    with pytest.raises(DuplicateIdBlocked) as caught:
        register(
            users.director_other_county, name="李明", id_number=NUMBER, area_code=areas.OTHER_COUNTY_VILLAGE
        )
    assert caught.value.visible is False
    assert caught.value.existing is None
    assert "张伟" not in str(caught.value)
    assert not Child.objects.filter(area_id=areas.OTHER_COUNTY_VILLAGE).exists()


def test_changing_an_id_to_another_childs_id_is_blocked(users):
    register(users.director, id_number=NUMBER)
    other = register(users.director, name="王强", birth_date=datetime.date(2014, 1, 1), reason="")
    with pytest.raises(DuplicateIdBlocked):
        services.child_update(
            user=users.director,
            child=other,
            expected_version=other.version,
            fields={"birth_date": BIRTH, "sex": "M"},
            id_number=NUMBER,
        )


def test_siblings_files_may_list_the_same_parent_id(users):
    mother = idnumber.make(areas.COUNTY, datetime.date(1988, 8, 8), 124)
    for name, birth in (("张伟", BIRTH), ("张丽", datetime.date(2012, 9, 9))):
        child = register(users.director, name=name, birth_date=birth)
        services.person_create(
            user=users.director, child=child, fields={"relation": "mother", "name": "李芳"}, id_number=mother
        )
    assert Child.objects.count() == 2


# --- name and birth date -------------------------------------------------------------------------


def test_same_name_born_ten_days_apart_warns(users):
    existing = register(users.director)
    with pytest.raises(PossibleDuplicates) as caught:
        register(users.director, birth_date=BIRTH + datetime.timedelta(days=10))
    assert caught.value.candidates == [existing]
    assert Child.objects.count() == 1


def test_homophone_name_warns(users):
    existing = register(users.director, name="张伟")
    with pytest.raises(PossibleDuplicates) as caught:
        register(users.director, name="章伟", birth_date=BIRTH + datetime.timedelta(days=3))
    assert caught.value.candidates == [existing]


def test_surname_reading_homophone_warns(users):
    # 曾 as a surname is read zeng: 曾伟 and 增伟 sound the same.
    register(users.director, name="曾伟")
    with pytest.raises(PossibleDuplicates):
        register(users.director, name="增伟")


def test_month_and_day_swapped_warns(users):
    register(users.director)
    with pytest.raises(PossibleDuplicates):
        register(users.director, birth_date=datetime.date(2015, 5, 3))


def test_same_name_two_years_apart_does_not_warn(users):
    register(users.director)
    register(users.director, birth_date=datetime.date(2017, 3, 5))
    assert Child.objects.filter(name="张伟").count() == 2


def test_different_name_same_birth_date_does_not_warn(users):
    register(users.director)
    register(users.director, name="王强")
    assert Child.objects.count() == 2


def test_files_the_user_cannot_see_do_not_warn_or_leak(users):
    register(users.director)
    child = register(users.director_b, area_code=areas.VILLAGE_B)
    assert child.area_id == areas.VILLAGE_B


def test_a_reason_lets_registration_go_on_and_is_logged(users):
    register(users.director)
    child = register(
        users.director, birth_date=BIRTH + datetime.timedelta(days=10), reason="双胞胎中的另一个"
    )
    log = AccessLog.objects.get(action="duplicate_override", child_id=child.pk)
    assert log.reason == "双胞胎中的另一个"
    assert log.user == users.director
    assert Child.objects.get(pk=child.pk).duplicate_override_reason == "双胞胎中的另一个"


def test_blank_reason_is_no_reason(users):
    register(users.director)
    with pytest.raises(PossibleDuplicates):
        register(users.director, reason="   ")
