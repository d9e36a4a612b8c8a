"""Background jobs of the registry."""

import datetime

from django_tasks import task

from seedling.core.schedule import every


@every(datetime.timedelta(days=1))
@task()
def categories_reevaluate() -> int:
    """Nightly: re-run the eligibility rules for every child (a child turning 16 or 18, a parent's
    absence reaching six months) so changes reach the review queue; returns how many were evaluated."""
    from .categories import proposals_refresh_area

    return proposals_refresh_area()
