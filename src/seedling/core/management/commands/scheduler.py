import time

from django.core.management.base import BaseCommand

from seedling.core.schedule import jobs, schedule_tick


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (run beside `seedling db_worker`)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--inline", action="store_true", help="run due jobs here instead of enqueueing")
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between passes")

    def handle(self, *args, once, inline, interval, **options):
        names = ", ".join(f"{j.name} (every {j.every})" for j in jobs().values())
        self.stdout.write(f"scheduler: {names}")
        while True:
            started = schedule_tick(run_inline=inline)
            if started:
                self.stdout.write(f"started: {', '.join(started)}")
            if once:
                return
            time.sleep(interval)
