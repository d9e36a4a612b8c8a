"""Recording and editing visits: validation naming the field, scope, the 7-day edit window and versions,
the risk-flag signal for mandatory reports, the child's file and timeline."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedling.core import clock
from seedling.core.locking import StaleEdit
from seedling.core.models import AccessLog
from seedling.fieldwork import child_section, services
from seedling.fieldwork.models import Visit, VisitVersion
from seedling.fieldwork.signals import visit_risk_flagged
from seedling.registry.sections import child_timeline
from seedling.testing.factories import child_create

from .conftest import days, left_behind_confirmed, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users):
    return left_behind_confirmed(users.director)


@pytest.fixture
def flagged():
    """Collects visit_risk_flagged sends; connected for the test only."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    visit_risk_flagged.connect(receiver, dispatch_uid="test-receiver")
    yield calls
    visit_risk_flagged.disconnect(dispatch_uid="test-receiver")


def test_a_visit_keeps_what_the_director_saw_and_is_logged(users, child, clock):
    v = visit(
        users.director,
        child,
        present=["child", "carer", "parents_remote"],
        other_visitors="村妇联主席",
        guardianship="祖母照料，饮食正常",
        schooling="按时上学",
        health="健康",
        mental_health="情绪稳定",
        actions="提醒祖母注意用电安全",
    )
    v.refresh_from_db()
    assert (v.visitor, v.area_code, v.visited_on) == (users.director, child.area_id, clock.today())
    assert v.present_labels() == ["儿童本人", "委托照护人", "父母电话或视频参与"]
    assert AccessLog.objects.filter(
        action="create", object_type="fieldwork.visit", child_id=child.pk
    ).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"visited_on": None}, "visited_on", "请填写走访日期"),
        ({"visited_on": "tomorrow"}, "visited_on", "不能晚于今天"),
        ({"method": "carrier_pigeon"}, "method", "请选择走访方式"),
        ({"risk_flags": ["living_alone", "bored"]}, "risk_flags", "bored"),
        ({"follow_up_on": "today"}, "follow_up_on", "跟进日期应晚于走访日期"),
        ({"actions": "很" * 1001}, "actions", "最多 1000 个字"),
    ],
)
def test_bad_input_is_refused_naming_the_field(users, child, fields, field, message):
    today = clock.today()
    values = {
        k: (today + days(1) if v == "tomorrow" else today if v == "today" else v) for k, v in fields.items()
    }
    with pytest.raises(ValidationError) as exc:
        visit(users.director, child, **values)
    assert field in exc.value.message_dict
    assert message in " ".join(exc.value.message_dict[field])
    assert not Visit.objects.filter(child=child).exists()


def test_a_visit_before_the_child_was_born_is_refused(users):
    child = child_create(users.director, name="新生")
    with pytest.raises(ValidationError) as exc:
        visit(users.director, child, visited_on=child.birth_date - days(1))
    assert "出生日期" in exc.value.message_dict["visited_on"][0]


def test_another_villages_director_cannot_record_a_visit(users, child):
    with pytest.raises(PermissionDenied):
        visit(users.director_b, child)
    with pytest.raises(PermissionDenied):
        visit(users.social_worker, child)  # social workers read files; directors visit


def test_an_edit_within_7_days_corrects_the_record(users, child, clock):
    v = visit(users.director, child, health="感冒")
    clock.travel(by=days(6))
    edited = services.visit_update(
        user=users.director, visit=v, expected_version=1, fields={"health": "感冒已愈"}
    )
    assert (edited.health, edited.version, edited.revision) == ("感冒已愈", 2, 1)
    assert not VisitVersion.objects.exists()
    log = AccessLog.objects.filter(action="change", object_type="fieldwork.visit").get()
    assert log.detail["fields"] == ["health"] and log.detail["new_version"] is False


