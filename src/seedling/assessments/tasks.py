"""Periodic jobs of screening campaigns (django-tasks, run by the worker on the schedule)."""

import datetime

from django_tasks import task

from seedling.core.schedule import every


# Hourly: a campaign closes within the hour its window ends; reminders and re-screens are decided by
# timestamps (remind_every_days since the last reminder, rescreen_after_days since closing), so the
# extra runs change nothing. Anonymous high-risk answers reach the counsellor's task here, in hourly
# batches, so a task's time never points at one child's answer.
@every(datetime.timedelta(hours=1))
@task()
def campaigns_sweep() -> dict:
    """Close campaigns past their window, remind counsellors, open re-screens, report anonymous risks."""
    from .campaign_jobs import campaigns_sweep as sweep

    return sweep()
