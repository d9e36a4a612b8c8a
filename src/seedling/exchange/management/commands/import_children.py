"""seedling import_children FILE --user USERNAME [--commit] [--reason ...]

Checks a roster (dry run) and, with --commit, imports it at once or not at all, as the import page
does, with a progress bar on the terminal. Exit status 1 when a row has an error or nothing was
imported, so scripts can tell.
"""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from seedling.accounts.models import User
from seedling.exchange.importer import roster_check, roster_import

_BAR = 30


class Command(BaseCommand):
    help = "Check (dry run) and import a roster of children from a CSV or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--user", required=True, help="username of the importing user (their areas apply)"
        )
        parser.add_argument("--commit", action="store_true", help="import (default: dry run only)")
        parser.add_argument(
            "--reason", default="", help="why rows that may duplicate registered children go on"
        )
        parser.add_argument("--problems", default="", help="write every problem to this CSV file")
        parser.add_argument("--language", default="", help="language of the messages (zh-hans, en)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        language = options["language"] or settings.LANGUAGE_CODE
        with translation.override(language):
            code = self._run(user, options)
        if code:
            sys.exit(code)

    def _progress(self, quiet: bool):
        started = time.monotonic()
        last = 0.0
        stream = self.stderr

        def show(rows: int, fraction: float) -> None:
            nonlocal last
            now = time.monotonic()
            if quiet or (now - last < 0.2 and fraction < 1.0):
                return
            last = now
            done = int(fraction * _BAR)
            rate = rows / max(now - started, 1e-6)
            stream.write(
                f"\r[{'#' * done}{'.' * (_BAR - done)}] {fraction:4.0%} "
                + _("%(rows)d 行，%(rate)d 行/秒") % {"rows": rows, "rate": rate},
                ending="",
            )
            stream.flush()
            if fraction >= 1.0:
                stream.write("")

        return show

    def _run(self, user, options) -> int:
        commit = options["commit"]
        kwargs = {
            "user": user,
            "path": options["file"],
            "progress": self._progress(options["no_progress"]),
            "problems_path": options["problems"] or None,
        }
        if commit:
            result = roster_import(
                **kwargs, reason=options["reason"], source={"path": "cli:import_children", "job": "cli"}
            )
        else:
            result = roster_check(**kwargs)
        for problem in result.problems:
            kind = _("错误") if problem["level"] == "error" else _("提醒")
            column = problem["column"] + (f"（{problem['letter']}）" if problem["letter"] else "")
            self.stdout.write(
                _("第 %(row)s 行 [%(column)s]: %(message)s")
                % {"row": problem["row"], "column": column, "message": f"{kind}：{problem['message']}"}
            )
        if result.truncated:
            self.stdout.write(
                _("（只列出前 %(n)d 个问题；用 --problems 写出全部）") % {"n": len(result.problems)}
            )
        summary = _("%(rows)d 行：%(errors)d 个错误，%(warnings)d 个疑似重复提醒。") % {
            "rows": result.rows,
            "errors": result.errors,
            "warnings": result.warnings,
        }
        self.stdout.write(summary)
        if result.message:
            self.stderr.write(result.message)
        if commit:
            if not result.committed:
                return 1
            self.stdout.write(_("已导入 %(n)d 名儿童。") % {"n": result.imported})
            return 0
        return 1 if (result.message or result.errors) else 0
