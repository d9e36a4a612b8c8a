"""Self-checks (自测) and "talk to a counsellor" (找心理辅导员聊聊) from the portal.

A self-check is the user's private check: it is stored only as an anonymous answer sheet with the
county the user chose (for counts per area), never with a child, a user or an address, and the access
log gets no row for it. Asking for a counsellor is the user's own choice to be known: that request
goes to the counselling app with whatever contact the user gave.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.accounts.roles import Role
from seedling.assessments.models import QuestionnaireVersion, Response
from seedling.assessments.services import response_submit
from seedling.core import clock
from seedling.counselling.models import HelpRequest
from seedling.counselling.services import help_request_create
from seedling.geo.models import Division
from seedling.inbox import services as inbox
from seedling.inbox.models import Task

from ..models import HelpRequestFlag, InvitationRequest, PortalInvitation

SURGE_KIND = "portal_request_surge"


@transaction.atomic
def self_check_submit(
    *, version: QuestionnaireVersion, data: dict, language: str, area: Division | None, started_at=None
) -> Response:
    """Score and store an anonymous self-check (assessments.response_submit with no child, no user).

    Raises assessments.services.ResponseRefused (the answers by field) like the staff fill page.
    Even when a signed-in child fills it, child stays None: see views.checks for why.
    """
    response = response_submit(
        version=version, data=data, language=language, user=None, child=None, started_at=started_at
    )
    response.anonymous = True
    response.area = area
    response.save(update_fields=["anonymous", "area"])
    return response


@transaction.atomic
def portal_help_request_send(
    *,
    area: Division | None,
    requester: str,
    message: str = "",
    contact_name: str = "",
    contact: str = "",
    language: str = "zh",
    urgent: bool = False,
    response: Response | None = None,
    invitation: PortalInvitation | None = None,
    over_limit: str = "",
):
    """Send a request for a counsellor from the portal (counselling.help_request_create, source portal).

    Signed in with a code, the request is about that child (it reaches the counsellor of the child's
    area) and the holder sees its status later; the holder's role (child or guardian) is the code's.
    `over_limit` (throttle.ADDRESS or AREA) says an hourly limit is used up: only an urgent request
    is then accepted, flagged (HelpRequestFlag), and the area's county officers get one task per hour
    to look at the surge. Raises ValidationError by field.
    """
    if over_limit and not urgent:
        raise ValidationError({"__all__": _("这一小时里收到的留言太多了，现在只能接收紧急求助。")})
    child = invitation.child if invitation is not None else None
    request = help_request_create(
        source=HelpRequest.Source.PORTAL,
        area=None if child is not None else area,
        requester=invitation.holder if invitation is not None else requester,
        child=child,
        response=response,
        contact_name=contact_name,
        contact=contact,
        message=message,
        language=language,
        urgent=urgent,
        user=None,
    )
    if invitation is not None:
        InvitationRequest.objects.create(
            invitation=invitation, child_id=invitation.child_id, help_request=request
        )
    if over_limit:
        HelpRequestFlag.objects.create(help_request=request, child=child, reason=over_limit)
        _surge_task(request)
    return request


def _surge_task(request: HelpRequest) -> None:
    # One task per area and hour however many requests come: the flood must not flood the officers.
    now = timezone.localtime(clock.now())
    inbox.task_open(
        key=f"portal:surge:{request.area_id}:{now:%Y%m%d%H}",
        kind=SURGE_KIND,
        title=_("自助服务平台留言超出每小时上限（%(area)s）：紧急求助已照常受理并做了标记，请核实")
        % {"area": request.area.name},
        url=reverse("counselling:request_list"),
        assignee_role=Role.COUNTY_OFFICER,
        area_code=request.area_id,
        due_at=now + datetime.timedelta(hours=4),
        priority=Task.Priority.URGENT,
    )
