"""Writes of a case's content (个案内容): assessments, the plan's goals and actions, services, reviews.

DOMAIN.md §3: assessment → plan (approved by the supervisor: see approvals) → services → review.
Each service checks the case-work role at the child's area, the stage rules (cases.rules), saves with
versions (a stale save is refused), writes the case journal and the access log.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from seedling.accounts.roles import Role
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.inbox import services as inbox

from .. import rules
from ..choices import ActionStatus, CaseStatus, PlanStatus, Rating, RiskLevel, ServiceKind
from ..models import Assessment, Case, CaseEvent, CaseReview, PlanAction, PlanGoal, ServiceRecord
from .cases import _check_dates, _facts, _require_open, _require_work, set_status, worker_problem
from .common import action_key, case_url, end_of_day, event, raise_if, risk_key, save_case, unknown_fields

DOMAINS = ("safety", "health", "education", "family", "emotional")
ASSESSMENT_FIELDS = (
    "assessed_on",
    *(f"{d}_rating" for d in DOMAINS),
    *(f"{d}_notes" for d in DOMAINS),
    "risk_level",
    "summary",
)
ACTION_FIELDS = ("text", "goal", "owner", "due_on")
SERVICE_FIELDS = ("kind", "delivered_on", "provider_user", "provider_org", "outcome")
REVIEW_FIELDS = ("reviewed_on", "progress", "decision")


def _risk_task(case: Case) -> None:
    """An urgent risk puts the case in front of the township supervisor at once."""
    key = risk_key(case.pk)
    if case.is_open and case.risk_level == RiskLevel.URGENT:
        inbox.task_open(
            key=key,
            kind="case_risk",
            title=_("个案 %(number)s 评估为紧急风险") % {"number": case.number},
            url=case_url(case),
            assignee_role=Role.TOWNSHIP_SUPERVISOR,
            child=case.child,
            due_at=clock.now(),
            priority="urgent",
        )
    else:
        inbox.task_close(key=key)


@transaction.atomic
def assessment_save(
    *,
    user,
    case: Case,
    fields: dict,
    assessment: Assessment | None = None,
    expected_version: int | None = None,
    today=None,
) -> Assessment:
    """Record (or correct) an assessment of the five domains; the overall risk level defaults to the
    rule's suggestion (rules.suggested_risk). Moves an intake to assessment."""
    unknown_fields(fields, ASSESSMENT_FIELDS)
    today = today or clock.today()
    _require_work(user, case)
    _require_open(case)
    values = {"assessed_on": today, **fields}
    errors: dict[str, str] = {}
    for domain in DOMAINS:
        if values.get(f"{domain}_rating") not in Rating.values:
            errors[f"{domain}_rating"] = _("请选择评分。")
    _check_dates(values["assessed_on"], "assessed_on", errors, today=today, earliest=case.opened_on)
    if values.get("risk_level") and values["risk_level"] not in RiskLevel.values:
        errors["risk_level"] = _("请选择风险等级。")
    raise_if(errors)
    if not values.get("risk_level"):
        values["risk_level"] = rules.suggested_risk({d: values[f"{d}_rating"] for d in DOMAINS})
    if assessment is None:
        assessment = Assessment.objects.create(case=case, child_id=case.child_id, assessed_by=user, **values)
        audit_log(user=user, action="create", obj=assessment, child=case.child)
    else:
        for name, value in values.items():
            setattr(assessment, name, value)
        save_versioned(assessment, expected_version=expected_version or 0)
        audit_log(user=user, action="change", obj=assessment, child=case.child)
    latest = case.assessments.order_by("-assessed_on", "-pk").first()
    case.risk_level = latest.risk_level
    if case.status == CaseStatus.INTAKE:
        case.status = CaseStatus.ASSESSMENT
    save_case(case)
    event(case, CaseEvent.Kind.ASSESSED, user, latest.get_risk_level_display())
    _risk_task(case)
    return assessment


def _require_plan_editable(case: Case) -> None:
    _require_open(case)
    if not rules.plan_editable(case.status, case.plan_status):
        raise_if({"status": _("服务计划已提交或已批准：如需修改，请通过回顾选择“修订计划”。")})
    if case.status == CaseStatus.ASSESSMENT and (
        problem := rules.transition_problem(case.status, CaseStatus.PLAN, _facts(case))
    ):
        raise_if({"status": problem})


