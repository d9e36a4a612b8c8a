"""Merging two files of one child field by field, and undoing it exactly; both logged; twins refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedling.core.locking import StaleEdit
from seedling.core.models import AccessLog
from seedling.registry import idnumber, search, services
from seedling.registry.linkage import merge
from seedling.registry.linkage import services as linkage
from seedling.registry.models import CategoryAssignment, Child, DuplicateCandidate, MergeRecord, Person
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(2015, 3, 5)
NUMBER = idnumber.make(areas.COUNTY, BIRTH, 41)


def register(user, name, *, id_number=None, school="", parents=("张伟", "李芳"), **fields):
    child = child_create(user, name=name, id_number=id_number, birth_date=BIRTH, school=school, **fields)
    for relation, person in zip(("father", "mother"), parents, strict=False):
        services.person_create(user=user, child=child, fields={"relation": relation, "name": person})
    return child


def hold(child, category="left_behind_both"):
    return CategoryAssignment.objects.create(
        child=child, category=category, started_on=datetime.date(2024, 1, 1), reason="测试"
    )


@pytest.fixture
def pair(users):
    """张子涵 with an ID and 张梓涵 without, in the same village, queued as a pair."""
    first = register(users.director, "张子涵", id_number=NUMBER, school="履坦镇中心小学")
    second = register(users.director, "张梓涵", school="武义县实验小学")
    linkage.candidates_record_for(second)
    return DuplicateCandidate.objects.get(), first, second


def state(child: Child) -> dict:
    """Everything a merge touches and an unmerge must restore."""
    child = Child.objects.get(pk=child.pk)
    fields = {n: getattr(child, n) for n in (*services.CHILD_FIELDS, "name_pinyin", *merge.ID_FIELDS)}
    fields["merged_into"] = child.merged_into_id
    fields["persons"] = sorted(Person.objects.filter(child=child).values_list("pk", "name"))
    fields["categories"] = sorted(
        CategoryAssignment.objects.filter(child=child).values_list("pk", "category", "ended_on", "end_reason")
    )
    return fields


def versions(*children):
    return {c.pk: Child.objects.get(pk=c.pk).version for c in children}


def test_merge_takes_chosen_fields_and_moves_the_family(users, pair):
    candidate, first, second = pair
    hold(second, "left_behind_both")
    record = merge.child_merge(
        user=users.director, candidate=candidate, keep=second, choices={"name": "merged"},
        versions=versions(first, second),
    )  # fmt: skip
    survivor, merged = Child.objects.get(pk=second.pk), Child.objects.get(pk=first.pk)
    assert survivor.name == "张子涵"  # chosen from the other file
    assert survivor.school == "武义县实验小学"  # kept
    assert survivor.id_number_hash == services.id_hash(NUMBER)  # the only ID moves to the survivor
    assert survivor.reveal_id_number() == NUMBER
    assert merged.merged_into == survivor and merged.status == first.status
    assert merged.id_number_hash == ""  # out of the ID index: the number belongs to the survivor now
    assert Person.objects.filter(child=survivor).count() == 4  # both files kept their parents
    assert not Person.objects.filter(child=merged).exists()
    assert DuplicateCandidate.objects.get().status == "merged"
    assert record.choices == {"name": "merged"}
    assert search.search_children(user=users.director, query="张子涵") == [survivor]
    logged = AccessLog.objects.filter(action="change", detail__has_key="merge")
    assert set(logged.values_list("child_id", flat=True)) == {first.pk, second.pk}


def test_unmerge_restores_both_files_exactly(users, pair):
    candidate, first, second = pair
    hold(first, "left_behind_both")
    hold(second, "left_behind_both")  # both hold it: the merged file's copy is ended, then reopened
    hold(first, "difficulty_poverty")
    before = (state(first), state(second))
    record = merge.child_merge(
        user=users.director, candidate=candidate, keep=first,
        choices={"school": "merged", "name": "merged"}, versions=versions(first, second),
    )  # fmt: skip
    assert state(first)["school"] == "武义县实验小学"
    assert CategoryAssignment.objects.filter(child=first, ended_on__isnull=True).count() == 2
    merge.child_unmerge(user=users.supervisor, record=record, reason="录入人员确认是两个孩子")
    assert (state(first), state(second)) == before
    assert DuplicateCandidate.objects.get().status == "pending"
    assert MergeRecord.objects.get().undone_by == users.supervisor
    logged = AccessLog.objects.filter(action="change", detail__has_key="unmerge")
    assert set(logged.values_list("child_id", flat=True)) == {first.pk, second.pk}
    assert logged.first().reason == "录入人员确认是两个孩子"
    with pytest.raises(ValidationError):
        merge.child_unmerge(user=users.supervisor, record=record, reason="再撤销一次")


def test_unmerge_keeps_a_field_edited_after_the_merge(users, pair):
    candidate, first, second = pair
    record = merge.child_merge(
        user=users.director, candidate=candidate, keep=first, choices={"school": "merged"},
        versions=versions(first, second),
    )  # fmt: skip
    survivor = Child.objects.get(pk=first.pk)
    services.child_update(
        user=users.director, child=survivor, expected_version=survivor.version, fields={"school": "新学校"}
    )
    merge.child_unmerge(user=users.director, record=record, reason="合并错了")
    assert Child.objects.get(pk=first.pk).school == "新学校"
    assert AccessLog.objects.get(detail__unmerge__record=record.pk, child_id=first.pk).detail["unmerge"][
        "kept"
    ] == ["school"]


def test_twins_with_two_valid_ids_are_never_merged(users):
    first = register(users.director, "张浩然", id_number=idnumber.make(areas.COUNTY, BIRTH, 31))
    twin = register(users.director, "张浩燃", id_number=idnumber.make(areas.COUNTY, BIRTH, 33))
    # Queued by hand (the score keeps such a pair out): the merge itself must refuse too.
    candidate = DuplicateCandidate.objects.create(child=first, other=twin, score=99, source="batch")
    before = (state(first), state(twin))
    with pytest.raises(ValidationError) as refused:
        merge.child_merge(
            user=users.director, candidate=candidate, keep=first, choices={}, versions=versions(first, twin)
        )
    assert "双胞胎" in " ".join(refused.value.messages)
    assert (state(first), state(twin)) == before
    assert not MergeRecord.objects.exists()


def test_a_stale_page_cannot_merge(users, pair):
    candidate, first, second = pair
    stale = versions(first, second)
    current = Child.objects.get(pk=first.pk)
    services.child_update(
        user=users.director, child=current, expected_version=current.version, fields={"school": "x"}
    )
    with pytest.raises(StaleEdit):
        merge.child_merge(user=users.director, candidate=candidate, keep=first, choices={}, versions=stale)
    assert Child.objects.get(pk=second.pk).merged_into is None


def test_merging_needs_the_change_right_on_both_files(users, pair):
    candidate, first, second = pair
    with pytest.raises(PermissionDenied):
        merge.child_merge(
            user=users.director_b,
            candidate=candidate,
            keep=first,
            choices={},
            versions=versions(first, second),
        )
    with pytest.raises(PermissionDenied):
        merge.child_merge(
            user=users.city_officer,
            candidate=candidate,
            keep=first,
            choices={},
            versions=versions(first, second),
        )
    assert not MergeRecord.objects.exists()


def test_a_merged_file_is_not_proposed_again(users, pair):
    candidate, first, second = pair
    merge.child_merge(
        user=users.director, candidate=candidate, keep=first, choices={}, versions=versions(first, second)
    )
    third = register(users.director, "张紫涵")
    linkage.candidates_record_for(third)
    assert not DuplicateCandidate.objects.filter(status="pending").exclude(other=third).exists()
    assert not DuplicateCandidate.objects.filter(other=third, child=second).exists()
    assert not DuplicateCandidate.objects.filter(child=third, other=second).exists()
