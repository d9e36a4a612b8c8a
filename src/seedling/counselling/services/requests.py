"""Requests for a counsellor (求助请求): create, assign, accept, reassign, close.

A request comes from the portal ("talk to a counsellor"), a screening result, a referral or a member
of staff. It goes at once to an active counsellor who serves the area (the nearest service area
first), speaks the requester's language and has room; if nobody fits, it waits as new and the
county officers of the area get a task to assign it by hand.
"""

import datetime
import re

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from seedling.accounts.roles import Role
from seedling.core import clock
from seedling.core.locking import save_versioned
from seedling.geo.models import Division
from seedling.inbox import services as inbox
from seedling.inbox.models import Task

from .. import access
from ..access_log import counselling_log
from ..models import Counsellor, HelpRequest
from .common import (
    NORMAL_DUE_DAYS,
    OPEN_STATUSES,
    area_prefixes,
    assignee_key,
    end_of_day,
    raise_if,
    request_prefix,
    request_url,
    unassigned_key,
)

LANGUAGE_MAX = 10


def _division(area) -> Division | None:
    if isinstance(area, Division):
        return area
    if area:
        return Division.objects.filter(code=str(area)).first()
    return None


@transaction.atomic
def help_request_create(
    *,
    source,
    area,
    requester="child",
    child=None,
    response=None,
    contact_name="",
    contact="",
    message="",
    language="zh",
    urgent=False,
    user=None,
) -> HelpRequest:
    """Record a request for a counsellor and assign it at once (see help_request_assign).

    `area` is a geo.Division or its code. Anonymous requesters (no child) are fine: the contact
    fields hold only what they chose to give. Bad input raises ValidationError by field.
    """
    division = _division(area)
    if division is None and child is not None:
        division = child.area
    contact_name, contact, message = (
        (contact_name or "").strip(),
        (contact or "").strip(),
        (message or "").strip(),
    )
    language = (language or "zh").strip()
    errors: dict[str, str] = {}
    if source not in HelpRequest.Source.values:
        errors["source"] = _("求助来源无效。")
    if requester not in HelpRequest.Requester.values:
        errors["requester"] = _("请选择求助人。")
    if division is None:
        errors["area"] = _("请选择所在区域。")
    if len(contact_name) > 50:
        errors["contact_name"] = _("称呼不能超过 50 个字。")
    if len(contact) > 50:
        errors["contact"] = _("联系方式不能超过 50 个字。")
    if len(message) > 2000:
        errors["message"] = _("想说的话不能超过 2000 个字。")
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{1,6})?", language) or len(language) > LANGUAGE_MAX:
        errors["language"] = _("请选择希望使用的语言。")
    raise_if(errors)
    request = HelpRequest.objects.create(
        source=source,
        requester=requester,
        area=division,
        child=child,
        response=response,
        contact_name=contact_name,
        contact=contact,
        message=message,
        language=language,
        urgent=bool(urgent),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if child is not None:
        # Logged by area and request, not in the child's file (see access_log).
        counselling_log(
            user=user, action="create", obj=request, area_code=division.code, detail={"source": source}
        )
    return help_request_assign(request=request)


def open_counts(counsellor_ids) -> dict[int, int]:
    """How many open requests each counsellor carries."""
    rows = (
        HelpRequest.objects.filter(counsellor_id__in=list(counsellor_ids), status__in=OPEN_STATUSES)
        .values("counsellor_id")
        .annotate(n=Count("pk"))
    )
    return {row["counsellor_id"]: row["n"] for row in rows}


def counsellor_candidates(*, area_code: str, language: str) -> list[Counsellor]:
    """Active counsellors serving `area_code` who speak `language` and have room, best first.

    Best = the most specific matching service area (a township counsellor before a county-wide one),
    then the fewest open requests, then the longest in the pool.
    """
    prefixes = area_prefixes(area_code)
    through = Counsellor.areas.through
    depth: dict[int, int] = {}
    for counsellor_id, division_id in through.objects.filter(division_id__in=prefixes).values_list(
        "counsellor_id", "division_id"
    ):
        depth[counsellor_id] = max(depth.get(counsellor_id, 0), len(division_id))
    pool = list(
        Counsellor.objects.select_related("user")
        .filter(pk__in=depth, active=True, user__is_active=True)
        .filter(languages__contains=f",{language},")
    )
    counts = open_counts(c.pk for c in pool)
    fitting = [c for c in pool if counts.get(c.pk, 0) < c.capacity]
    fitting.sort(key=lambda c: (-depth[c.pk], counts.get(c.pk, 0), c.pk))
    return fitting


def _assignee_task(request: HelpRequest, counsellor: Counsellor) -> None:
    today = clock.today()
    if request.urgent:
        title = _("紧急求助待处理（#%(pk)s）") % {"pk": request.pk}
        due, priority = end_of_day(today), Task.Priority.URGENT
    else:
        title = _("新的求助待处理（#%(pk)s）") % {"pk": request.pk}
        due, priority = end_of_day(today + datetime.timedelta(days=NORMAL_DUE_DAYS)), Task.Priority.NORMAL
    # task_open notifies the assignee of a new task (in the app and by e-mail).
    inbox.task_open(
        key=assignee_key(request.pk, counsellor.pk),
        kind="help_request",
        title=title,
        url=request_url(request),
        assignee=counsellor.user,
        area_code=request.area_id,
        child=request.child,
        due_at=due,
        priority=priority,
    )


def _unassigned_task(request: HelpRequest) -> None:
    today = clock.today()
    inbox.task_open(
        key=unassigned_key(request.pk),
        kind="help_request_unassigned",
        title=_("求助无合适的心理辅导员，请人工分派（#%(pk)s）") % {"pk": request.pk},
        url=request_url(request),
        assignee_role=Role.COUNTY_OFFICER,
        area_code=request.area_id,
        child=request.child,
        due_at=end_of_day(today if request.urgent else today + datetime.timedelta(days=1)),
        priority=Task.Priority.URGENT if request.urgent else Task.Priority.NORMAL,
    )


@transaction.atomic
def help_request_assign(
    *, request: HelpRequest, counsellor: Counsellor | None = None, user=None
) -> HelpRequest:
    """Give a new request to `counsellor`, or to the best fitting one (see counsellor_candidates).

    If nobody fits, the request stays new and the county officers of its area get a task.
    """
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != HelpRequest.Status.NEW:
        raise_if({"status": _("该求助已分派。")})
    if counsellor is None:
        candidates = counsellor_candidates(area_code=request.area_id, language=request.language)
        counsellor = candidates[0] if candidates else None
    if counsellor is None:
        _unassigned_task(request)
        return request
    _give(request, counsellor)
    request.save()
    return request


def _give(request: HelpRequest, counsellor: Counsellor) -> None:
    request.counsellor = counsellor
    request.status = HelpRequest.Status.ASSIGNED
    request.assigned_at = clock.now()
    request.version += 1
    inbox.task_close(key=unassigned_key(request.pk))
    _assignee_task(request, counsellor)


def assignment_problem(request: HelpRequest, counsellor: Counsellor) -> str | None:
    """Why `counsellor` cannot take `request` (None: they can)."""
    if not counsellor.active or not counsellor.user.is_active:
        return _("该心理辅导员不在岗。")
    if not any(counsellor.areas.filter(code__in=area_prefixes(request.area_id)).values_list("pk", flat=True)):
        return _("该心理辅导员不服务求助所在区域。")
    return None


@transaction.atomic
def help_request_reassign(
    *, request: HelpRequest, counsellor: Counsellor, user, expected_version: int
) -> HelpRequest:
    """Move an open request to another counsellor (by the supervisor or a county officer).

    Nobody moves a request to themselves, and a request with session notes moves only by the
    supervisor's decision (access.reassign_problem): otherwise an officer could take the notes.
    """
    if not access.may_reassign(user, request):
        raise PermissionDenied
    if request.status == HelpRequest.Status.CLOSED:
        raise_if({"status": _("该求助已结束，不能再分派。")})
    problem = access.reassign_problem(user, request)
    raise_if({NON_FIELD_ERRORS: problem} if problem else {})
    if counsellor.user_id == user.pk:
        problem = _("不能把求助分派给自己，请选择另一位心理辅导员。")
    else:
        problem = assignment_problem(request, counsellor)
    if problem is None and counsellor.pk == request.counsellor_id:
        problem = _("该求助已由这位心理辅导员负责。")
    raise_if({"counsellor": problem} if problem else {})
    previous = request.counsellor_id
    inbox.tasks_close_prefix(prefix=request_prefix(request.pk), user=user)
    request.counsellor = counsellor
    request.status = HelpRequest.Status.ASSIGNED
    request.assigned_at = clock.now()
    save_versioned(request, expected_version=expected_version)
    _assignee_task(request, counsellor)
    counselling_log(
        user=user,
        action="change",
        obj=request,
        area_code=request.area_id,
        detail={"reassigned_from": previous, "reassigned_to": counsellor.pk},
    )
    return request


@transaction.atomic
def help_request_accept(*, request: HelpRequest, user, expected_version: int) -> HelpRequest:
    """The assigned counsellor takes the request up (已分派 → 跟进中); their task is done."""
    if request.counsellor is None or request.counsellor.user_id != user.pk:
        raise_if({"status": _("只有负责的心理辅导员可以接收该求助。")})
    if request.status != HelpRequest.Status.ASSIGNED:
        raise_if({"status": _("该求助不在待接收状态。")})
    request.status = HelpRequest.Status.IN_PROGRESS
    save_versioned(request, expected_version=expected_version)
    inbox.task_close(key=assignee_key(request.pk, request.counsellor_id), user=user)
    return request


@transaction.atomic
def help_request_close(*, request: HelpRequest, user, note: str, expected_version: int) -> HelpRequest:
    """Close a request with a note saying how it ended (its counsellor or their supervisor)."""
    if not access.may_read_contents(user, request):
        raise PermissionDenied
    note = (note or "").strip()
    errors = {}
    if request.status == HelpRequest.Status.CLOSED:
        errors["status"] = _("该求助已结束。")
    if not note:
        errors["closing_note"] = _("请填写结束说明。")
    elif len(note) > 300:
        errors["closing_note"] = _("结束说明不能超过 300 个字。")
    raise_if(errors)
    request.status = HelpRequest.Status.CLOSED
    request.closed_at = clock.now()
    request.closing_note = note
    save_versioned(request, expected_version=expected_version)
    inbox.tasks_close_prefix(prefix=request_prefix(request.pk), user=user, status=Task.Status.DONE)
    return request


def new_requests_assign() -> int:
    """Try again to assign every waiting request (a counsellor may have freed up or joined)."""
    assigned = 0
    for request in HelpRequest.objects.filter(status=HelpRequest.Status.NEW).order_by("-urgent", "pk"):
        candidates = counsellor_candidates(area_code=request.area_id, language=request.language)
        if candidates:
            with transaction.atomic():
                locked = HelpRequest.objects.select_for_update().get(pk=request.pk)
                if locked.status == HelpRequest.Status.NEW:
                    _give(locked, candidates[0])
                    locked.save()
                    assigned += 1
    return assigned
