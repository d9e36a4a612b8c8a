"""The case workflow: intake → assessment → plan → services → review → closed, with supervisor approval."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from seedling.cases import selectors, services
from seedling.cases.models import ApprovalRequest, Case, CaseEvent
from seedling.core.locking import StaleEdit
from seedling.core.models import AccessLog
from seedling.inbox import selectors as inbox_selectors
from seedling.inbox.models import Task
from seedling.testing.factories import child_create

from .helpers import RATINGS, active_case, draft_plan, open_case

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- intake ---


def test_intake_gives_a_number_a_worker_and_a_journal_entry_and_is_logged(users, child):
    case = open_case(users.social_worker, child, source_kind="report", source_id=17)
    assert case.status == "intake" and case.worker == users.social_worker
    assert case.number.startswith("330723-") and case.number.endswith("00001")
    assert case.source_type == "protection.report" and case.source_id == 17
    assert CaseEvent.objects.filter(case=case, kind="opened").exists()
    assert AccessLog.objects.filter(action="create", object_type="cases.case", child_id=child.pk).exists()
    second_child = child_create(users.director, name="李小军")
    assert open_case(users.director, second_child).number.endswith("00002")


def test_a_child_has_at_most_one_open_case(users, child, case):
    with pytest.raises(ValidationError) as excinfo:
        open_case(users.director, child)
    assert case.number in errors_of(excinfo)["child"][0]


def test_intake_needs_a_source_and_the_presenting_problem(users, child):
    with pytest.raises(ValidationError) as excinfo:
        services.case_open(
            user=users.social_worker, child=child, fields={"source_kind": "rumour", "presenting_problem": ""}
        )
    assert set(errors_of(excinfo)) == {"source_kind", "presenting_problem"}


def test_only_case_roles_at_the_childs_area_open_cases(users, child):
    for outsider in (users.director_other_county, users.counsellor, users.city_officer, users.researcher):
        with pytest.raises(PermissionDenied):
            open_case(outsider, child)


def test_the_worker_must_do_case_work_at_the_childs_area(users, child):
    with pytest.raises(ValidationError) as excinfo:
        open_case(users.supervisor, child, worker=users.director_other_county)
    assert "worker" in errors_of(excinfo)


# --- stages ---


def test_transitions_follow_the_workflow(users, case):
    worker = users.social_worker
    with pytest.raises(ValidationError) as excinfo:
        services.case_transition(user=worker, case=case, target="services", expected_version=case.version)
    assert "status" in errors_of(excinfo)
    services.case_transition(user=worker, case=case, target="assessment", expected_version=case.version)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="评估"):  # no assessment yet: no plan
        services.case_transition(user=worker, case=case, target="plan", expected_version=case.version)
    services.assessment_save(user=worker, case=case, fields=RATINGS)
    case.refresh_from_db()
    services.case_transition(user=worker, case=case, target="plan", expected_version=case.version)
    case.refresh_from_db()
    assert case.status == "plan" and case.plan_status == "draft"
    with pytest.raises(ValidationError, match="批准"):  # plan not approved: no services
        services.case_transition(user=worker, case=case, target="services", expected_version=case.version)


def test_closing_without_an_approved_closure_is_refused(users, case):
    with pytest.raises(ValidationError) as excinfo:
        services.case_transition(
            user=users.social_worker, case=case, target="closed", expected_version=case.version
        )
    assert "结案申请" in errors_of(excinfo)["status"][0]
    case.refresh_from_db()
    assert case.status == "intake"


def test_a_stale_transition_is_refused(users, case):
    with pytest.raises(StaleEdit):
        services.case_transition(
            user=users.social_worker, case=case, target="assessment", expected_version=case.version + 1
        )


def test_assessment_moves_intake_on_and_suggests_the_risk_level(users, case):
    services.assessment_save(user=users.social_worker, case=case, fields=dict(RATINGS, safety_rating=4))
    case.refresh_from_db()
    assert case.status == "assessment" and case.risk_level == "urgent"
    # An urgent risk reaches the township supervisor at once.
    assert inbox_selectors.task_list(user=users.supervisor, kind="case_risk").count() == 1


def test_assessment_errors_name_the_field(users, case):
    with pytest.raises(ValidationError) as excinfo:
        services.assessment_save(
            user=users.social_worker,
            case=case,
            fields={"safety_rating": 9, "assessed_on": datetime.date(2999, 1, 1)},
        )
    assert {"safety_rating", "health_rating", "assessed_on"} <= set(errors_of(excinfo))


# --- plan approval ---


def test_plan_approval_requested_then_supervisor_approves_and_the_plan_is_active(users, child):
    worker = users.social_worker
    case = draft_plan(worker, open_case(worker, child))
    approval = services.plan_approval_request(user=worker, case=case, note="请审批")
    case.refresh_from_db()
    assert case.plan_status == "pending"
    # The request waits in the township supervisor's inbox, not in another village's director's.
    tasks = inbox_selectors.task_list(user=users.supervisor, kind="case_approval")
    assert [t.key for t in tasks] == [f"case_approval:{approval.pk}"]
    assert not inbox_selectors.task_list(user=users.director_other_county, kind="case_approval").exists()
    assert list(selectors.approval_queue(user=users.supervisor)) == [approval]
    # While pending the plan cannot be changed, nor services recorded.
    with pytest.raises(ValidationError):
        services.goal_add(user=worker, case=case, text="另一个目标")
    with pytest.raises(ValidationError):
        services.service_record(user=worker, case=case, fields={"kind": "counselling"})

    services.approval_decide(user=users.supervisor, approval=approval, decision="approved", comment="同意")
    case.refresh_from_db()
    assert case.plan_status == "approved" and case.status == "services"
    assert not Task.objects.filter(key=f"case_approval:{approval.pk}", status="open").exists()
    # The action reaches its owner's inbox with its due date; the worker is told of the decision.
    action_tasks = inbox_selectors.task_list(user=worker, kind="case_action")
    assert action_tasks.count() == 1 and action_tasks[0].due_at is not None
    assert worker.notifications.filter(title__contains="已批准").exists()
    assert AccessLog.objects.filter(
        action="decide", object_type="cases.approvalrequest", user=users.supervisor
    ).exists()
    services.service_record(user=worker, case=case, fields={"kind": "counselling", "outcome": "情绪稳定"})


def test_a_rejection_needs_a_comment_and_sends_the_plan_back(users, child):
    case = draft_plan(users.social_worker, open_case(users.social_worker, child))
    approval = services.plan_approval_request(user=users.social_worker, case=case)
    with pytest.raises(ValidationError) as excinfo:
        services.approval_decide(user=users.supervisor, approval=approval, decision="rejected", comment="")
    assert "comment" in errors_of(excinfo)
    services.approval_decide(
        user=users.supervisor, approval=approval, decision="rejected", comment="目标不具体"
    )
    case.refresh_from_db()
    assert case.plan_status == "draft" and case.status == "plan"
    services.goal_add(user=users.social_worker, case=case, text="每周两次课后辅导")  # editable again


def test_nobody_approves_their_own_request_and_others_may_not_approve(users, child):
    case = draft_plan(users.supervisor, open_case(users.supervisor, child))
    approval = services.plan_approval_request(user=users.supervisor, case=case)
    with pytest.raises(ValidationError) as excinfo:
        services.approval_decide(user=users.supervisor, approval=approval, decision="approved")
    assert "decision" in errors_of(excinfo)
    for not_approver in (users.social_worker, users.director, users.director_other_county):
        with pytest.raises(PermissionDenied):
            services.approval_decide(user=not_approver, approval=approval, decision="approved")
    services.approval_decide(
        user=users.county_officer, approval=approval, decision="approved"
    )  # the county above


def test_a_plan_needs_actions_with_owner_and_due_date(users, case):
    services.assessment_save(user=users.social_worker, case=case, fields=RATINGS)
    services.goal_add(user=users.social_worker, case=case, text="恢复上学")
    case.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.plan_approval_request(user=users.social_worker, case=case)
    assert "actions" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.action_add(
            user=users.social_worker, case=case, fields={"text": "家访", "owner": None, "due_on": None}
        )
    assert {"owner", "due_on"} <= set(errors_of(excinfo))


# --- services, reviews, closure, reopening ---


def test_services_follow_an_approved_plan_but_a_case_interview_may_come_first(users, case):
    with pytest.raises(ValidationError) as excinfo:
        services.service_record(user=users.social_worker, case=case, fields={"kind": "material_aid"})
    assert "kind" in errors_of(excinfo)
    record = services.service_record(user=users.social_worker, case=case, fields={"kind": "case_interview"})
    assert record.provider_user == users.social_worker


def test_review_decisions_lead_to_services_plan_or_closure(users, child):
    case = active_case(users, child)
    worker = users.social_worker
    services.review_record(user=worker, case=case, fields={"progress": "按时上学", "decision": "continue"})
    case.refresh_from_db()
    assert case.status == "services"
    services.review_record(
        user=worker, case=case, fields={"progress": "需增加心理辅导", "decision": "revise"}
    )
    case.refresh_from_db()
    assert case.status == "plan" and case.plan_status == "draft"  # the revised plan needs approval again


def test_closure_only_after_approval_then_reopen_with_a_reason(users, child):
    case = active_case(users, child)
    worker = users.social_worker
    services.review_record(user=worker, case=case, fields={"progress": "目标已达成", "decision": "close"})
    case.refresh_from_db()
    assert case.status == "review"
    with pytest.raises(ValidationError) as excinfo:
        services.closure_request(user=worker, case=case, closure_reason="other", note="")
    assert "note" in errors_of(excinfo)
    approval = services.closure_request(user=worker, case=case, closure_reason="goals_met")
    case.refresh_from_db()
    assert case.is_open  # not closed until approved
    services.approval_decide(user=users.supervisor, approval=approval, decision="approved")
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "goals_met" and case.closed_on is not None
    assert not Task.objects.filter(key__startswith=f"case_action:{case.pk}:", status="open").exists()
    with pytest.raises(ValidationError):  # a closed case takes no services
        services.service_record(user=worker, case=case, fields={"kind": "case_interview"})
    with pytest.raises(ValidationError) as excinfo:
        services.case_reopen(
            user=worker, case=case, target="assessment", reason="", expected_version=case.version
        )
    assert "reason" in errors_of(excinfo)
    services.case_reopen(
        user=worker, case=case, target="plan", reason="孩子再次独自在家", expected_version=case.version
    )
    case.refresh_from_db()
    assert case.status == "plan" and case.plan_status == "draft" and case.reopened_count == 1


def test_a_rejected_closure_keeps_the_case_open(users, child):
    case = active_case(users, child)
    approval = services.closure_request(user=users.social_worker, case=case, closure_reason="declined")
    services.approval_decide(
        user=users.supervisor, approval=approval, decision="rejected", comment="请再家访一次"
    )
    case.refresh_from_db()
    assert case.is_open
    assert ApprovalRequest.objects.get(pk=approval.pk).decision == "rejected"


def test_overdue_actions_turn_their_owners_tasks_urgent(users, child, clock):
    case = active_case(users, child)
    clock.travel(by=datetime.timedelta(days=11))
    assert services.actions_overdue() == 1
    task = Task.objects.get(key__startswith=f"case_action:{case.pk}:", status="open")
    assert task.priority == "urgent"


# --- assignment and scope ---


def test_the_supervisor_reassigns_and_the_new_worker_is_told(users, case):
    other_worker = users.director
    services.case_assign(user=users.supervisor, case=case, worker=other_worker, expected_version=case.version)
    case.refresh_from_db()
    assert case.worker == other_worker
    assert other_worker.notifications.filter(title__contains=case.number).exists()
    with pytest.raises(PermissionDenied):  # neither supervisor nor the worker
        services.case_assign(
            user=users.director_b, case=case, worker=users.director_b, expected_version=case.version
        )


def test_a_director_of_another_county_sees_no_case(users, case):
    assert not selectors.case_list(user=users.director_other_county).exists()
    with pytest.raises(Http404):
        selectors.case_get(user=users.director_other_county, pk=case.pk)
    for user in (
        users.social_worker,
        users.director,
        users.supervisor,
        users.county_officer,
        users.province_officer,
    ):
        assert list(selectors.case_list(user=user)) == [case]
    assert not selectors.case_list(user=users.counsellor).exists()  # counsellors do not read case files


def test_opening_a_case_is_logged(users, case):
    selectors.case_open(user=users.supervisor, pk=case.pk)
    assert AccessLog.objects.filter(
        action="view", object_type="cases.case", object_id=str(case.pk), user=users.supervisor
    ).exists()


def test_case_numbers_stay_unique_per_county_and_year(users):
    numbers = {
        open_case(users.director, child_create(users.director, name=f"张{n}")).number for n in "一二三"
    }
    assert len(numbers) == 3 and Case.objects.count() == 3


def test_without_a_township_supervisor_the_county_officer_gets_the_approval(users, child):
    users.supervisor.memberships.update(is_active=False)
    case = draft_plan(users.social_worker, open_case(users.social_worker, child))
    approval = services.plan_approval_request(user=users.social_worker, case=case)
    county_officer = type(users.county_officer).objects.get(pk=users.county_officer.pk)
    assert [t.key for t in inbox_selectors.task_list(user=county_officer, kind="case_approval")] == [
        f"case_approval:{approval.pk}"
    ]
