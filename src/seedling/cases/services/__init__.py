"""Every write of the cases app (cases, approvals, transfers, organizations, referrals)."""

from .approvals import approval_decide, closure_request, plan_approval_request
from .cases import case_assign, case_open, case_reopen, case_transition, case_update
from .organizations import may_manage, organization_save
from .plan import (
    action_add,
    action_status_set,
    action_update,
    actions_overdue,
    assessment_save,
    goal_add,
    goal_update,
    review_record,
    service_record,
)
from .referrals import (
    is_receiver,
    referral_cancel,
    referral_reminders,
    referral_respond,
    referral_send,
    serves_area,
)
from .transfers import may_cancel, may_decide, transfer_cancel, transfer_decide, transfer_request

__all__ = [
    "action_add",
    "action_status_set",
    "action_update",
    "actions_overdue",
    "approval_decide",
    "assessment_save",
    "case_assign",
    "case_open",
    "case_reopen",
    "case_transition",
    "case_update",
    "closure_request",
    "goal_add",
    "goal_update",
    "is_receiver",
    "may_cancel",
    "may_decide",
    "may_manage",
    "organization_save",
    "plan_approval_request",
    "referral_cancel",
    "referral_reminders",
    "referral_respond",
    "referral_send",
    "review_record",
    "service_record",
    "serves_area",
    "transfer_cancel",
    "transfer_decide",
    "transfer_request",
]
