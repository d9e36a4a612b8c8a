"""Category proposals and the review queue (类别认定与审核).

The eligibility rules (registry.rules) re-run whenever a child's facts change and on a schedule; where
their result differs from the categories the child holds, a pending proposal goes to the review queue.
A reviewer confirms or rejects it. Assignments are kept with start and end date, reason and evidence:
ended, never deleted or rewritten (DOMAIN.md section 2, dynamic management).

A human decision stands until the rule's grounds change: after a rejection (or a manual assignment or
ending, which reject the counter-proposal) the same proposal on the same grounds is not made again.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.scope import area_q, user_may

from .choices import Category, ChildStatus
from .facts import child_facts, facts_snapshot
from .models import CategoryAssignment, CategoryProposal, Child
from .reasons import reasons_text
from .rules import Decision, evaluate_all
from .signals import proposals_changed

Kind = CategoryProposal.Kind
Status = CategoryProposal.Status
# Parameters that move with the calendar; a rejection stands while only these change.
_VOLATILE_PARAMS = {"age", "months"}


def _grounds(rule_code: str, reasons: list) -> list:
    """What a decision rests on, without the day-to-day counters (age in years, months away)."""
    kept = []
    for r in reasons:
        if r.get("warning"):
            continue
        params = r.get("params") or {}
        kept.append([r.get("code"), {k: v for k, v in params.items() if k not in _VOLATILE_PARAMS}])
    return [rule_code, kept]


def _actor(user):
    return user if getattr(user, "is_authenticated", False) else None


def _require_review(user, child: Child) -> None:
    if not user_may(user, Action.REVIEW, child.area_id):
        raise PermissionDenied(_("您没有权限审核该区域儿童的类别认定。"))


def _clip(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _evaluate(child: Child, today: datetime.date) -> tuple[dict, list[Decision]]:
    facts = child_facts(child=child, today=today)
    return facts_snapshot(facts), evaluate_all(facts, settings.SEEDLING_RULES)


@transaction.atomic
def proposals_refresh(*, child: Child, user=None, today: datetime.date | None = None) -> list:
    """Re-run the eligibility rules for one child and bring the review queue in line with them.

    Eligible but not held → a pending ASSIGN proposal; held but no longer eligible → a pending END
    proposal; an identical pending proposal is kept (facts and reasons updated); pending proposals
    that no longer apply are marked superseded. Returns the pending proposals.
    """
    today = today or clock.today()
    # One refresh per child at a time (the unique pending constraint would refuse the second).
    list(Child.objects.select_for_update().filter(pk=child.pk).values_list("pk"))
    snapshot, decisions = _evaluate(child, today)
    held = set(
        CategoryAssignment.objects.filter(child=child, ended_on__isnull=True).values_list(
            "category", flat=True
        )
    )
    pending = {
        (p.category, p.kind): p
        for p in CategoryProposal.objects.select_for_update().filter(child=child, status=Status.PENDING)
    }
    wanted: list[CategoryProposal] = []
    for d in decisions:
        if d.eligible == (d.category in held):
            continue
        kind = Kind.ASSIGN if d.eligible else Kind.END
        reasons = [r.to_json() for r in d.reasons] + [{**w.to_json(), "warning": True} for w in d.warnings]
        proposal = pending.pop((d.category, kind), None)
        if proposal is None:
            if _rejected_on_same_grounds(child, d.category, kind, d.rule_code, reasons):
                continue
            proposal = CategoryProposal.objects.create(
                child=child,
                category=d.category,
                kind=kind,
                rule_code=d.rule_code,
                facts=snapshot,
                reasons=reasons,
                proposed_by=_actor(user),
            )
        elif (proposal.rule_code, proposal.facts, proposal.reasons) != (d.rule_code, snapshot, reasons):
            proposal.rule_code, proposal.facts, proposal.reasons = d.rule_code, snapshot, reasons
            proposal.save(update_fields=["rule_code", "facts", "reasons", "updated_at"])
        wanted.append(proposal)
    for stale in pending.values():
        stale.status = Status.SUPERSEDED
        stale.decided_at = clock.now()
        stale.save(update_fields=["status", "decided_at", "updated_at"])
    proposals_changed.send(sender=CategoryProposal, child=child)
    return wanted


def _rejected_on_same_grounds(child: Child, category: str, kind: str, rule_code: str, reasons: list) -> bool:
    latest = (
        CategoryProposal.objects.filter(child=child, category=category, kind=kind)
        .order_by("-created_at", "-pk")
        .first()
    )
    return (
        latest is not None
        and latest.status == Status.REJECTED
        and _grounds(latest.rule_code, latest.reasons) == _grounds(rule_code, reasons)
    )


def _lock_pending(proposal: CategoryProposal) -> CategoryProposal:
    proposal = CategoryProposal.objects.select_for_update().select_related("child").get(pk=proposal.pk)
    if proposal.status != Status.PENDING:
        raise ValidationError(
            _("该类别变更建议已处理（%(status)s），不能再次审核。")
            % {"status": proposal.get_status_display()}
        )
    return proposal


def _decide(*, user, proposal: CategoryProposal, status: str, note: str) -> None:
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = clock.now()
    proposal.decision_note = _clip(note)
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    proposals_changed.send(sender=CategoryProposal, child=proposal.child)


def _open_assignment(child: Child, category: str) -> CategoryAssignment | None:
    return (
        CategoryAssignment.objects.select_for_update()
        .filter(child=child, category=category, ended_on__isnull=True)
        .first()
    )


@transaction.atomic
def proposal_confirm(
    *,
    user,
    proposal: CategoryProposal,
    note: str = "",
    evidence: str = "",
    today: datetime.date | None = None,
) -> CategoryAssignment:
    """Confirm a pending proposal: ASSIGN opens an assignment, END ends the open one (kept, not deleted).

    Needs the review permission at the child's area (儿童主任, 督导员, county civil affairs).
    """
    today = today or clock.today()
    _require_review(user, proposal.child)
    proposal = _lock_pending(proposal)
    child = proposal.child
    text = _clip(reasons_text(r for r in proposal.reasons if not r.get("warning")))
    assignment = _open_assignment(child, proposal.category)
    if proposal.kind == Kind.ASSIGN:
        if assignment is not None:
            raise ValidationError(_("该儿童已认定为此类别，无需重复认定。"))
        assignment = CategoryAssignment.objects.create(
            child=child,
            category=proposal.category,
            started_on=today,
            reason=text,
            evidence=_clip(evidence.strip()),
            rule_code=proposal.rule_code,
            facts=proposal.facts,
            reasons=proposal.reasons,
            proposal=proposal,
            created_by=user,
        )
    else:
        if assignment is None:
            raise ValidationError(_("该儿童目前没有此类别的有效认定，无法终止。"))
        if today < assignment.started_on:
            raise ValidationError(_("终止日期不能早于认定开始日期。"))
        assignment.ended_on, assignment.end_reason, assignment.ended_by = today, text, user
        assignment.save(update_fields=["ended_on", "end_reason", "ended_by", "updated_at"])
    _decide(user=user, proposal=proposal, status=Status.CONFIRMED, note=note)
    audit_log(
        user=user,
        action="decide",
        obj=proposal,
        child=child,
        reason=note,
        detail={
            "decision": "confirmed",
            "kind": proposal.kind,
            "category": proposal.category,
            "assignment": assignment.pk,
        },
    )
    proposals_refresh(child=child, user=user, today=today)
    return assignment


@transaction.atomic
def proposal_reject(*, user, proposal: CategoryProposal, note: str) -> CategoryProposal:
    """Reject a pending proposal with a written reason; the same proposal is not made again on the
    same grounds (it returns when the facts behind it change)."""
    _require_review(user, proposal.child)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写驳回理由。")})
    proposal = _lock_pending(proposal)
    _decide(user=user, proposal=proposal, status=Status.REJECTED, note=note)
    audit_log(
        user=user,
        action="decide",
        obj=proposal,
        child=proposal.child,
        reason=note,
        detail={"decision": "rejected", "kind": proposal.kind, "category": proposal.category},
    )
    return proposal


def _reject_counter_proposal(*, user, child: Child, category: str, kind: str, reason: str, today) -> None:
    """A reviewer decided against the rule: record it as the rejection of the rule's proposal."""
    for proposal in proposals_refresh(child=child, user=user, today=today):
        if proposal.category == category and proposal.kind == kind:
            _decide(user=user, proposal=proposal, status=Status.REJECTED, note=reason)


