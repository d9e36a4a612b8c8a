"""Background jobs of mandatory reporting."""

import datetime

from django_tasks import task

from seedling.core.schedule import every


@every(datetime.timedelta(minutes=15))
@task()
def reports_escalate_task() -> int:
    """Escalate reports not acknowledged in time (SEEDLING_REPORT_ACK_HOURS, default 24); returns how many."""
    from .services import reports_escalate

    return reports_escalate()
