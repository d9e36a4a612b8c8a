"""Helpers shared by the counselling services: task keys, due moments, URLs, open statuses."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ..models import HelpRequest

# A request a counsellor is carrying: counts against the counsellor's capacity.
OPEN_STATUSES = (HelpRequest.Status.ASSIGNED, HelpRequest.Status.IN_PROGRESS)

NORMAL_DUE_DAYS = 3  # a normal request should be taken up within 3 days (an urgent one today)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last minute of a day in Asia/Shanghai: a task due "on" a date is overdue the day after."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def request_url(request: HelpRequest) -> str:
    return reverse("counselling:request_detail", kwargs={"pk": request.pk})


def request_prefix(request_id: int) -> str:
    # Every task about one request starts with this, so closing the request closes them all.
    return f"help_request:{request_id}:"


def assignee_key(request_id: int, counsellor_id: int) -> str:
    return f"help_request:{request_id}:c{counsellor_id}"


def unassigned_key(request_id: int) -> str:
    return f"help_request:{request_id}:unassigned"


def followup_key(request_id: int) -> str:
    return f"help_request:{request_id}:followup"


def area_prefixes(code: str) -> list[str]:
    """The significant prefixes of an area code, from the province down ("330723101" → 33, 3307, ...)."""
    return [code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n]