def _start_plan(case: Case, user) -> None:
    """Drafting a plan moves the case to the plan stage."""
    if case.plan_status == PlanStatus.NONE:
        case.plan_status = PlanStatus.DRAFT
    if case.status == CaseStatus.ASSESSMENT:
        set_status(case, CaseStatus.PLAN, user)
    else:
        save_case(case)


@transaction.atomic
def goal_add(*, user, case: Case, text: str) -> PlanGoal:
    """Add a goal to the plan being drafted."""
    _require_work(user, case)
    _require_plan_editable(case)
    text = (text or "").strip()
    raise_if({} if len(text) >= 2 else {"text": _("请填写目标。")})
    goal = PlanGoal.objects.create(case=case, child_id=case.child_id, text=text)
    _start_plan(case, user)
    audit_log(user=user, action="create", obj=goal, child=case.child)
    return goal


@transaction.atomic
def goal_update(
    *, user, goal: PlanGoal, expected_version: int, text: str | None = None, achieved: bool | None = None
) -> PlanGoal:
    """Reword a goal while the plan is drafted; mark it achieved at any time while the case is open."""
    case = goal.case
    _require_work(user, case)
    _require_open(case)
    if text is not None:
        _require_plan_editable(case)
        goal.text = text.strip()
        raise_if({} if len(goal.text) >= 2 else {"text": _("请填写目标。")})
    if achieved is not None:
        goal.achieved = achieved
    save_versioned(goal, expected_version=expected_version)
    audit_log(user=user, action="change", obj=goal, child=case.child)
    return goal


def _check_action(case: Case, values: dict, errors: dict, today) -> None:
    values["text"] = (values.get("text") or "").strip()
    if len(values["text"]) < 2:
        errors["text"] = _("请填写行动。")
    goal = values.get("goal")
    if goal is not None and goal.case_id != case.pk:
        errors["goal"] = _("目标不属于该个案。")
    if values.get("owner") is None:
        errors["owner"] = _("请选择负责人。")
    elif problem := worker_problem(values["owner"], case.child):
        errors["owner"] = problem
    if values.get("due_on") is None:
        errors["due_on"] = _("请填写完成期限。")
    elif values["due_on"] < today:
        errors["due_on"] = _("完成期限不能早于今天。")


@transaction.atomic
def action_add(*, user, case: Case, fields: dict, today=None) -> PlanAction:
    """Add an action (owner, due date) to the plan being drafted; its task opens once the plan is approved."""
    unknown_fields(fields, ACTION_FIELDS)
    _require_work(user, case)
    _require_plan_editable(case)
    values, errors = dict(fields), {}
    _check_action(case, values, errors, today or clock.today())
    raise_if(errors)
    action = PlanAction.objects.create(case=case, child_id=case.child_id, **values)
    _start_plan(case, user)
    audit_log(user=user, action="create", obj=action, child=case.child)
    return action


@transaction.atomic
def action_update(*, user, action: PlanAction, expected_version: int, fields: dict, today=None) -> PlanAction:
    """Change an action's text, owner or due date while the plan is drafted."""
    unknown_fields(fields, ACTION_FIELDS)
    case = action.case
    _require_work(user, case)
    _require_plan_editable(case)
    values = {name: getattr(action, name) for name in ACTION_FIELDS}
    values.update(fields)
    errors: dict[str, str] = {}
    _check_action(case, values, errors, today or clock.today())
    raise_if(errors)
    for name, value in values.items():
        setattr(action, name, value)
    save_versioned(action, expected_version=expected_version)
    audit_log(user=user, action="change", obj=action, child=case.child, detail={"fields": sorted(fields)})
    return action


def action_task(action: PlanAction) -> None:
    """The owner's inbox task for an open action of an approved plan (closed otherwise)."""
    case = action.case
    key = action_key(case.pk, action.pk)
    if (
        action.status == ActionStatus.OPEN
        and case.is_open
        and case.plan_status == PlanStatus.APPROVED
        and action.owner_id
    ):
        overdue = action.due_on is not None and action.due_on < clock.today()
        inbox.task_open(
            key=key,
            kind="case_action",
            title=_("个案 %(number)s：%(text)s") % {"number": case.number, "text": action.text},
            url=case_url(case),
            assignee=action.owner,
            child=case.child,
            due_at=end_of_day(action.due_on) if action.due_on else None,
            priority="urgent" if overdue else "normal",
        )
    else:
        inbox.task_close(key=key)


