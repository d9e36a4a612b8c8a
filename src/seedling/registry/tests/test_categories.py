"""The category review queue (类别认定与审核) through the services, as directors and supervisors use it."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from seedling.core.models import AccessLog
from seedling.registry import categories, services
from seedling.registry.models import CategoryAssignment, CategoryProposal
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 11, 1)
SINCE = datetime.date(2024, 1, 1)
PENDING = CategoryProposal.Status.PENDING


def add_parent(user, child, relation, name, *situations, **fields):
    person = services.person_create(
        user=user, child=child, fields={"relation": relation, "name": name, **fields}, today=TODAY
    )
    rows = [services.situation_add(user=user, person=person, fields=s, today=TODAY) for s in situations]
    return person, rows


def working_away(since=SINCE):
    return {"kind": "working_away", "started_on": since, "place": "杭州市", "outside_county": True}


@pytest.fixture
def left_behind(users):
    """A child of village A whose parents both work in 杭州 since January: (child, father's situation)."""
    child = child_create(users.director, name="张小明")
    _, (father_away,) = add_parent(users.director, child, "father", "张大山", working_away())
    add_parent(users.director, child, "mother", "李春花", working_away())
    return child, father_away


def pending(child, **filters):
    return list(CategoryProposal.objects.filter(child=child, status=PENDING, **filters))


def test_both_parents_away_puts_a_left_behind_proposal_in_the_queue(users, left_behind):
    child, _ = left_behind
    (proposal,) = pending(child)
    assert (proposal.category, proposal.kind) == ("left_behind_both", "assign")
    assert proposal.rule_code == "left_behind_both.both_away"
    codes = [r["code"] for r in proposal.reasons]
    assert codes.count("parent_away") == 2
    assert {"code": "no_delegated_carer", "params": {}, "warning": True} in proposal.reasons
    # The snapshot keeps dates and codes, never names.
    assert proposal.facts["age"] == 9
    assert proposal.facts["parents"][0]["situations"][0]["started_on"] == "2024-01-01"
    assert "张" not in json.dumps(proposal.facts, ensure_ascii=False)
    assert proposal in categories.proposals_refresh(child=child, today=TODAY)


def test_a_reviewer_sees_the_pending_proposal_in_their_queue(users, left_behind):
    from seedling.registry.selectors import proposal_queue

    child, _ = left_behind
    assert [p.child_id for p in proposal_queue(user=users.supervisor)] == [child.pk]
    assert not proposal_queue(user=users.director_b).exists()


def test_naming_a_delegated_carer_updates_the_same_proposal(users, left_behind):
    child, _ = left_behind
    (before,) = pending(child)
    services.person_create(
        user=users.director,
        child=child,
        fields={"relation": "paternal_grandmother", "name": "王秀英", "is_delegated_carer": True},
        today=TODAY,
    )
    (after,) = pending(child)
    assert after.pk == before.pk
    assert not any(r.get("warning") for r in after.reasons)
    assert after.facts["has_delegated_carer"] is True


def test_confirm_opens_an_assignment_with_its_reasons_and_logs_it(users, left_behind):
    child, _ = left_behind
    (proposal,) = pending(child)
    with translation.override("zh-hans"):
        assignment = categories.proposal_confirm(
            user=users.director, proposal=proposal, note="已入户核实", evidence="务工证明两份", today=TODAY
        )
    assert assignment.is_open and assignment.started_on == TODAY
    assert assignment.category == "left_behind_both"
    assert "父亲自 2024-01-01 起在县外务工，已 10 个月（≥ 6 个月）" in assignment.reason
    assert "委托照护人" not in assignment.reason  # a warning is not a ground
    assert assignment.evidence == "务工证明两份"
    assert assignment.proposal_id == proposal.pk and assignment.created_by == users.director
    assert assignment.facts == proposal.facts and assignment.reasons == proposal.reasons
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.decided_by == users.director
    assert proposal.decision_note == "已入户核实"
    log = AccessLog.objects.get(action="decide", object_id=str(proposal.pk))
    assert log.user == users.director and log.child_id == child.pk and log.reason == "已入户核实"
    assert pending(child) == []


def test_a_parent_coming_home_proposes_the_end_and_history_is_kept(users, left_behind):
    child, father_away = left_behind
    (proposal,) = pending(child)
    assignment = categories.proposal_confirm(user=users.director, proposal=proposal, today=TODAY)

    later = datetime.date(2025, 3, 10)
    services.situation_end(user=users.director, situation=father_away, ended_on=later, today=later)
    (end,) = pending(child)
    assert (end.category, end.kind) == ("left_behind_both", "end")
    assert {
        "code": "situation_ended",
        "params": {"parent": "father", "kind": "working_away", "until": "2025-03-10"},
    } in end.reasons
    assert CategoryAssignment.objects.get(pk=assignment.pk).is_open  # nothing ends unreviewed

    with translation.override("zh-hans"):
        ended = categories.proposal_confirm(user=users.supervisor, proposal=end, today=later)
    assert ended.pk == assignment.pk
    ended.refresh_from_db()
    assert ended.ended_on == later and ended.ended_by == users.supervisor
    assert "父亲外出务工已于 2025-03-10 结束" in ended.end_reason
    # Ended, not deleted or rewritten: the start, reason and creator stay as they were.
    assert ended.started_on == TODAY and ended.created_by == users.director and "已 10 个月" in ended.reason
    assert CategoryAssignment.objects.filter(child=child).count() == 1
    assert CategoryProposal.objects.filter(child=child).count() == 2
    assert ended.history.count() == 2  # created, then ended
    assert not CategoryAssignment.objects.filter(child=child, ended_on__isnull=True).exists()


def test_a_pending_proposal_that_no_longer_applies_is_superseded(users, left_behind):
    child, father_away = left_behind
    (proposal,) = pending(child)
    services.situation_end(user=users.director, situation=father_away, ended_on=TODAY, today=TODAY)
    proposal.refresh_from_db()
    assert proposal.status == "superseded"
    assert pending(child) == []  # nothing to end: the category was never confirmed
    with pytest.raises(ValidationError, match="已处理"):
        categories.proposal_confirm(user=users.director, proposal=proposal, today=TODAY)


def test_a_decided_proposal_cannot_be_decided_again(users, left_behind):
    child, _ = left_behind
    (proposal,) = pending(child)
    categories.proposal_confirm(user=users.director, proposal=proposal, today=TODAY)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as err:
        categories.proposal_confirm(user=users.director, proposal=proposal, today=TODAY)
    assert "已确认" in err.value.messages[0]
    with pytest.raises(ValidationError):
        categories.proposal_reject(user=users.director, proposal=proposal, note="重复")
    assert CategoryAssignment.objects.filter(child=child).count() == 1


def test_reject_needs_a_note_and_is_not_asked_again_on_the_same_grounds(users, left_behind):
    child, _ = left_behind
    (proposal,) = pending(child)
    with pytest.raises(ValidationError) as err:
        categories.proposal_reject(user=users.director, proposal=proposal, note="  ")
    assert "note" in err.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == PENDING

    categories.proposal_reject(user=users.director, proposal=proposal, note="母亲已回乡，待更新记录")
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.decision_note == "母亲已回乡，待更新记录"
    assert AccessLog.objects.filter(action="decide", object_id=str(proposal.pk)).exists()
    assert not CategoryAssignment.objects.filter(child=child).exists()

    # A month later nothing but the month count changed: the reviewer is not asked again.
    assert categories.proposals_refresh(child=child, today=datetime.date(2024, 12, 1)) == []
    # A parent's situation changes (an earlier start is recorded): new grounds, so the question returns.
    mother = child.persons.get(relation="mother")
    services.situation_add(
        user=users.director, person=mother, fields=working_away(datetime.date(2023, 6, 1)), today=TODAY
    )
    assert [(p.category, p.kind) for p in pending(child)] == [("left_behind_both", "assign")]


@pytest.mark.parametrize("role", ["social_worker", "counsellor", "city_officer", "director_b", "researcher"])
def test_only_reviewers_of_the_area_may_decide(users, left_behind, role):
    child, _ = left_behind
    (proposal,) = pending(child)
    user = getattr(users, role)
    with pytest.raises(PermissionDenied):
        categories.proposal_confirm(user=user, proposal=proposal, today=TODAY)
    with pytest.raises(PermissionDenied):
        categories.proposal_reject(user=user, proposal=proposal, note="不同意")
    proposal.refresh_from_db()
    assert proposal.status == PENDING
    assert not CategoryAssignment.objects.filter(child=child).exists()


@pytest.mark.parametrize("role", ["supervisor", "county_officer"])
def test_supervisor_and_county_officer_may_confirm(users, left_behind, role):
    child, _ = left_behind
    (proposal,) = pending(child)
    assignment = categories.proposal_confirm(user=getattr(users, role), proposal=proposal, today=TODAY)
    assert assignment.is_open and assignment.created_by == getattr(users, role)


def test_de_facto_unsupported_needs_evidence_for_each_status(users):
    child = child_create(users.director, name="刘小红", sex="F")
    add_parent(
        users.director,
        child,
        "father",
        "刘建国",
        {"kind": "deceased", "started_on": datetime.date(2021, 5, 1), "evidence_type": "death_certificate"},
    )
    mother, _ = add_parent(
        users.director,
        child,
        "mother",
        "陈丽",
        {"kind": "imprisoned", "started_on": datetime.date(2023, 2, 1)},
    )
    assert pending(child, category="de_facto_unsupported") == []
    # The prison certificate arrives: recorded as its own situation row with typed evidence.
    services.situation_add(
        user=users.director,
        person=mother,
        fields={
            "kind": "imprisoned",
            "started_on": datetime.date(2023, 2, 1),
            "evidence_type": "prison_certificate",
            "evidence_ref": "（2023）浙0723刑初12号",
        },
        today=TODAY,
    )
    (proposal,) = pending(child, category="de_facto_unsupported")
    assert proposal.rule_code == "de_facto_unsupported.one_gone"
    assert "（2023）" not in json.dumps(proposal.facts, ensure_ascii=False)


def test_manual_assignment_needs_a_reason_and_overrides_the_rule(users):
    child = child_create(users.director, name="赵小虎")
    with pytest.raises(ValidationError) as err:
        categories.category_assign(
            user=users.director, child=child, category="difficulty_guardianship", reason="", today=TODAY
        )
    assert "reason" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        categories.category_assign(
            user=users.social_worker,
            child=child,
            category="difficulty_guardianship",
            reason="社工发现",
            today=TODAY,
        )
    assignment = categories.category_assign(
        user=users.director,
        child=child,
        category="difficulty_guardianship",
        reason="派出所通报遭受家庭暴力",
        evidence="报警回执",
        today=TODAY,
    )
    assert assignment.is_open and assignment.rule_code == "manual"
    assert AccessLog.objects.filter(action="decide", object_id=str(assignment.pk)).exists()
    # The rule does not see the facts; its end proposal is recorded as rejected, not left in the queue.
    assert pending(child) == []
    counter = CategoryProposal.objects.get(child=child, category="difficulty_guardianship", kind="end")
    assert counter.status == "rejected" and counter.decision_note == "派出所通报遭受家庭暴力"
    assert categories.proposals_refresh(child=child, today=TODAY) == []
    with pytest.raises(ValidationError):
        categories.category_assign(
            user=users.director, child=child, category="difficulty_guardianship", reason="重复", today=TODAY
        )

    with pytest.raises(ValidationError) as err:
        categories.category_assignment_end(user=users.director, assignment=assignment, reason="", today=TODAY)
    assert "reason" in err.value.message_dict
    categories.category_assignment_end(
        user=users.supervisor, assignment=assignment, reason="已由亲属监护，风险解除", today=TODAY
    )
    assignment.refresh_from_db()
    assert assignment.ended_on == TODAY and assignment.end_reason == "已由亲属监护，风险解除"
    assert assignment.reason == "派出所通报遭受家庭暴力"
    with pytest.raises(ValidationError):
        categories.category_assignment_end(
            user=users.supervisor, assignment=assignment, reason="再次", today=TODAY
        )


def test_the_scheduled_run_ends_left_behind_when_the_child_turns_16(users, left_behind):
    child, _ = left_behind
    (proposal,) = pending(child)
    categories.proposal_confirm(user=users.director, proposal=proposal, today=TODAY)
    elsewhere = child_create(users.director_other_county, name="周小雨", area_code=areas.OTHER_COUNTY_VILLAGE)

    sixteenth_birthday = datetime.date(2031, 6, 1)  # born 2015-06-01
    assert (
        categories.proposals_refresh_area(
            area_prefix=areas.COUNTY, today=sixteenth_birthday - datetime.timedelta(days=1)
        )
        == 1
    )
    assert pending(child) == []
    assert categories.proposals_refresh_area(area_prefix=areas.COUNTY, today=sixteenth_birthday) == 1
    (end,) = pending(child)
    assert (end.category, end.kind, end.rule_code) == ("left_behind_both", "end", "left_behind_both.age")
    assert {"code": "age_over", "params": {"age": 16, "limit": 16}} in end.reasons
    assert pending(elsewhere) == []
    assert categories.proposals_refresh_area(today=sixteenth_birthday) == 2


def test_ending_by_hand_against_the_rule_is_not_undone_by_the_queue(users, left_behind):
    child, _ = left_behind
    (proposal,) = pending(child)
    assignment = categories.proposal_confirm(user=users.director, proposal=proposal, today=TODAY)
    categories.category_assignment_end(
        user=users.director, assignment=assignment, reason="父母已返乡，记录待更新", today=TODAY
    )
    assert pending(child) == []
    counter = CategoryProposal.objects.filter(child=child, kind="assign").latest("created_at", "pk")
    assert counter.status == "rejected" and counter.decided_by == users.director
    assert categories.proposals_refresh(child=child, today=datetime.date(2025, 1, 1)) == []


def test_a_closed_file_proposes_to_end_its_categories(users, left_behind):
    child, _ = left_behind
    (proposal,) = pending(child)
    categories.proposal_confirm(user=users.director, proposal=proposal, today=TODAY)
    child.refresh_from_db()
    services.child_update(
        user=users.director,
        child=child,
        expected_version=child.version,
        fields={"status": "moved", "status_changed_on": TODAY},
        today=TODAY,
    )
    (end,) = pending(child)
    assert (end.category, end.kind, end.rule_code) == (
        "left_behind_both",
        "end",
        "left_behind_both.file_status",
    )
    assert end.reasons[0] == {"code": "file_inactive", "params": {"status": "moved"}}
