"""Periodic jobs of case work: referral reminders and overdue plan actions."""

import datetime

from django_tasks import task

from seedling.core.schedule import every


@every(datetime.timedelta(hours=1))
@task()
def referral_reminders() -> dict:
    """Hourly: referrals due soon remind the organization; overdue ones turn its tasks urgent and give
    the sender a follow-up task (each stage once per referral)."""
    from .services import referral_reminders as remind

    return remind()


@every(datetime.timedelta(hours=1))
@task()
def plan_actions_overdue() -> int:
    """Hourly: open actions of approved plans past their due date make their owners' tasks urgent."""
    from .services import actions_overdue

    return actions_overdue()
