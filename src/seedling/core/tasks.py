"""Background jobs of the shared kernel (django-tasks; the worker runs them periodically)."""

import datetime

from django_tasks import task

from .audit import audit_seal, audit_verify, verification_record
from .schedule import every


@every(datetime.timedelta(minutes=1))
@task()
def audit_seal_task() -> int:
    """Chain the access-log rows written since the last run; returns how many were sealed."""
    return audit_seal()


@every(datetime.timedelta(days=1))
@task()
def audit_verify_task() -> dict:
    """Recompute the whole chain and keep the outcome for the access-log page."""
    report = audit_verify()
    verification_record(report)
    return {"ok": report.ok, "checked": report.checked, "broken_at": report.broken_at}