@transaction.atomic
def action_status_set(
    *, user, action: PlanAction, expected_version: int, status: str, today=None
) -> PlanAction:
    """Mark an action done or cancelled (its owner or the case team), closing the owner's task."""
    case = action.case
    if action.owner_id != user.pk:
        _require_work(user, case)
    _require_open(case)
    if status not in (ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.OPEN):
        raise_if({"status": _("请选择行动状态。")})
    action.status = status
    action.done_on = (today or clock.today()) if status == ActionStatus.DONE else None
    save_versioned(action, expected_version=expected_version)
    action_task(action)
    audit_log(user=user, action="change", obj=action, child=case.child, detail={"status": status})
    return action


@transaction.atomic
def service_record(*, user, case: Case, fields: dict, today=None) -> ServiceRecord:
    """Record a service delivered (date, provider, outcome). Services follow an approved plan; a case
    interview may be recorded at any stage of an open case."""
    unknown_fields(fields, SERVICE_FIELDS)
    today = today or clock.today()
    _require_work(user, case)
    values = {"delivered_on": today, "provider_user": None, "provider_org": None, "outcome": "", **fields}
    errors: dict[str, str] = {}
    if values.get("kind") not in ServiceKind.values:
        errors["kind"] = _("请选择服务类型。")
    elif problem := rules.service_problem(
        status=case.status, plan_status=case.plan_status, kind=values["kind"]
    ):
        errors["kind"] = problem
    _check_dates(values["delivered_on"], "delivered_on", errors, today=today, earliest=case.opened_on)
    org = values["provider_org"]
    if org is not None and not org.active:
        errors["provider_org"] = _("该机构已停用。")
    raise_if(errors)
    if values["provider_user"] is None and org is None:
        values["provider_user"] = user
    record = ServiceRecord.objects.create(case=case, child_id=case.child_id, recorded_by=user, **values)
    event(case, CaseEvent.Kind.SERVICE, user, record.get_kind_display())
    audit_log(user=user, action="create", obj=record, child=case.child)
    return record


@transaction.atomic
def review_record(*, user, case: Case, fields: dict, today=None) -> CaseReview:
    """Review the case: continue the services, revise the plan (it needs approval again) or propose
    closure (then a closure request goes to the supervisor)."""
    unknown_fields(fields, REVIEW_FIELDS)
    today = today or clock.today()
    _require_work(user, case)
    values = {"reviewed_on": today, **fields}
    errors: dict[str, str] = {}
    if case.status not in (CaseStatus.SERVICES, CaseStatus.REVIEW):
        errors["status"] = _("服务开始后才能进行回顾。")
    if values.get("decision") not in ("continue", "revise", "close"):
        errors["decision"] = _("请选择回顾结论。")
    values["progress"] = (values.get("progress") or "").strip()
    if len(values["progress"]) < 2:
        errors["progress"] = _("请填写服务进展。")
    _check_dates(values["reviewed_on"], "reviewed_on", errors, today=today, earliest=case.opened_on)
    raise_if(errors)
    review = CaseReview.objects.create(case=case, child_id=case.child_id, reviewer=user, **values)
    event(case, CaseEvent.Kind.REVIEWED, user, review.get_decision_display())
    target = rules.review_target(values["decision"])
    if target == CaseStatus.PLAN:
        case.plan_status = PlanStatus.DRAFT
        case.plan_approved_at = None
    set_status(case, target, user)
    audit_log(user=user, action="create", obj=review, child=case.child)
    return review


def actions_overdue(*, today=None) -> int:
    """Periodic: open actions of approved plans past their due date make their owners' tasks urgent."""
    today = today or clock.today()
    rows = PlanAction.objects.filter(
        status=ActionStatus.OPEN,
        due_on__lt=today,
        case__plan_status=PlanStatus.APPROVED,
        owner__isnull=False,
    ).exclude(case__status=CaseStatus.CLOSED)
    count = 0
    for action in rows.select_related("case", "case__child", "owner"):
        with transaction.atomic():
            action_task(action)
        count += 1
    return count
