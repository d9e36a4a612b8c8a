"""seedling research_export --instrument phq-a --area 330723 --format csv --out FILE --purpose "..." --user USERNAME

The de-identified export of the research page, for exports too large for a browser: the same
filters (dates widened to whole months), scope, purpose, refusals (small areas, class or school
campaigns, researchers placed below a county), k-anonymity and access-log row (marked "via":
"command"). The file is written as it streams; exit status 1 when the export is refused.
"""

import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from seedling.accounts.models import User
from seedling.research import export, selectors, services
from seedling.research.filters import filters_clean


class Command(BaseCommand):
    help = "Export de-identified research data (one row per response) to a CSV or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username of the researcher (their areas apply)")
        parser.add_argument(
            "--purpose", required=True, help="why the data is exported (kept in the access log)"
        )
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument(
            "--format", choices=services.FORMATS, default="", help="csv or xlsx (default: from --out)"
        )
        parser.add_argument("--instrument", default="", help="instrument code, e.g. phq-a")
        parser.add_argument("--questionnaire", default="", help="questionnaire code")
        parser.add_argument("--campaign", default="", help="campaign id")
        parser.add_argument("--area", default="", help="province, city or county code (2, 4 or 6 digits)")
        parser.add_argument(
            "--date-from",
            default="",
            help="first submission date, YYYY-MM-DD (the file starts on the 1st of its month)",
        )
        parser.add_argument(
            "--date-to",
            default="",
            help="last submission date, YYYY-MM-DD (the file ends on the last day of its month)",
        )
        parser.add_argument("--project", default="", help="id of one of the user's research projects")
        parser.add_argument("--language", default="", help="language of messages and README (zh-hans, en)")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            code = self._run(user, options)
        if code:
            sys.exit(code)

    def _refuse(self, message: str) -> int:
        self.stderr.write(message)
        return 1

    def _run(self, user, options) -> int:
        out = Path(options["out"])
        fmt = options["format"] or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
        raw = {
            "instrument": options["instrument"],
            "questionnaire": options["questionnaire"],
            "campaign": options["campaign"],
            "area": options["area"],
            "date_from": options["date_from"],
            "date_to": options["date_to"],
        }
        try:
            filters = filters_clean(user=user, data=raw)
            project = None
            if options["project"]:
                project = selectors.project_get(user=user, pk=options["project"])
                if project is None:
                    raise ValidationError({"project": _("研究项目不存在。")})
            prepared = services.research_export_prepare(
                user=user,
                filters=filters,
                fmt=fmt,
                purpose=options["purpose"],
                project=project,
                via="command",
            )
        except PermissionDenied as exc:
            return self._refuse(str(exc))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                lines = [
                    m if k == NON_FIELD_ERRORS else f"--{k.replace('_', '-')}: {m}"
                    for k, ms in exc.message_dict.items()
                    for m in ms
                ]
            else:
                lines = exc.messages
            return self._refuse("\n".join(lines))
        if fmt == "xlsx":
            with export.xlsx_file(prepared) as source, out.open("wb") as target:
                shutil.copyfileobj(source, target)
        else:
            with out.open("wb") as target:
                for chunk in export.csv_chunks(prepared):
                    target.write(chunk)
        self.stdout.write(_("已导出 %(n)d 行到 %(path)s。") % {"n": prepared.count, "path": out})
        return 0
