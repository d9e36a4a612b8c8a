"""Reads of screening campaigns, invitations, consents and results: always scoped by area.

Campaigns and their results are seen by users with SCREEN or COUNSEL over the campaign's area (the
school counsellor, the county officer running screening); never by a village director or anyone else.
A result in a child's file is seen by SCREEN or COUNSEL over the child's area. Reads of results are
written to the access log, one row per child shown (campaign_access).

Policy (deliberate): a result of a class or school campaign is visible to SCREEN/COUNSEL over the
SCHOOL's area (the campaign's area) even when the child lives elsewhere: the school counsellor who ran
the screening must follow up the pupils of that school. The child's file, in turn, shows the result
only to SCREEN/COUNSEL over the child's own area.

The child an invitation is about is always the student's CURRENT registered child (subject_child), so
a wrong match corrected during the campaign moves results, consent and age with it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from seedling.accounts.models import Membership, User
from seedling.accounts.roles import ROLE_ACTIONS, Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.models import AccessLog
from seedling.core.scope import area_q, collapse_prefixes, restrict
from seedling.geo.models import Division
from seedling.schools.models import School, SchoolClass, Student

from . import rules
from .campaign_access import campaign_reason, invitations_read
from .campaigns import code_hash, may_read_results
from .models import Campaign, GuardianConsent, Invitation, QuestionnaireVersion, Response
from .selectors import questionnaire_list

READ_ACTIONS = (Action.SCREEN, Action.COUNSEL)


def high_risk_q() -> Q:
    """Red, or a result that asks for an urgent referral today (see rules.is_high_risk)."""
    return Q(band="red") | Q(action=rules.URGENT_ACTION)


def _scoped(queryset: QuerySet, user, actions=READ_ACTIONS) -> QuerySet:
    result = queryset.none()
    for action in actions:
        result = result | restrict(queryset, user, action)
    return result


def campaign_list(*, user, filters: dict | None = None) -> QuerySet:
    """Campaigns over areas where the user screens or counsels; filter by status."""
    filters = filters or {}
    qs = _scoped(Campaign.objects.all(), user).select_related(
        "area", "school", "school_class", "counsellor", "questionnaire_version__questionnaire"
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("mine"):
        qs = qs.filter(counsellor=user)
    return qs.order_by("-opens_at", "-pk")


def campaign_get(*, user, pk: int) -> Campaign:
    """One campaign in the user's scope, or 404 (existence is not revealed)."""
    campaign = campaign_list(user=user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_by_token(*, token: str) -> Campaign | None:
    """The campaign behind a public link; the unguessable token is the only key (no sign-in)."""
    return (
        Campaign.objects.select_related("area", "school", "school_class", "questionnaire_version")
        .filter(token=token)
        .first()
    )


def invitation_get(*, user, campaign: Campaign, pk: int) -> Invitation:
    """An invitation of a campaign the user may see (the campaign was read through campaign_get)."""
    invitation = (
        _scoped(Invitation.objects.filter(campaign=campaign), user)
        .select_related("student__school_class__school", "student__child", "child", "response", "campaign")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitation_for_code(*, campaign: Campaign, code: str) -> Invitation | None:
    """The invitation a personal code opens, in this campaign only; None for any wrong code."""
    normalized = rules.code_normalize(code)
    if not normalized:
        return None
    return (
        Invitation.objects.select_related("student__child", "child", "campaign")
        .filter(campaign=campaign, code_hash=code_hash(campaign.pk, normalized))
        .first()
    )


def subject_child(invitation: Invitation):
    """The registered child an invitation is about: the student's CURRENT child, or (area campaigns,
    no student) the invitation's own. Never a copy taken when the campaign opened."""
    return invitation.subject_child


def subject_birth_date(invitation: Invitation) -> datetime.date | None:
    child = subject_child(invitation)
    if child is not None:
        return child.birth_date
    return invitation.student.birth_date if invitation.student_id else None


def _active_consents(campaign: Campaign, today: datetime.date) -> QuerySet:
    return GuardianConsent.objects.filter(
        Q(campaign__isnull=True) | Q(campaign=campaign), withdrawn_at__isnull=True, given_on__lte=today
    )


def consent_active(*, invitation: Invitation, today: datetime.date | None = None) -> bool:
    """Whether a guardian's consent covers this child for this campaign (general or this one, not withdrawn)."""
    today = today or clock.today()
    child = subject_child(invitation)
    subject = Q(pk__in=[])
    if invitation.student_id:
        subject |= Q(student_id=invitation.student_id)
    if child is not None:
        subject |= Q(child_id=child.pk) | Q(student__child_id=child.pk)
    return _active_consents(invitation.campaign, today).filter(subject).exists()


def consent_missing(*, invitation: Invitation, today: datetime.date | None = None) -> bool:
    """Under 14 (or age unknown) without an active consent: identified screening may not start (PIPL Art. 31)."""
    today = today or clock.today()
    if not rules.needs_guardian_consent(subject_birth_date(invitation), today):
        return False
    return not consent_active(invitation=invitation, today=today)


AWAITING_CONSENT = "awaiting_consent"


@dataclass
class InvitationRow:
    invitation: Invitation
    name: str
    group: str  # the class, or the village for an area campaign
    state: str  # invited / started / completed / excused / awaiting_consent
    band: str = ""
    response_uuid: str = ""


def invitation_rows(*, campaign: Campaign, today: datetime.date | None = None) -> list[InvitationRow]:
    """Every invitation with its state; "awaiting consent" where a guardian's consent is still needed."""
    today = today or clock.today()
    invitations = list(
        campaign.invitations.select_related(
            "student__school_class", "student__child", "child__area", "response"
        ).order_by("pk")
    )
    consents = _active_consents(campaign, today).filter(
        Q(student__in=campaign.invitations.values("student_id"))
        | Q(child__in=campaign.invitations.values("child_id"))
        | Q(child__in=campaign.invitations.values("student__child_id"))
    )
    consented_students, consented_children = set(), set()
    for student_id, child_id, student_child_id in consents.values_list(
        "student_id", "child_id", "student__child_id"
    ):
        consented_students.add(student_id)
        consented_children.update({child_id, student_child_id})
    rows = []
    for inv in invitations:
        child = subject_child(inv)
        state = inv.status
        if state in (Invitation.Status.INVITED, Invitation.Status.STARTED):
            covered = inv.student_id in consented_students or (
                child is not None and child.pk in consented_children
            )
            if rules.needs_guardian_consent(subject_birth_date(inv), today) and not covered:
                state = AWAITING_CONSENT
        response = inv.response if inv.response_id else None
        rows.append(
            InvitationRow(
                invitation=inv,
                name=inv.student.name if inv.student_id else inv.child.name,
                group=inv.student.school_class.name if inv.student_id else inv.child.area.name,
                state=state,
                band=response.band if response else "",
                response_uuid=str(response.uuid) if response else "",
            )
        )
    return rows


def campaign_results_read(
    *, user, campaign: Campaign, shown: int, invitations=(), where: str = "progress"
) -> None:
    """Log that the user read the campaign's results (the progress page or the API list): one row on
    the campaign, and one per child listed (`invitations`), so each child's trail shows the read."""
    audit_log(
        user=user,
        action=AccessLog.Action.VIEW,
        obj=campaign,
        area_code=campaign.area_id,
        reason=campaign_reason(campaign),
        detail={"screening_results": shown},
    )
    invitations_read(user=user, campaign=campaign, invitations=invitations, shown=where)


def screening_result_get(*, user, uuid) -> Response:
    """One identified screening result, for SCREEN/COUNSEL over the child's or the campaign's area; logged.

    The campaign's area is the school's for a class or school campaign: the school counsellor reads the
    results of the pupils of that school wherever they live (see the module's policy). Anonymous
    answers are never shown one by one (a small group and a time can identify a child).
    """
    response = (
        Response.objects.select_related(
            "child__area", "campaign__area", "instrument_version__instrument", "questionnaire_version"
        )
        .filter(uuid=uuid, anonymous=False)
        .filter(Q(child__isnull=False) | Q(campaign__isnull=False))
        .first()
    )
    if response is None:
        raise Http404
    allowed = (response.child_id and may_read_results(user, response.child.area_id)) or (
        response.campaign_id and may_read_results(user, response.campaign.area_id)
    )
    if not allowed:
        raise Http404
    audit_log(
        user=user,
        action=AccessLog.Action.VIEW,
        obj=response,
        child=response.child,
        area_code=response.campaign.area_id if response.campaign_id else "",
    )
    return response


def child_screening_results(*, user, child) -> list[Response]:
    """Screening results in a child's file; empty for anyone without SCREEN or COUNSEL over the child's area."""
    if not may_read_results(user, child.area_id):
        return []
    return list(
        Response.objects.filter(child=child)
        .select_related("instrument_version__instrument", "questionnaire_version__questionnaire", "campaign")
        .order_by("-submitted_at")
    )


def _consent_scope(queryset: QuerySet, user) -> QuerySet:
    if user is None or not user.is_authenticated:
        return queryset.none()
    prefixes = collapse_prefixes(user.area_prefixes(Action.SCREEN))
    if "" in prefixes:
        return queryset
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= area_q("child__area", prefix) | area_q("student__school_class__school__area", prefix)
    return queryset.filter(condition)


def consent_list(*, user, student=None, child=None) -> QuerySet:
    """Guardian consents the user may manage (SCREEN over the child's or the student's school area)."""
    qs = _consent_scope(GuardianConsent.objects.all(), user).select_related("campaign", "recorded_by")
    subject = Q(pk__in=[])
    if student is not None:
        subject |= Q(student=student)
        if student.child_id:
            subject |= Q(child_id=student.child_id)
    if child is not None:
        subject |= Q(child=child) | Q(student__child=child)
    if student is not None or child is not None:
        qs = qs.filter(subject)
    return qs.order_by("-given_on", "-pk")


def student_get(*, user, pk: int) -> Student | None:
    """A student on a roll of a school where the user screens (None otherwise)."""
    return restrict(Student.objects.select_related("child"), user, Action.SCREEN).filter(pk=pk).first()


def consent_get(*, user, pk: int) -> GuardianConsent:
    consent = consent_list(user=user).select_related("student", "child").filter(pk=pk).first()
    if consent is None:
        raise Http404
    return consent


def questionnaire_versions() -> list[QuestionnaireVersion]:
    """The current version of every questionnaire, instruments first: what a campaign can use."""
    return [v for v in (q.current_version() for q in questionnaire_list()) if v is not None]


def class_choices(*, user) -> QuerySet:
    return restrict(SchoolClass.objects.select_related("school"), user, Action.SCREEN).filter(
        school__active=True
    )


def school_choices(*, user) -> QuerySet:
    return restrict(School.objects.all(), user, Action.SCREEN).filter(active=True)


def area_choices(*, user) -> list[Division]:
    """The areas where the user screens, and one level below each (a township's villages)."""
    prefixes = collapse_prefixes(user.area_prefixes(Action.SCREEN))
    rows = Division.objects.filter(Q(code__in=prefixes) | Q(parent_id__in=prefixes)).order_by("code")
    return list(rows.select_related("parent"))


def counsellor_choices(*, user) -> list[User]:
    """Users with SCREEN or COUNSEL whose area overlaps the user's screening areas."""
    roles = [role for role, actions in ROLE_ACTIONS.items() if actions & set(READ_ACTIONS)]
    prefixes = collapse_prefixes(user.area_prefixes(Action.SCREEN))
    found = {}
    memberships = Membership.objects.filter(role__in=roles, is_active=True, user__is_active=True)
    for m in memberships.select_related("user"):
        code = m.area_id or ""
        if any(code.startswith(p) or p.startswith(code) for p in prefixes):
            found[m.user_id] = m.user
    return sorted(found.values(), key=lambda u: (u.full_name or u.username, u.pk))
