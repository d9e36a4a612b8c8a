"""The pure rules of case work: stages, risk suggestion, what a referral shares, reminder stages."""

import datetime

import pytest

from seedling.cases import rules
from seedling.cases.choices import CaseStatus as S
from seedling.cases.choices import Rating as R

OK = {"assessed": True, "plan_approved": True, "has_plan": True, "closure_approved": True, "reason": "复发"}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.INTAKE, S.ASSESSMENT),
        (S.ASSESSMENT, S.PLAN),
        (S.PLAN, S.SERVICES),
        (S.SERVICES, S.REVIEW),
        (S.REVIEW, S.SERVICES),
        (S.REVIEW, S.PLAN),
        (S.REVIEW, S.CLOSED),
        (S.INTAKE, S.CLOSED),
        (S.CLOSED, S.ASSESSMENT),
        (S.CLOSED, S.PLAN),
    ],
)
def test_allowed_moves(current, target):
    assert rules.transition_problem(current, target, OK) is None


@pytest.mark.parametrize(
    ("current", "target", "facts"),
    [
        (S.INTAKE, S.SERVICES, OK),  # skipping stages
        (S.ASSESSMENT, S.REVIEW, OK),
        (S.CLOSED, S.SERVICES, OK),  # reopening goes back to assessment or plan
        (S.SERVICES, S.CLOSED, {**OK, "closure_approved": False}),  # closing without approved closure
        (S.PLAN, S.SERVICES, {**OK, "plan_approved": False}),  # a plan is active only once approved
        (S.ASSESSMENT, S.PLAN, {**OK, "assessed": False}),
        (S.CLOSED, S.ASSESSMENT, {**OK, "reason": " "}),  # reopening needs a reason
        (S.CLOSED, S.PLAN, {**OK, "has_plan": False}),
    ],
)
def test_refused_moves_say_why(current, target, facts):
    assert rules.transition_problem(current, target, facts)


def test_risk_suggestion():
    calm = {"safety": R.GOOD, "health": R.GOOD, "education": R.CONCERN, "family": R.GOOD, "emotional": R.GOOD}
    assert rules.suggested_risk(calm) == "low"
    assert rules.suggested_risk({**calm, "family": R.CONCERN}) == "medium"
    assert rules.suggested_risk({**calm, "family": R.SERIOUS}) == "medium"
    assert rules.suggested_risk({**calm, "family": R.SERIOUS, "emotional": R.SERIOUS}) == "high"
    assert rules.suggested_risk({**calm, "health": R.CRITICAL}) == "high"
    assert rules.suggested_risk({**calm, "safety": R.CRITICAL}) == "urgent"


def test_a_plan_request_needs_assessment_goal_and_complete_actions():
    day = datetime.date(2025, 1, 1)
    ready = {"status": S.PLAN, "plan_status": "draft", "assessed": True, "goals": 1, "actions": [(1, day)]}
    assert rules.plan_request_problems(**ready) == {}
    assert set(rules.plan_request_problems(**{**ready, "actions": [(None, day)]})) == {"actions"}
    assert set(rules.plan_request_problems(**{**ready, "goals": 0, "assessed": False})) == {
        "goals",
        "assessment",
    }
    assert "status" in rules.plan_request_problems(**{**ready, "plan_status": "pending"})


def test_approval_rules():
    assert rules.approval_problems(decision="approved", comment="", is_requester=False) == {}
    assert "comment" in rules.approval_problems(decision="rejected", comment=" ", is_requester=False)
    assert "decision" in rules.approval_problems(decision="approved", comment="", is_requester=True)


def test_a_referral_shares_the_chosen_parts_only_while_open():
    chosen = ["health", "guardian_contact"]
    assert rules.referral_visible_parts(chosen=chosen, status="sent") == ["guardian_contact", "health"]
    assert rules.referral_visible_parts(chosen=chosen, status="accepted") == ["guardian_contact", "health"]
    for closed in ("declined", "completed", "cancelled"):
        assert rules.referral_visible_parts(chosen=chosen, status=closed) == []


def test_referral_moves():
    assert rules.referral_move_problem("sent", "accepted") is None
    assert rules.referral_move_problem("accepted", "completed") is None
    assert rules.referral_move_problem("sent", "completed")
    assert rules.referral_move_problem("declined", "accepted")


def test_reminder_stages():
    due = datetime.date(2025, 3, 10)
    assert rules.reminder_stage(due_on=due, today=datetime.date(2025, 3, 1), soon_days=2) is None
    assert rules.reminder_stage(due_on=due, today=datetime.date(2025, 3, 8), soon_days=2) == "due_soon"
    assert rules.reminder_stage(due_on=due, today=due, soon_days=2) == "due_soon"
    assert rules.reminder_stage(due_on=due, today=datetime.date(2025, 3, 11), soon_days=2) == "overdue"
