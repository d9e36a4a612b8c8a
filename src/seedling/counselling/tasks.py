"""Periodic jobs of counselling: follow-up reminders from session notes, waiting requests retried."""

import datetime

from django_tasks import task

from seedling.core.schedule import every


# Hourly, but the follow-up tasks are idempotent by key: a counsellor gets one task per request,
# the day before the follow-up date, whatever hour the scheduler started.
@every(datetime.timedelta(hours=1))
@task()
def counselling_followups() -> dict:
    """Open follow-up tasks for session notes whose next date is tomorrow or past; retry waiting requests."""
    from .services import followups_open, new_requests_assign

    return {"followups": followups_open(), "assigned": new_requests_assign()}
