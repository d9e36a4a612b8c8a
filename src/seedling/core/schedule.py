"""Periodic jobs (定时任务): due dates, escalations, category re-evaluation, sealing the access log.

Apps register a django-tasks task with an interval; `seedling scheduler` enqueues each one when it is
due and the task worker (`seedling db_worker`) runs it. A run is claimed in the ScheduledJob table
under a row lock, so several schedulers (or a restart) never enqueue the same run twice.
"""

import datetime
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from . import clock


@dataclass(frozen=True)
class Periodic:
    name: str
    every: datetime.timedelta
    task: object  # a django_tasks Task


_JOBS: dict[str, Periodic] = {}


def every(interval: datetime.timedelta, *, name: str | None = None):
    """Decorator for a django-tasks task: run it every `interval` (`@every(...)` above `@task()`)."""

    def register(task):
        job_name = name or f"{task.func.__module__}.{task.func.__name__}"
        _JOBS[job_name] = Periodic(job_name, interval, task)
        return task

    return register


def jobs() -> dict[str, Periodic]:
    """Every registered periodic job; importing each app's `tasks` module registers them."""
    for config in apps.get_app_configs():
        if config.name.startswith("seedling."):
            try:
                importlib.import_module(f"{config.name}.tasks")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tasks":
                    raise
    return dict(_JOBS)


def schedule_tick(*, run_inline: bool = False) -> list[str]:
    """Enqueue (or, with run_inline, run) every job that is due; returns the names started."""
    from .models import ScheduledJob

    started = []
    now = clock.now()
    for job in jobs().values():
        with transaction.atomic():
            row, _ = ScheduledJob.objects.get_or_create(name=job.name)
            row = ScheduledJob.objects.select_for_update().get(pk=row.pk)
            if row.last_run_at is not None and row.last_run_at + job.every > now:
                continue
            row.last_run_at = now
            row.save(update_fields=["last_run_at"])
        if run_inline:
            job.task.call()
        else:
            job.task.enqueue()
        started.append(job.name)
    return started
