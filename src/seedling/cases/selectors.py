"""Every read of the cases app, always scoped: by the child's area and the user's case roles, or, for
a receiving organization, by membership of the organization a referral is addressed to."""

from django.db.models import Q, QuerySet
from django.http import Http404

from seedling.accounts.models import Membership, User
from seedling.accounts.roles import Action, Role
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.scope import area_q
from seedling.registry.models import Person
from seedling.registry.validation import age_on

from . import access, rules
from .choices import ApprovalDecision, CaseStatus, SharedPart, TransferStatus
from .models import (
    ApprovalRequest,
    Assessment,
    Case,
    Organization,
    PlanAction,
    PlanGoal,
    Referral,
    TransferRequest,
)


def _area_prefixes(area_code: str) -> list[str]:
    return [area_code[:n] for n in (2, 4, 6, 9, 12) if len(area_code) >= n]


def case_list(*, user, filters: dict | None = None) -> QuerySet:
    """Cases of children in the areas where the user does case work or oversees it; "mine" = the user's
    own as worker. Filters: status ("open" = not closed), risk, area prefix, q (case number or name)."""
    filters = filters or {}
    qs = access.scoped(Case.objects.select_related("child", "child__area", "worker"), user, access.CASE_VIEW)
    if filters.get("mine"):
        qs = qs.filter(worker=user)
    status = filters.get("status")
    if status == "open":
        qs = qs.exclude(status=CaseStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("risk"):
        qs = qs.filter(risk_level=filters["risk"])
    if filters.get("area"):
        qs = qs.filter(area_q("child__area", filters["area"]))
    query = (filters.get("q") or "").strip()
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(child__name__contains=query))
        logged = "[number]" if any(c.isdigit() for c in query) else query
        audit_log(user=user, action="search", detail={"query": logged, "in": "cases"})
    return qs.order_by("-opened_on", "-pk")


