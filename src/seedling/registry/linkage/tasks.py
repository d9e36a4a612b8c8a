"""Background jobs of duplicate detection (django-tasks; `db_worker` runs them)."""

from dataclasses import asdict

from django_tasks import task

from . import services


@task()
def find_duplicates_task(area: str, source: str = "batch") -> dict:
    """Batch duplicate detection over an area (e.g. a county after an import); returns the report."""
    return asdict(services.find_duplicates(area_prefix=area, source=source))
