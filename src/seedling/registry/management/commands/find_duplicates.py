"""seedling find_duplicates --area 330723: batch duplicate detection over an area (疑似重复档案批量查重)."""

from django.core.management.base import BaseCommand, CommandError

from seedling.geo.models import Division
from seedling.registry.linkage import services


class Command(BaseCommand):
    help = "Compare the children's files of an area with each other and queue the likely duplicates."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="area code prefix, e.g. 330723 (a county)")
        parser.add_argument("--workers", type=int, default=1, help="processes comparing pairs")
        parser.add_argument("--background", action="store_true", help="enqueue as a task instead")

    def handle(self, *args, area, workers, background, **options):
        area = area.strip()
        if not area.isdigit() or not Division.objects.filter(code=area).exists():
            raise CommandError(f"unknown area code: {area!r}")
        if background:
            from seedling.registry.linkage.tasks import find_duplicates_task

            result = find_duplicates_task.enqueue(area=area)
            self.stdout.write(f"enqueued {result.id}")
            return
        report = services.find_duplicates(area_prefix=area, workers=workers, progress=self.stdout.write)
        self.stdout.write(
            f"area {report.area}: {report.records} files, {report.candidates} candidate pairs compared, "
            f"{report.found} at or above the threshold {services.threshold()}, {report.queued} newly queued "
            f"({report.seconds}s)"
        )
