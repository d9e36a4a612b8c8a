"""Child search: names and parts of names, pinyin, initials, ID numbers, family names and phones."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedling.registry import idnumber, services
from seedling.registry.models import Child, SearchToken
from seedling.registry.search import index_children_bulk, search_children
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2015, 6, 1)


def names(user, query, **kwargs) -> list[str]:
    return [c.name for c in search_children(user=user, query=query, **kwargs)]


def id_with_check_x(birth: datetime.date) -> str:
    """A valid ID whose check character is X (people type it in lower case)."""
    return next(n for seq in range(1, 999) if (n := idnumber.make(areas.COUNTY, birth, seq)).endswith("X"))


def id_with_last4(birth: datetime.date, last4: str) -> str:
    """Another valid ID (another birth date) ending in the same four characters."""
    seq = int(last4[:3])
    for offset in range(1, 400):
        day = birth + datetime.timedelta(days=offset)
        number = idnumber.make(areas.COUNTY, day, seq)
        if number.endswith(last4):
            return number
    raise AssertionError("no ID with these last four characters")


def add_person(user, child, name, relation="paternal_grandmother", phone="", id_number=""):
    return services.person_create(
        user=user,
        child=child,
        fields={"relation": relation, "name": name, "phone": phone, "is_delegated_carer": True},
        id_number=id_number,
    )


# --- names ---------------------------------------------------------------------------------------


def test_two_character_name_found_by_full_name_single_character_and_given_name(users):
    child_create(users.director, name="李娜")
    child_create(users.director, name="王强")
    assert names(users.director, "李娜") == ["李娜"]
    assert names(users.director, "娜") == ["李娜"]  # the given name alone (one character)
    assert names(users.director, "李") == ["李娜"]  # the surname alone


def test_three_character_name_found_by_any_two_character_part(users):
    child_create(users.director, name="张小明")
    child_create(users.director, name="张大山")
    assert names(users.director, "小明") == ["张小明"]
    assert names(users.director, "张小") == ["张小明"]
    assert names(users.director, "张小 明") == ["张小明"]  # stray space typed
    assert names(users.director, "明小") == []  # the characters must be in this order


def test_compound_surname_by_characters_pinyin_and_given_name(users):
    child_create(users.director, name="欧阳娜娜")
    child_create(users.director, name="阳光")
    assert names(users.director, "欧阳") == ["欧阳娜娜"]
    assert names(users.director, "ouyangnana") == ["欧阳娜娜"]
    assert names(users.director, "nana") == ["欧阳娜娜"]  # given-name pinyin
    assert names(users.director, "oynn") == ["欧阳娜娜"]


def test_middle_dot_name_found_by_each_part_and_without_the_dot(users):
    child_create(users.director, name="阿卜杜拉·艾买提")
    assert names(users.director, "艾买提") == ["阿卜杜拉·艾买提"]
    assert names(users.director, "阿卜杜拉艾买提") == ["阿卜杜拉·艾买提"]
    assert names(users.director, "阿卜杜拉·艾买提") == ["阿卜杜拉·艾买提"]
    assert names(users.director, "aimaiti") == ["阿卜杜拉·艾买提"]


# --- pinyin --------------------------------------------------------------------------------------


def test_full_pinyin_with_and_without_spaces_in_any_case(users):
    child_create(users.director, name="张小明")
    child_create(users.director, name="李娜")
    for query in ("zhangxiaoming", "zhang xiao ming", "ZHANG XIAOMING", "Zhāng Xiǎomíng"):
        assert names(users.director, query) == ["张小明"], query


def test_pinyin_prefix_and_initials(users):
    child_create(users.director, name="张小明")
    child_create(users.director, name="赵敏")
    assert names(users.director, "zhangxiao") == ["张小明"]
    assert names(users.director, "zhang") == ["张小明"]
    assert names(users.director, "zxm") == ["张小明"]
    assert names(users.director, "zm") == ["赵敏"]


def test_surname_with_a_special_reading_found_by_it_and_by_the_common_reading(users):
    child_create(users.director, name="曾伟")
    assert names(users.director, "zengwei") == ["曾伟"]
    assert names(users.director, "cengwei") == ["曾伟"]


def test_heteronym_in_the_given_name_found_by_every_reading(users):
    child_create(users.director, name="李乐")
    assert names(users.director, "liyue") == ["李乐"]
    assert names(users.director, "lile") == ["李乐"]


# --- identity numbers ----------------------------------------------------------------------------


def test_whole_id_number_as_typed(users):
    number = id_with_check_x(BIRTH)
    child_create(
        users.director, name="李娜", id_number=number, birth_date=BIRTH, sex=idnumber.parse(number).sex
    )
    child_create(users.director, name="王强")
    typed = f"{number[:6]} {number[6:14]} {number[14:].lower()}"
    assert names(users.director, typed) == ["李娜"]
    assert names(users.director, number[:-1] + "0") == []


def test_parents_id_number_finds_the_child(users):
    child = child_create(users.director, name="李娜")
    mother_id = idnumber.make(areas.COUNTY, datetime.date(1990, 3, 3), 122)
    add_person(users.director, child, "王芳", relation="mother", id_number=mother_id)
    assert names(users.director, mother_id) == ["李娜"]


def test_last_four_including_x_only_within_scope(users):
    number = id_with_check_x(BIRTH)
    other = id_with_last4(BIRTH, number[-4:])
    child_create(
        users.director, name="李娜", id_number=number, birth_date=BIRTH, sex=idnumber.parse(number).sex
    )
    other_facts = idnumber.parse(other)
    child_create(
        users.director_b,
        name="王强",
        id_number=other,
        birth_date=other_facts.birth_date,
        sex=other_facts.sex,
        area_code=areas.VILLAGE_B,
    )
    last4 = number[-4:].lower()
    assert names(users.director, last4) == ["李娜"]
    assert names(users.director_b, last4) == ["王强"]
    assert sorted(names(users.county_officer, last4)) == ["李娜", "王强"]


# --- family and carers ---------------------------------------------------------------------------


def test_guardian_name_finds_the_child(users):
    child = child_create(users.director, name="李娜")
    child_create(users.director, name="王强")
    add_person(users.director, child, "王秀英")
    assert names(users.director, "王秀英") == ["李娜"]
    assert names(users.director, "秀英") == ["李娜"]


def test_carer_phone_typed_with_spaces_dashes_or_country_code(users):
    child = child_create(users.director, name="李娜")
    child_create(users.director, name="王强")
    add_person(users.director, child, "王秀英", phone="13905712345")
    for typed in ("13905712345", "139 0571 2345", "+86 139-0571-2345", "0086 13905712345"):
        assert names(users.director, typed) == ["李娜"], typed


def test_person_added_later_is_searchable_and_renamed_person_is_not_found_by_old_name(users):
    child = child_create(users.director, name="李娜")
    person = add_person(users.director, child, "王秀英")
    services.person_update(
        user=users.director, person=person, expected_version=person.version, fields={"name": "赵桂兰"}
    )
    assert names(users.director, "赵桂兰") == ["李娜"]
    assert names(users.director, "王秀英") == []


# --- ranking -------------------------------------------------------------------------------------


def test_exact_name_first_then_prefix_then_contained_then_family(users):
    guardian_only = child_create(users.director, name="赵强")
    add_person(users.director, guardian_only, "李娜")
    child_create(users.director, name="王李娜")
    child_create(users.director, name="李娜娜")
    child_create(users.director, name="李娜")
    assert names(users.director, "李娜") == ["李娜", "李娜娜", "王李娜", "赵强"]


def test_whole_pinyin_before_pinyin_prefix(users):
    child_create(users.director, name="张伟明")
    child_create(users.director, name="张伟")
    assert names(users.director, "zhangwei") == ["张伟", "张伟明"]


def test_limit_and_base_queryset_narrow_the_results(users):
    for name in ("李娜", "李娜娜", "李娜英"):
        child_create(users.director, name=name)
    assert len(search_children(user=users.director, query="李娜", limit=2)) == 2
    base = Child.objects.filter(name="李娜英")
    assert names(users.director, "李娜", base=base) == ["李娜英"]


# --- scope ---------------------------------------------------------------------------------------


@pytest.fixture
def child_in_a(users):
    number = id_with_check_x(BIRTH)
    child = child_create(
        users.director, name="欧阳娜娜", id_number=number, birth_date=BIRTH, sex=idnumber.parse(number).sex
    )
    add_person(users.director, child, "王秀英", phone="13905712345")
    return child, number


QUERIES = ["欧阳娜娜", "娜娜", "ouyangnana", "ouyang", "oynn", "王秀英", "139 0571 2345"]


def test_director_of_another_village_finds_nothing_by_any_key(users, child_in_a):
    _child, number = child_in_a
    for query in [*QUERIES, number, number[-4:]]:
        assert search_children(user=users.director_b, query=query) == [], query
        assert search_children(user=users.director_other_county, query=query) == [], query


def test_county_officer_finds_the_child_by_every_key(users, child_in_a):
    child, number = child_in_a
    for query in [*QUERIES, number, number[-4:]]:
        assert search_children(user=users.county_officer, query=query) == [child], query


def test_users_without_view_permission_find_nothing(users, child_in_a):
    for user in (users.researcher, users.admin):
        assert search_children(user=user, query="欧阳娜娜") == []


def test_moved_file_is_reindexed_under_its_new_village(users):
    from seedling.geo.models import Division

    child = child_create(users.director, name="欧阳娜娜")
    services.child_update(
        user=users.county_officer,
        child=child,
        expected_version=child.version,
        fields={"area": Division.objects.get(code=areas.VILLAGE_B)},
    )
    assert set(SearchToken.objects.filter(child=child).values_list("area_code", flat=True)) == {
        areas.VILLAGE_B
    }
    assert names(users.director_b, "欧阳娜娜") == ["欧阳娜娜"]
    assert names(users.director_b, "oynn") == ["欧阳娜娜"]
    assert names(users.director, "欧阳娜娜") == []


# --- index ---------------------------------------------------------------------------------------


def test_bulk_index_builds_the_same_keys_as_single_index(users):
    child = child_create(users.director, name="欧阳娜娜")
    add_person(users.director, child, "王秀英", phone="13905712345")
    single = sorted(SearchToken.objects.filter(child=child).values_list("token", "area_code"))
    SearchToken.objects.all().delete()
    assert search_children(user=users.director, query="欧阳娜娜") == []
    index_children_bulk(Child.objects.all())
    assert sorted(SearchToken.objects.filter(child=child).values_list("token", "area_code")) == single
    assert names(users.director, "13905712345") == ["欧阳娜娜"]


def test_search_narrows_by_index_not_by_scanning_names(users):
    child_create(users.director, name="张小明")
    for query in ("小明", "zhangx", "zxm", "13905712345", "张"):
        with CaptureQueriesContext(connection) as ctx:
            search_children(user=users.director, query=query)
        sql = " ".join(q["sql"] for q in ctx.captured_queries).upper()
        assert " LIKE " not in sql, query
        assert "SEARCHTOKEN" in sql, query


def test_pinyin_prefix_over_a_township_or_county_reads_its_own_villages_only(users):
    # A prefix range under a county or township is read village by village (registry.search._village_scope).
    child_create(users.director, name="欧阳明")  # village A
    child_create(users.county_officer, name="欧阳亮", area_code=areas.OTHER_TOWNSHIP_VILLAGE)
    child_create(users.director_other_county, name="欧阳丽", area_code=areas.OTHER_COUNTY_VILLAGE)
    for query, expected in (("ou", ["欧阳亮", "欧阳明"]), ("ouyang", ["欧阳亮", "欧阳明"]), ("ouyangm", ["欧阳明"])):
        assert sorted(names(users.county_officer, query)) == expected, query
        assert sorted(names(users.city_officer, query)) == expected, query  # a city keeps the area range
    assert names(users.supervisor, "ou") == ["欧阳明"]  # the township's villages only
    assert names(users.director_other_county, "ou") == ["欧阳丽"]
