"""Periodic jobs of the portal: removing expired sessions."""

import datetime

from django_tasks import task

from seedling.core.schedule import every


@every(datetime.timedelta(days=1))
@task()
def expired_sessions_clear() -> None:
    """Daily: delete expired rows of the session table (Django's clearsessions).

    The database session backend never deletes an expired row by itself; a portal visitor's row
    (chosen area, invitation id, request times) would stay for ever. PIPL Art. 19: keep only as long
    as necessary.
    """
    from django.core.management import call_command

    call_command("clearsessions")
