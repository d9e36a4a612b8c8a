"""Helpers shared by the case services: journal, task keys, due moments, settings with defaults."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from seedling.core import clock
from seedling.core.locking import StaleEdit, save_versioned

from ..models import Case, CaseEvent

# Configurable figures (DOMAIN.md: ship the default, keep it in settings): see the report to the lead.
DEFAULTS = {
    "SEEDLING_CASE_APPROVAL_DAYS": 3,  # days the supervisor has to decide on a plan or closure
    "SEEDLING_REFERRAL_DEFAULT_DAYS": 14,  # default answer period of a referral
    "SEEDLING_REFERRAL_DUE_SOON_DAYS": 2,  # remind the organization this many days before the due date
}


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last minute of a day in Asia/Shanghai: a task due "on" a date is overdue the day after."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def unknown_fields(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def event(case: Case, kind: str, actor=None, note: str = "") -> CaseEvent:
    return CaseEvent.objects.create(
        child_id=case.child_id, case=case, kind=kind, actor=actor, note=(note or "")[:500], at=clock.now()
    )


def save_case(case: Case) -> None:
    """Save a case read in this request: refused (StaleEdit) if someone changed it meanwhile."""
    save_versioned(case, expected_version=case.version)


def check_version(instance, expected_version: int) -> None:
    """Refuse (StaleEdit, with the stored record) when the record changed since it was read."""
    current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise StaleEdit(current)


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", kwargs={"pk": case.pk})


def approval_key(approval_id: int) -> str:
    return f"case_approval:{approval_id}"


def action_key(case_id: int, action_id: int) -> str:
    # The case id in the key lets closing a case close all its action tasks by prefix.
    return f"case_action:{case_id}:{action_id}"


def action_prefix(case_id: int) -> str:
    return f"case_action:{case_id}:"


def unassigned_key(case_id: int) -> str:
    return f"case_unassigned:{case_id}"


def risk_key(case_id: int) -> str:
    return f"case_risk:{case_id}"


def transfer_key(transfer_id: int) -> str:
    return f"case_transfer:{transfer_id}"


def referral_prefix(referral_id: int) -> str:
    return f"referral:{referral_id}:"


def referral_key(referral_id: int, user_id: int) -> str:
    return f"referral:{referral_id}:u{user_id}"


def referral_followup_key(referral_id: int) -> str:
    return f"referral_overdue:{referral_id}"
