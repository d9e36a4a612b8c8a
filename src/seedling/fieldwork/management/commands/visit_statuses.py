"""`seedling visit_statuses`: recompute every child's next visit date and alert now (the hourly job does
it once a day); run it after loading children or visits in bulk (seedling generate, imports)."""

from django.core.management.base import BaseCommand

from seedling.fieldwork.sweep import visit_statuses_sweep


class Command(BaseCommand):
    help = "Recompute every child's next-due visit date and alert; open, update and close the visit tasks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-notify", action="store_true", help="no digest notifications (after a bulk load)"
        )

    def handle(self, *args, no_notify=False, **options):
        sweep = visit_statuses_sweep(notify=not no_notify)
        self.stdout.write(
            f"{sweep.day}: {sweep.statuses_created} status rows created, {sweep.due_dates_changed} due dates "
            f"and {sweep.alerts_changed} alerts changed in {sweep.seconds:.1f} s"
        )
