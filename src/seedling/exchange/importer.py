"""Importing a roster of children (花名册导入): a dry run that lists every problem, then an atomic commit.

Both read the file as a stream in batches (memory stays flat) and put every row through the
registration form's rules (exchange.rules, exchange.checks). The commit checks again (the register
may have changed since the dry run) and saves every row in one transaction: if any row has an error,
or a possible duplicate has no reason, nothing is saved.
"""

import contextlib
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from seedling.core import clock
from seedling.registry.models import Child

from .checks import BatchChecker
from .problems import ProblemLog
from .readers import RosterError, roster_open
from .rules import RowDraft, row_reader
from .seen import SeenRows
from .writer import RosterWriter

BATCH = 2000

Progress = Callable[[int, float], None]


@dataclass
class RosterResult:
    """What a dry run or an import found and did."""

    rows: int = 0  # data rows read
    errors: int = 0
    warnings: int = 0
    rows_with_errors: int = 0
    rows_with_warnings: int = 0
    imported: int = 0
    committed: bool = False
    message: str = ""  # why the file as a whole could not be checked or imported
    problems: list = field(default_factory=list)  # the first ProblemLog.keep problems, by row
    truncated: bool = False
    columns: dict = field(default_factory=dict)  # column key → header as written in the file
    unknown_headers: list = field(default_factory=list)  # headers not recognised (ignored)
    header_row: int = 0
    format: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.message and not self.errors and self.rows > 0

    def as_json(self) -> dict:
        return {
            "rows": self.rows,
            "errors": self.errors,
            "warnings": self.warnings,
            "rows_with_errors": self.rows_with_errors,
            "rows_with_warnings": self.rows_with_warnings,
            "imported": self.imported,
            "committed": self.committed,
            "message": self.message,
            "problems": self.problems,
            "truncated": self.truncated,
            "columns": self.columns,
            "unknown_headers": self.unknown_headers,
            "header_row": self.header_row,
            "format": self.format,
            "seconds": round(self.seconds, 2),
        }


def _largest_child_id() -> int:
    """Children registered before the import began have ids up to this one; the import's are larger
    (exchange.bulk.reserve_ids takes them from the sequence, or above the largest on SQLite)."""
    return Child.objects.aggregate(top=Max("pk"))["top"] or 0


def _silent(rows: int, fraction: float) -> None:
    return None


def _run(
    *, user, path, filename, today, progress, log: ProblemLog, writer: RosterWriter | None
) -> RosterResult:
    result = RosterResult()
    started = time.perf_counter()
    try:
        roster = roster_open(path, filename=filename)
    except RosterError as exc:
        result.message = str(exc)
        return result
    with roster, SeenRows() as seen:
        log.bind(roster.header)
        result.columns, result.header_row = dict(roster.header.headers), roster.header_row
        result.unknown_headers, result.format = list(roster.header.unknown), roster.format
        checker = BatchChecker(
            user=user,
            today=today,
            seen=seen,
            registered_up_to=_largest_child_id() if writer is not None else None,
            own=writer.holds if writer is not None else None,
        )
        read = row_reader(roster.header.positions)
        writing = writer is not None

        def flush(batch: list[RowDraft]) -> None:
            nonlocal writing
            checker.check(batch)
            good = []
            for row in batch:
                log.add_row(row)
                if not row.has_errors:
                    good.append(row)
            result.rows += len(batch)
            # Once a row fails the commit is lost anyway: keep checking (to list every problem), stop writing.
            writing = writing and log.errors == 0 and not (log.warnings and not writer.reason)
            if writing:
                writer.write(good)
            progress(result.rows, roster.fraction())

        batch: list[RowDraft] = []
        try:
            for number, cells in roster.rows():
                batch.append(read(number, cells))
                if len(batch) >= BATCH:
                    flush(batch)
                    batch = []
            if batch:
                flush(batch)
        except RosterError as exc:
            result.message = str(exc)
    result.errors, result.warnings = log.errors, log.warnings
    result.rows_with_errors, result.rows_with_warnings = log.rows_with_errors, log.rows_with_warnings
    result.problems, result.truncated = log.sorted(), log.truncated
    if not result.message and result.rows == 0:
        result.message = _("文件中没有数据：表头下方没有任何儿童。")
    result.seconds = time.perf_counter() - started
    progress(result.rows, 1.0)
    return result


# SQLite's page cache for an import (KiB): enough for the inner pages of every index a row touches
# (21 million search keys at province scale), so an insert reads one leaf page, not the whole path.
# The default 2 MB is a tenth of that. It is part of the process' memory (the 300 MB goal).
SQLITE_IMPORT_CACHE_KIB = 32 * 1024


@contextlib.contextmanager
def _sqlite_cache():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def roster_check(
    *,
    user,
    path,
    filename: str = "",
    today: datetime.date | None = None,
    progress: Progress | None = None,
    problems_path=None,
) -> RosterResult:
    """Dry run (试导入): every problem of every row by row, column and message; nothing is saved."""
    log = ProblemLog(csv_path=problems_path)
    try:
        with _sqlite_cache():
            return _run(
                user=user,
                path=path,
                filename=filename,
                today=today or clock.today(),
                progress=progress or _silent,
                log=log,
                writer=None,
            )
    finally:
        log.close()


def roster_import(
    *,
    user,
    path,
    filename: str = "",
    reason: str = "",
    today: datetime.date | None = None,
    progress: Progress | None = None,
    problems_path=None,
    source: dict | None = None,
) -> RosterResult:
    """Import a roster: every row checked again and saved in one transaction, or nothing at all.

    Rows that may duplicate a registered child (or an earlier row) are saved only with `reason`,
    which is logged for each of them, as on the registration form.
    """
    today = today or clock.today()
    log = ProblemLog(csv_path=problems_path)
    writer = RosterWriter(user=user, today=today, reason=reason, source=source)
    try:
        with _sqlite_cache(), transaction.atomic():
            result = _run(
                user=user,
                path=path,
                filename=filename,
                today=today,
                progress=progress or _silent,
                log=log,
                writer=writer,
            )
            if not result.message and result.errors:
                result.message = _("有 %(n)d 行存在错误，未导入任何儿童：请修改文件后重新上传。") % {
                    "n": result.rows_with_errors
                }
            elif not result.message and result.warnings and not writer.reason:
                result.message = _(
                    "有 %(n)d 行可能与已登记的儿童重复：请逐一核对，确认不是同一人后填写理由再导入。"
                ) % {"n": result.rows_with_warnings}
            if result.message:
                transaction.set_rollback(True)
            else:
                result.imported, result.committed = writer.written, True
    finally:
        log.close()
    return result
