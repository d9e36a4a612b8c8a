"""seedling questionnaire_import FILE [--code CODE]: import an XLSForm as a questionnaire version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from seedling.assessments.services import questionnaire_import
from seedling.assessments.xlsform import FormRefused


class Command(BaseCommand):
    help = "Import an XLSForm (.xlsx or .xls) as a questionnaire; refused forms list each problem."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--code", default="", help="questionnaire code (default: the form id)")

    def handle(self, *args, file, code, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            version = questionnaire_import(content=file.read_bytes(), filename=file.name, code=code)
        except FormRefused as exc:
            raise CommandError(f"{file.name}:\n{exc.message}") from exc
        self.stdout.write(f"{version.questionnaire.code} v{version.number} (id {version.pk})")
        for warning in version.warnings:
            self.stdout.write(f"  ! {warning}")
