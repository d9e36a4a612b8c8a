"""Who may do what in counselling: the pool's managers, a request's counsellor and supervisor.

- County officers (an active membership with role county_officer) manage the counsellor pool of
  their county and see how many requests there are, never what they say. Holding Action.SCREEN is
  not enough: a school counsellor at county level screens but does not manage colleagues.
- Nobody manages their own place in the pool: an officer cannot add themselves, make themselves a
  supervisor or take a request over (the services refuse it), so reading a child's words always
  needs a second person's decision.
- A request's contents (message, contact, child) and its session notes are for the counsellor who
  owns it and that counsellor's supervisor (Counsellor.supervisor) alone: not the area's officers,
  not the system administrator, not other counsellors.
"""

from django.utils.translation import gettext as _

from seedling.accounts.roles import Role

from .models import Counsellor, HelpRequest, SessionNote


def officer_prefixes(user) -> list[str]:
    """Areas where `user` manages the counsellor pool: their active county_officer memberships."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return [m.area_code for m in user.active_memberships() if m.role == Role.COUNTY_OFFICER and m.area_code]


def is_officer_for(user, area_code: str) -> bool:
    return any(area_code.startswith(p) for p in officer_prefixes(user))


def counsellor_of(user) -> Counsellor | None:
    """The user's own counsellor profile, if they are in the pool."""
    if user is None or not user.is_authenticated:
        return None
    return Counsellor.objects.filter(user=user).select_related("home_area", "supervisor").first()


def is_owner(user, request: HelpRequest) -> bool:
    return request.counsellor_id is not None and request.counsellor.user_id == user.pk


def is_supervisor(user, request: HelpRequest) -> bool:
    return request.counsellor_id is not None and request.counsellor.supervisor_id == user.pk


def may_read_contents(user, request: HelpRequest) -> bool:
    """Message, contact, child and session notes: the owning counsellor and their supervisor only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_owner(user, request) or is_supervisor(user, request)


def may_reassign(user, request: HelpRequest) -> bool:
    """The owning counsellor's supervisor, or a county officer of the request's area."""
    if request.status == HelpRequest.Status.CLOSED:
        return False
    return is_supervisor(user, request) or is_officer_for(user, request.area_id)


def reassign_problem(user, request: HelpRequest) -> str | None:
    """Why `user` may not move this request (None: they may, as far as the notes go).

    Once a counsellor has written notes, moving the request hands those notes to someone else: only
    the supervisor, who already reads them, decides that. Officers distribute requests without notes.
    """
    if is_supervisor(user, request) or not SessionNote.objects.filter(request_id=request.pk).exists():
        return None
    return _(
        "该求助已有辅导记录，只能由负责辅导员的督导改派；如该辅导员没有督导，请先在辅导员库中为其指定督导。"
    )


def may_manage_counsellor(user, counsellor: Counsellor | None = None, area_code: str = "") -> bool:
    """County officers manage the counsellors whose home area is in their area, except themselves
    (a counsellor edits their own languages, phone and availability on their own profile)."""
    if counsellor is not None and user is not None and counsellor.user_id == user.pk:
        return False
    code = counsellor.home_area_id if counsellor is not None else area_code
    if counsellor is None and not code:
        return bool(officer_prefixes(user))
    return is_officer_for(user, code)
