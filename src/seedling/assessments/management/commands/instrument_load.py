"""seedling instrument_load FILE... | --builtin: load instrument definitions (idempotent by id + version)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seedling.assessments.definitions import InstrumentDefinitionError
from seedling.assessments.models import InstrumentVersion
from seedling.assessments.services import instrument_load_file, instruments_builtin_load


class Command(BaseCommand):
    help = "Load instrument definition files (.json or .yaml); --builtin loads the shipped instruments."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument("--builtin", action="store_true", help="load the instruments Seedling ships")

    def handle(self, *args, files, builtin, **options):
        if not files and not builtin:
            raise CommandError("give one or more files, or --builtin")
        results = []
        try:
            if builtin:
                results += instruments_builtin_load()
            for path in files:
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
                try:
                    results.append(instrument_load_file(path=path, source=InstrumentVersion.Source.FILE))
                except InstrumentDefinitionError as exc:
                    raise CommandError(f"{path}:\n" + "\n".join(exc.errors)) from exc
        except InstrumentDefinitionError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        for loaded in results if options["verbosity"] > 0 else []:
            state = "loaded" if loaded.created else "unchanged"
            self.stdout.write(f"{loaded.version.instrument.code} {loaded.version.version}: {state}")