def case_get(*, user, pk: int) -> Case:
    """One case in the user's scope, or 404 (never 403: existence is not revealed)."""
    case = (
        case_list(user=user)
        .select_related("child__area__parent", "supervisor", "opened_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def plan_action_get(*, user, pk: int) -> PlanAction:
    """A plan action of a case in the user's scope, or 404."""
    action = (
        PlanAction.objects.filter(pk=pk, case__in=case_list(user=user)).select_related("case__child").first()
    )
    if action is None:
        raise Http404
    return action


def plan_goal_get(*, user, pk: int) -> PlanGoal:
    """A plan goal of a case in the user's scope, or 404."""
    goal = PlanGoal.objects.filter(pk=pk, case__in=case_list(user=user)).select_related("case__child").first()
    if goal is None:
        raise Http404
    return goal


def case_open(*, user, pk: int) -> Case:
    """Open a case to read it: scope-checked and written to the access log."""
    case = case_get(user=user, pk=pk)
    audit_log(user=user, action="view", obj=case, child=case.child)
    return case


def case_parts(*, case: Case) -> dict:
    """Everything recorded on a case already opened through case_open."""
    return {
        "assessments": list(case.assessments.select_related("assessed_by")),
        "goals": list(case.plangoals.prefetch_related("actions")),
        "actions": list(case.planactions.select_related("owner", "goal")),
        "services": list(case.servicerecords.select_related("provider_user", "provider_org")),
        "reviews": list(case.casereviews.select_related("reviewer")),
        "approvals": list(
            case.approvals.select_related("requested_by", "decided_by").order_by("-requested_at", "-pk")
        ),
        "events": list(case.events.select_related("actor")[:100]),
        "referrals": list(case.referrals.select_related("organization")),
    }


def child_cases(*, user, child) -> QuerySet:
    """The cases of one child the user may see (for the child's file)."""
    return case_list(user=user).filter(child=child)


def approval_queue(*, user) -> QuerySet:
    """Plans and closures waiting for the user's decision (supervisor or county of the child's area)."""
    qs = access.scoped(
        ApprovalRequest.objects.select_related("case", "child", "child__area", "requested_by"),
        user,
        access.CASE_APPROVE,
    )
    return qs.filter(decision=ApprovalDecision.PENDING).order_by("requested_at", "pk")


def approval_get(*, user, pk: int) -> ApprovalRequest:
    approval = access.scoped(ApprovalRequest.objects.select_related("case", "child"), user, access.CASE_VIEW)
    approval = approval.filter(pk=pk).first()
    if approval is None:
        raise Http404
    return approval


# --- transfers ---


def transfer_incoming(*, user) -> QuerySet:
    """Transfers into the villages where the user may accept a child (director, supervisor, county)."""
    prefixes = access.role_prefixes(user, access.TRANSFER_DECIDE, action=Action.CHANGE)
    rows = TransferRequest.objects.filter(access.prefix_q("to_area", prefixes))
    return rows.select_related("child", "from_area", "to_area", "requested_by").order_by(
        "-requested_at", "-pk"
    )


def transfer_outgoing(*, user) -> QuerySet:
    """Transfers out of the user's areas (kept visible after the child has left), or asked by the user."""
    prefixes = access.role_prefixes(user, frozenset(Role.values), action=Action.CHANGE)
    rows = TransferRequest.objects.filter(access.prefix_q("from_area", prefixes) | Q(requested_by=user))
    return rows.select_related("child", "from_area", "to_area", "requested_by").order_by(
        "-requested_at", "-pk"
    )


def transfer_get(*, user, pk: int) -> TransferRequest:
    """A transfer the user sends, receives or whose child is in the user's scope; otherwise 404."""
    for rows in (transfer_incoming(user=user), transfer_outgoing(user=user)):
        found = rows.filter(pk=pk).first()
        if found is not None:
            return found
    raise Http404


def transfer_open(*, user, pk: int) -> TransferRequest:
    """Read a transfer (it shows the child's name, age and village): written to the access log."""
    transfer = transfer_get(user=user, pk=pk)
    audit_log(user=user, action="view", obj=transfer, child=transfer.child)
    return transfer


def pending_transfer(*, child) -> TransferRequest | None:
    return (
        TransferRequest.objects.filter(child=child, status=TransferStatus.REQUESTED)
        .select_related("to_area")
        .first()
    )


# --- organizations ---


def organization_list(*, filters: dict | None = None) -> QuerySet:
    """The directory (reference data, not children's data): by kind, service, area served, name."""
    filters = filters or {}
    qs = Organization.objects.prefetch_related("areas")
    if not filters.get("include_inactive"):
        qs = qs.filter(active=True)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("service"):
        qs = qs.filter(services__contains=f",{filters['service']},")
    if filters.get("area"):
        qs = qs.filter(Q(nationwide=True) | Q(areas__code__in=_area_prefixes(filters["area"]))).distinct()
    if filters.get("q"):
        qs = qs.filter(name__icontains=filters["q"].strip())
    return qs.order_by("name", "pk")


def organization_get(*, pk: int) -> Organization:
    organization = Organization.objects.filter(pk=pk).prefetch_related("areas", "members").first()
    if organization is None:
        raise Http404
    return organization


def organizations_serving(*, area_code: str) -> QuerySet:
    return organization_list(filters={"area": area_code})


# --- referrals ---


def referral_sent(*, user) -> QuerySet:
    """Referrals of children in the user's case areas (sent by the area; they follow a moved child)."""
    qs = access.scoped(
        Referral.objects.select_related("child", "child__area", "organization", "sent_by"),
        user,
        access.CASE_VIEW,
    )
    return qs.order_by("-sent_at", "-pk")


def referral_received(*, user) -> QuerySet:
    """Exactly the referrals addressed to the (active) organizations the user acts for."""
    if not user.is_authenticated:
        return Referral.objects.none()
    qs = Referral.objects.filter(organization__members=user, organization__active=True)
    return qs.select_related("organization", "child__area").order_by("-sent_at", "-pk")


def referral_get(*, user, pk: int) -> tuple[Referral, str]:
    """A referral and the user's side of it ("sender" or "receiver"); 404 for anyone else."""
    referral = referral_sent(user=user).filter(pk=pk).first()
    if referral is not None:
        return referral, "sender"
    referral = referral_received(user=user).filter(pk=pk).first()
    if referral is not None:
        return referral, "receiver"
    raise Http404


def referral_open(*, user, pk: int) -> tuple[Referral, str, dict]:
    """Read a referral with the part of the child's file it shares; every read is logged (the receiving
    organization's only window on the child)."""
    referral, side = referral_get(user=user, pk=pk)
    shared = referral_shared(referral=referral)
    audit_log(
        user=user,
        action="view",
        obj=referral,
        child=referral.child,
        detail={"side": side, "shared": sorted(k for k in shared if k != "basic")},
    )
    return referral, side, shared


def referral_shared(*, referral: Referral) -> dict:
    """The minimum of the child's file a referral shares: basic facts always (name, sex, age,
    village); guardian contact, health and assessment summary only if the sender chose them and the
    referral is still open."""
    child = referral.child
    village = child.area
    shared: dict = {
        "basic": {
            "name": child.name,
            "sex": child.get_sex_display(),
            "age": age_on(child.birth_date, clock.today()),
            "village": f"{village.parent.name if village.parent_id else ''} {village.name}".strip(),
        }
    }
    parts = rules.referral_visible_parts(
        chosen=[
            p
            for p, on in (
                (SharedPart.GUARDIAN_CONTACT, referral.share_guardian_contact),
                (SharedPart.HEALTH, referral.share_health),
                (SharedPart.ASSESSMENT, referral.share_assessment),
            )
            if on
        ],
        status=referral.status,
    )
    if SharedPart.GUARDIAN_CONTACT in parts:
        people = Person.objects.filter(child=child).filter(Q(is_guardian=True) | Q(is_delegated_carer=True))
        shared["guardian_contact"] = [
            {"name": p.name, "relation": p.get_relation_display(), "phone": p.phone}
            for p in people.order_by("pk")
        ]
    if SharedPart.HEALTH in parts:
        shared["health"] = {
            "health": child.get_health_display(),
            "notes": child.health_notes,
            "disability": f"{child.get_disability_type_display()} {child.get_disability_grade_display() or ''}".strip()
            if child.disability_type
            else "",
        }
    if SharedPart.ASSESSMENT in parts:
        rows = Assessment.objects.filter(child=child)
        latest = (
            (rows.filter(case=referral.case) if referral.case_id else rows)
            .order_by("-assessed_on", "-pk")
            .first()
        )
        latest = latest or rows.order_by("-assessed_on", "-pk").first()
        if latest is not None:
            shared["assessment"] = {
                "assessed_on": latest.assessed_on,
                "risk_level": latest.get_risk_level_display(),
                "domains": [
                    (
                        str(Assessment._meta.get_field(f"{d}_rating").verbose_name),
                        getattr(latest, f"get_{d}_rating_display")(),
                    )
                    for d in ("safety", "health", "education", "family", "emotional")
                ],
                "summary": latest.summary,
            }
    return shared


def workers_for(*, area_code: str) -> QuerySet:
    """People who may be a case's worker (or an action's owner) for a child of this area."""
    memberships = Membership.objects.filter(role__in=access.CASE_WORK, is_active=True).filter(
        Q(area_id__in=_area_prefixes(area_code)) | Q(area__isnull=True)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by(
        "full_name", "username"
    )
