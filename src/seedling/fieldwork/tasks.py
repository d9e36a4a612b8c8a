"""Background jobs of field work (django-tasks, run by the worker on the schedule)."""

import datetime

from django_tasks import task

from seedling.core.schedule import every


# Hourly, but it works once per day: the first hour after midnight (China time) turns the calendar
# (alerts: due soon, overdue, escalated), once a week and within the hour after an administrator
# changes a visit frequency it recomputes every due date too. Due dates are whole days, so more
# would change nothing; a daily interval counted from whenever the scheduler started would leave a
# child's overdue alert up to a day late.
@every(datetime.timedelta(hours=1))
@task()
def visit_statuses_refresh() -> dict:
    """Recompute the children's alerts (and weekly their due dates); open, update and close the visit tasks."""
    from .sweep import sweep_due, visit_statuses_sweep

    due = sweep_due()
    if due is None:
        return {"skipped": True}
    full, notify = due
    sweep = visit_statuses_sweep(full=full, notify=notify)
    return {
        "run": "full" if full else "daily",
        "day": sweep.day.isoformat(),
        "statuses_created": sweep.statuses_created,
        "due_dates_changed": sweep.due_dates_changed,
        "alerts_changed": sweep.alerts_changed,
        "seconds": round(sweep.seconds, 2),
    }