def _clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({field: _("请填写理由。")})
    return reason


@transaction.atomic
def category_assign(
    *,
    user,
    child: Child,
    category: str,
    reason: str,
    evidence: str = "",
    started_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> CategoryAssignment:
    """A reviewer assigns a category by hand (facts the rules cannot see), with a reason; logged."""
    today = today or clock.today()
    _require_review(user, child)
    reason = _clean_reason(reason)
    started_on = started_on or today
    if category not in Category.values:
        raise ValidationError({"category": _("请选择类别。")})
    if started_on > today:
        raise ValidationError({"started_on": _("开始日期不能晚于今天。")})
    if _open_assignment(child, category) is not None:
        raise ValidationError({"category": _("该儿童已认定为此类别，无需重复认定。")})
    snapshot, _decisions = _evaluate(child, today)
    assignment = CategoryAssignment.objects.create(
        child=child,
        category=category,
        started_on=started_on,
        reason=_clip(reason),
        evidence=_clip(evidence.strip()),
        rule_code="manual",
        facts=snapshot,
        created_by=user,
    )
    audit_log(
        user=user,
        action="decide",
        obj=assignment,
        child=child,
        reason=reason,
        detail={"decision": "assigned", "category": category},
    )
    _reject_counter_proposal(
        user=user, child=child, category=category, kind=Kind.END, reason=reason, today=today
    )
    return assignment


@transaction.atomic
def category_assignment_end(
    *,
    user,
    assignment: CategoryAssignment,
    reason: str,
    ended_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> CategoryAssignment:
    """A reviewer ends a category by hand, with a reason; the assignment is kept with its end date."""
    today = today or clock.today()
    child = assignment.child
    _require_review(user, child)
    reason = _clean_reason(reason)
    assignment = CategoryAssignment.objects.select_for_update().get(pk=assignment.pk)
    ended_on = ended_on or today
    if assignment.ended_on is not None:
        raise ValidationError(_("该类别认定已终止。"))
    if ended_on > today:
        raise ValidationError({"ended_on": _("结束日期不能晚于今天。")})
    if ended_on < assignment.started_on:
        raise ValidationError({"ended_on": _("终止日期不能早于认定开始日期。")})
    assignment.ended_on, assignment.end_reason, assignment.ended_by = ended_on, _clip(reason), user
    assignment.save(update_fields=["ended_on", "end_reason", "ended_by", "updated_at"])
    audit_log(
        user=user,
        action="decide",
        obj=assignment,
        child=child,
        reason=reason,
        detail={"decision": "ended", "category": assignment.category},
    )
    _reject_counter_proposal(
        user=user, child=child, category=assignment.category, kind=Kind.ASSIGN, reason=reason, today=today
    )
    return assignment


def proposals_refresh_area(*, area_prefix: str = "", today: datetime.date | None = None) -> int:
    """Scheduled re-evaluation (a child turns 16 or 18, a parent's 6 months are reached): refresh every
    child of an area; returns how many children were evaluated.

    Each child is refreshed in its own transaction, so a long run holds no lock for long and a failure
    keeps the work done so far. Closed files are included while they still hold or await a category.
    """
    today = today or clock.today()
    still_relevant = (
        Q(status=ChildStatus.ACTIVE)
        | Exists(CategoryAssignment.objects.filter(child=OuterRef("pk"), ended_on__isnull=True))
        | Exists(CategoryProposal.objects.filter(child=OuterRef("pk"), status=Status.PENDING))
    )
    children = (
        Child.objects.filter(area_q("area", area_prefix))
        .filter(still_relevant)
        .prefetch_related("persons__situations")
        .order_by("pk")
    )
    count = 0
    for child in children.iterator(chunk_size=200):
        proposals_refresh(child=child, today=today)
        count += 1
    return count
