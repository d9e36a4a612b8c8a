"""Rules of case work (pure functions, no database): which step may follow which, and why not.

DOMAIN.md §3: intake → assessment → plan → services (case interviews, group and community activities,
referrals) → review → closure, with supervisor approval of plans and closure.
"""

import datetime

from django.utils.translation import gettext as _

from .choices import (
    ApprovalKind,
    CaseStatus,
    PlanStatus,
    Rating,
    ReferralStatus,
    ReviewDecision,
    RiskLevel,
    ServiceKind,
    SharedPart,
)

S = CaseStatus

# Allowed moves of a case. Closing needs an approved closure; reopening goes back to assessment or plan.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.INTAKE: frozenset({S.ASSESSMENT, S.CLOSED}),
    S.ASSESSMENT: frozenset({S.PLAN, S.CLOSED}),
    S.PLAN: frozenset({S.SERVICES, S.CLOSED}),
    S.SERVICES: frozenset({S.REVIEW, S.CLOSED}),
    S.REVIEW: frozenset({S.SERVICES, S.PLAN, S.CLOSED}),
    S.CLOSED: frozenset({S.ASSESSMENT, S.PLAN}),
}


def transition_problem(current: str, target: str, facts: dict) -> str | None:
    """Why a case may not move from `current` to `target` (None: it may).

    facts: assessed (an assessment exists), plan_approved, closure_approved (an approved closure
    request not yet applied), has_plan (goals exist), reason (for reopening).
    """
    if target not in TRANSITIONS.get(current, frozenset()):
        return _("个案不能从“%(current)s”直接转到“%(target)s”。") % {
            "current": S(current).label,
            "target": S(target).label,
        }
    if target == S.CLOSED and not facts.get("closure_approved"):
        return _("结案须经督导批准：请先提交结案申请。")
    if current == S.CLOSED and not (facts.get("reason") or "").strip():
        return _("重新开案须说明理由。")
    if current == S.CLOSED and target == S.PLAN and not facts.get("has_plan"):
        return _("该个案没有服务计划，请回到评估阶段重新开案。")
    if target == S.PLAN and current == S.ASSESSMENT and not facts.get("assessed"):
        return _("请先完成评估再制定服务计划。")
    if target == S.SERVICES and not facts.get("plan_approved"):
        return _("服务计划经督导批准后才能开始提供服务。")
    return None


def suggested_risk(ratings: dict[str, int]) -> str:
    """A risk level from the five domain ratings: the worker may choose otherwise, with reason.

    Critical safety → urgent; any other critical or two serious → high; one serious or two concerns
    → medium; otherwise low.
    """
    values = list(ratings.values())
    if ratings.get("safety") == Rating.CRITICAL:
        return RiskLevel.URGENT
    if Rating.CRITICAL in values or values.count(Rating.SERIOUS) >= 2:
        return RiskLevel.HIGH
    if Rating.SERIOUS in values or values.count(Rating.CONCERN) >= 2:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def plan_editable(status: str, plan_status: str) -> bool:
    """Goals and actions change only while the plan is being drafted (an approved plan is revised
    through a review, which sends it back for approval)."""
    return status in (S.ASSESSMENT, S.PLAN) and plan_status in (PlanStatus.NONE, PlanStatus.DRAFT)


def plan_request_problems(
    *, status: str, plan_status: str, assessed: bool, goals: int, actions: list
) -> dict:
    """What stops a plan from going to the supervisor: field → message (empty: it may go).

    `actions` is a list of (owner_id, due_on) of the open actions.
    """
    problems: dict[str, str] = {}
    if status != S.PLAN or plan_status != PlanStatus.DRAFT:
        problems["status"] = _("只有草拟中的服务计划可以提交审批。")
    if not assessed:
        problems["assessment"] = _("请先完成评估。")
    if goals < 1:
        problems["goals"] = _("服务计划至少需要一个目标。")
    if not actions:
        problems["actions"] = _("服务计划至少需要一项行动。")
    elif any(owner is None or due is None for owner, due in actions):
        problems["actions"] = _("每项行动都须有负责人和完成期限。")
    return problems


def service_problem(*, status: str, plan_status: str, kind: str) -> str | None:
    """Services follow an approved plan; a case interview may happen at any stage of an open case."""
    if status == S.CLOSED:
        return _("个案已结案，不能再记录服务。")
    if kind == ServiceKind.CASE_INTERVIEW:
        return None
    if plan_status != PlanStatus.APPROVED or status not in (S.SERVICES, S.REVIEW):
        return _("服务计划经督导批准后才能记录此类服务。")
    return None


def review_target(decision: str) -> str:
    """The stage a review leads to: continue → services, revise → plan, close → review (then closure)."""
    return {
        ReviewDecision.CONTINUE: S.SERVICES,
        ReviewDecision.REVISE: S.PLAN,
        ReviewDecision.CLOSE: S.REVIEW,
    }[decision]


def approval_problems(*, decision: str, comment: str, is_requester: bool) -> dict:
    """A rejection needs a comment; nobody approves their own request."""
    problems: dict[str, str] = {}
    if decision not in ("approved", "rejected"):
        problems["decision"] = _("请选择批准或驳回。")
    if decision == "rejected" and len((comment or "").strip()) < 2:
        problems["comment"] = _("驳回时须填写审批意见。")
    if is_requester:
        problems["decision"] = _("不能审批自己提交的申请。")
    return problems


def approval_kind_label(kind: str) -> str:
    return str(ApprovalKind(kind).label)


# --- referrals ---

REFERRAL_NEXT: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.CANCELLED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.CANCELLED: frozenset(),
}
REFERRAL_OPEN = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


def referral_move_problem(current: str, target: str) -> str | None:
    if target not in REFERRAL_NEXT.get(current, frozenset()):
        return _("转介不能从“%(current)s”改为“%(target)s”。") % {
            "current": ReferralStatus(current).label,
            "target": ReferralStatus(target).label,
        }
    return None


def referral_visible_parts(*, chosen: list[str], status: str) -> list[str]:
    """What the receiving organization sees beyond the basic facts: the parts the sender chose, and
    only while the referral is open (least privilege: a declined or finished referral shows none)."""
    if status not in REFERRAL_OPEN:
        return []
    return [p for p in SharedPart.values if p in chosen]


def reminder_stage(*, due_on: datetime.date, today: datetime.date, soon_days: int) -> str | None:
    """ "overdue" past the due date, "due_soon" within `soon_days` of it, otherwise None."""
    if today > due_on:
        return "overdue"
    if (due_on - today).days <= soon_days:
        return "due_soon"
    return None
