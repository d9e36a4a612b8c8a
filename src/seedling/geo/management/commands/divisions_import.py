from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seedling.geo.importer import BUNDLED, DivisionFileError, divisions_import


class Command(BaseCommand):
    help = "Import administrative division codes (all levels; villages limited by --villages)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=BUNDLED, help="folder with the five CSV files")
        parser.add_argument("--edition", type=int, default=2023)
        parser.add_argument(
            "--villages",
            default="all",
            help="village code prefixes to load, comma separated (e.g. 33,11), or 'all'",
        )

    def handle(self, *args, dir, edition, villages, **options):
        prefixes = None if villages == "all" else [p.strip() for p in villages.split(",") if p.strip()]
        try:
            report = divisions_import(directory=dir, edition=edition, village_prefixes=prefixes)
        except DivisionFileError as exc:
            raise CommandError(str(exc)) from exc
        for level in report.created:
            self.stdout.write(
                f"{level:9} created {report.created[level]:>7}  updated {report.updated[level]:>6}  "
                f"retired {report.retired[level]:>5}  unchanged {report.unchanged[level]:>7}"
            )
