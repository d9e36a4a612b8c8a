"""No lost updates: a stale save is refused with the other person's change; history keeps old values."""

import pytest

from seedling.core.locking import StaleEdit
from seedling.core.models import AccessLog
from seedling.registry import services
from seedling.registry.models import Child
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users):
    return child_create(users.director, name="王小丽", school="履坦镇中心小学")


def test_the_second_of_two_saves_from_the_same_version_is_refused(users, child):
    mine = Child.objects.get(pk=child.pk)  # the director opens the file
    theirs = Child.objects.get(pk=child.pk)  # the supervisor opens it too
    assert mine.version == theirs.version == 1

    saved = services.child_update(
        user=users.director, child=mine, expected_version=1, fields={"school": "武义县实验小学"}
    )
    assert saved.version == 2

    with pytest.raises(StaleEdit) as exc:
        services.child_update(
            user=users.supervisor,
            child=theirs,
            expected_version=1,
            fields={"school": "另一所学校", "address": "后门村 3 号"},
        )
    assert exc.value.current.school == "武义县实验小学"  # the other person's change is shown
    assert exc.value.current.version == 2
    assert str(exc.value)  # a message for the person, not a stack trace

    stored = Child.objects.get(pk=child.pk)
    assert (stored.school, stored.address, stored.version) == ("武义县实验小学", "", 2)
    assert not AccessLog.objects.filter(username="supervisor", action="change").exists()


def test_saving_again_from_the_newer_version_succeeds(users, child):
    services.child_update(user=users.director, child=child, expected_version=1, fields={"school": "甲小学"})
    fresh = Child.objects.get(pk=child.pk)
    services.child_update(
        user=users.supervisor, child=fresh, expected_version=2, fields={"address": "乙村 1 号"}
    )
    stored = Child.objects.get(pk=child.pk)
    assert (stored.school, stored.address, stored.version) == ("甲小学", "乙村 1 号", 3)


def test_the_change_history_keeps_the_old_values(users, child):
    services.child_update(
        user=users.director, child=child, expected_version=1, fields={"school": "武义县实验小学"}
    )
    records = list(child.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~"]
    assert records[0].school == "履坦镇中心小学" and records[0].version == 1
    assert records[1].school == "武义县实验小学" and records[1].version == 2
    assert "school" in {change.field for change in records[1].diff_against(records[0]).changes}


def test_a_refused_save_leaves_no_history(users, child):
    stale = Child.objects.get(pk=child.pk)
    services.child_update(user=users.director, child=child, expected_version=1, fields={"school": "甲小学"})
    with pytest.raises(StaleEdit):
        services.child_update(
            user=users.supervisor, child=stale, expected_version=1, fields={"school": "乙小学"}
        )
    assert child.history.count() == 2


def test_the_access_log_names_the_changed_fields(users, child):
    services.child_update(
        user=users.director,
        child=child,
        expected_version=1,
        fields={"school": "武义县实验小学", "address": "寺后村 8 号"},
    )
    row = AccessLog.objects.get(action="change", child_id=child.pk)
    assert row.username == "director"
    assert row.detail == {"fields": ["address", "school"]}
    assert "王小丽" not in str(row.detail) and "武义县实验小学" not in str(row.detail)  # names, not values
