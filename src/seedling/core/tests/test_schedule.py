"""Periodic jobs run when due, once, whatever the number of schedulers; the clock moves them."""

import datetime

import pytest

from seedling.core.models import ScheduledJob
from seedling.core.schedule import jobs, schedule_tick

pytestmark = pytest.mark.django_db


def test_the_registered_jobs_include_sealing_the_log_and_category_reevaluation():
    names = set(jobs())
    assert "seedling.core.tasks.audit_seal_task" in names
    assert "seedling.registry.tasks.categories_reevaluate" in names


def test_a_job_runs_once_per_interval_and_again_when_time_has_passed(clock):
    first = schedule_tick(run_inline=True)
    assert "seedling.core.tasks.audit_seal_task" in first
    assert schedule_tick(run_inline=True) == []  # nothing is due again at once
    clock.travel(by=datetime.timedelta(minutes=2))
    assert schedule_tick(run_inline=True) == ["seedling.core.tasks.audit_seal_task"]
    clock.travel(by=datetime.timedelta(days=1))
    assert set(schedule_tick(run_inline=True)) == set(jobs())
    assert ScheduledJob.objects.count() == len(jobs())


def test_the_scheduler_enqueues_for_the_worker(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    started = schedule_tick()
    assert DBTaskResult.objects.count() == len(started) > 0