def test_a_stale_edit_is_refused_with_the_newer_version(users, child):
    v = visit(users.director, child)
    services.visit_update(user=users.supervisor, visit=v, expected_version=1, fields={"schooling": "已入学"})
    with pytest.raises(StaleEdit) as exc:
        services.visit_update(user=users.director, visit=v, expected_version=1, fields={"schooling": "辍学"})
    assert exc.value.current.schooling == "已入学"
    assert Visit.objects.get(pk=v.pk).schooling == "已入学"


def test_an_edit_after_7_days_keeps_the_old_version_and_needs_a_reason(users, child, clock):
    v = visit(users.director, child, guardianship="祖母照料")
    clock.travel(by=days(8))
    with pytest.raises(ValidationError) as exc:
        services.visit_update(
            user=users.director, visit=v, expected_version=1, fields={"guardianship": "祖母住院"}
        )
    assert "修改理由" in exc.value.message_dict["reason"][0]
    edited = services.visit_update(
        user=users.director,
        visit=v,
        expected_version=1,
        fields={"guardianship": "祖母住院，由姑姑照料"},
        reason="补充监护变化",
    )
    assert (edited.guardianship, edited.revision) == ("祖母住院，由姑姑照料", 2)
    (old,) = VisitVersion.objects.filter(visit=v)
    assert old.revision == 1 and old.content["guardianship"] == "祖母照料"
    assert old.content["visited_on"] == (clock.today() - days(8)).isoformat()
    assert (old.replaced_by, old.reason, old.child_id) == (users.director, "补充监护变化", child.pk)


def test_a_risk_flag_sends_the_signal_once_on_commit(
    users, child, flagged, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        v = visit(users.director, child, risk_flags=["living_alone", "dropped_out"], risk_notes="祖母住院")
    assert len(callbacks) == 1 and len(flagged) == 1
    call = flagged[0]
    assert call["visit"] == v and call["child"] == child and call["user"] == users.director
    assert call["flags"] == ["living_alone", "dropped_out"]
    assert call["mandatory"] == ["living_alone"] and call["created"] is True
    assert call["detected_at"] is not None
    # An edit that adds nothing new sends nothing; one that adds a flag sends only that flag.
    with django_capture_on_commit_callbacks(execute=True):
        v = services.visit_update(
            user=users.director, visit=v, expected_version=1, fields={"risk_notes": "祖母住院两周"}
        )
    assert len(flagged) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_update(
            user=users.director,
            visit=v,
            expected_version=v.version,
            fields={"risk_flags": ["living_alone", "dropped_out", "carer_incapable"]},
        )
    assert len(flagged) == 2
    assert flagged[1]["flags"] == ["carer_incapable"] and flagged[1]["created"] is False
    assert flagged[1]["all_flags"] == ["living_alone", "carer_incapable", "dropped_out"]


def test_no_signal_without_risk_flags_or_when_the_visit_is_rolled_back(users, child, flagged):
    from django.db import transaction

    visit(users.director, child)
    with pytest.raises(RuntimeError), transaction.atomic():
        visit(users.director, child, risk_flags=["child_missing"])
        raise RuntimeError("the surrounding work failed")
    assert flagged == []


def test_a_failing_receiver_does_not_undo_the_visit(users, child, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("report service down")

    visit_risk_flagged.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            v = visit(users.director, child, risk_flags=["child_missing"])
    finally:
        visit_risk_flagged.disconnect(dispatch_uid="test-broken")
    assert Visit.objects.filter(pk=v.pk).exists()


def test_the_childs_file_shows_the_next_due_date_and_the_latest_visits(users, child, clock):
    v = visit(users.director, child, risk_flags=["carer_incapable"])
    section = child_section.section(user=users.director, child=child)
    assert section["context"]["status"].next_due_on == clock.today() + days(30)
    assert section["context"]["visits"] == [v] and section["context"]["may_record"] is True
    assert child_section.section(user=users.social_worker, child=child)["context"]["may_record"] is False
    events = [e for e in child_timeline(user=users.director, child=child) if e.kind == "visit"]
    assert len(events) == 1 and events[0].url.endswith(f"/field/visits/{v.pk}/")
    assert "委托照护人无照护能力或疏于照护" in events[0].detail
