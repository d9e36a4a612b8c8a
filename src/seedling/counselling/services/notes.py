"""Session notes (辅导记录) and their follow-up dates.

Only the counsellor who owns the request and that counsellor's supervisor write (and read) notes.
A note's `next_on` is the next follow-up: the daily job gives the counsellor a task the day before;
writing the next note closes it.
"""

import datetime

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.inbox import services as inbox

from .. import access
from ..access_log import counselling_log
from ..models import HelpRequest, SessionNote
from .common import end_of_day, followup_key, raise_if, request_url

TEXT_MAX = 5000


@transaction.atomic
def session_note_write(*, user, request: HelpRequest, fields: dict) -> SessionNote:
    """Write a session note on an open request (its counsellor or their supervisor; others 404)."""
    if not access.may_read_contents(user, request):
        raise Http404
    today = clock.today()
    text = (fields.get("text") or "").strip()
    held_on = fields.get("held_on") or today
    next_on = fields.get("next_on")
    mode = fields.get("mode") or SessionNote.Mode.IN_PERSON
    risk = fields.get("risk") or SessionNote.Risk.NONE
    errors: dict[str, str] = {}
    if request.status == HelpRequest.Status.CLOSED:
        errors["status"] = _("该求助已结束，不能再写辅导记录。")
    elif request.status == HelpRequest.Status.NEW:
        errors["status"] = _("该求助尚未分派。")
    if not text:
        errors["text"] = _("请填写辅导记录。")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("辅导记录不能超过 5000 个字。")
    if held_on > today:
        errors["held_on"] = _("辅导日期不能晚于今天。")
    if next_on is not None and next_on < today:
        errors["next_on"] = _("下次跟进日期不能早于今天。")
    if mode not in SessionNote.Mode.values:
        errors["mode"] = _("请选择辅导方式。")
    if risk not in SessionNote.Risk.values:
        errors["risk"] = _("请选择风险评估。")
    raise_if(errors)
    note = SessionNote.objects.create(
        request=request,
        child=request.child,
        counsellor=request.counsellor,
        written_by=user,
        held_on=held_on,
        mode=mode,
        risk=risk,
        text=text,
        next_on=next_on,
    )
    # A note on an assigned request means the counsellor has taken it up.
    if request.status == HelpRequest.Status.ASSIGNED:
        HelpRequest.objects.filter(pk=request.pk).update(
            status=HelpRequest.Status.IN_PROGRESS, version=request.version + 1
        )
        request.refresh_from_db()
        inbox.tasks_close_prefix(prefix=f"help_request:{request.pk}:c", user=user, status="done")
    inbox.task_close(key=followup_key(request.pk), user=user)
    if risk == SessionNote.Risk.HIGH and user.pk != request.counsellor.supervisor_id:
        _tell_supervisor(request)
    counselling_log(user=user, action="create", obj=note, area_code=request.area_id)
    return note


def _tell_supervisor(request: HelpRequest) -> None:
    supervisor = request.counsellor.supervisor
    if supervisor is not None and supervisor.is_active:
        inbox.notify(
            users=[supervisor],
            title=_("辅导记录评估为高风险（#%(pk)s）") % {"pk": request.pk},
            url=request_url(request),
        )


def followups_open(*, today: datetime.date | None = None) -> int:
    """Give each counsellor a task for follow-ups due tomorrow or earlier (the latest note counts)."""
    today = today or clock.today()
    opened = 0
    requests = HelpRequest.objects.exclude(status__in=[HelpRequest.Status.CLOSED, HelpRequest.Status.NEW])
    for request in requests.select_related("counsellor__user").filter(notes__isnull=False).distinct():
        latest = request.notes.order_by("-held_on", "-pk").first()
        if latest is None or latest.next_on is None or latest.next_on > today + datetime.timedelta(days=1):
            continue
        if not request.counsellor.user.is_active:
            continue
        overdue = latest.next_on < today
        inbox.task_open(
            key=followup_key(request.pk),
            kind="help_request_followup",
            title=_("心理辅导跟进到期（#%(pk)s）") % {"pk": request.pk},
            url=request_url(request),
            assignee=request.counsellor.user,
            area_code=request.area_id,
            child=request.child,
            due_at=end_of_day(latest.next_on),
            priority="urgent" if overdue or request.urgent else "normal",
        )
        opened += 1
    return opened
