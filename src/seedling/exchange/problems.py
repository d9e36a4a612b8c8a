"""The problems of an import, as the user finds them in their file: row, column (header and letter), message.

Every problem goes to a CSV file (all of them, written as found: memory stays flat); the first
KEEP are kept in memory for the page and the API.
"""

import csv

from django.utils.translation import gettext as _

from .columns import BY_KEY, HeaderMap, column_letter
from .rules import ERROR, RowDraft
from .safety import neutralise

KEEP = 5000
# A problem of a value derived from another column points at that column when its own is absent.
_DERIVED_FROM = {"birth_date": "id_number", "sex": "id_number", "no_id_reason": "id_number"}


class ProblemLog:
    def __init__(self, *, keep: int = KEEP, csv_path=None):
        self.keep = keep
        self.kept: list[dict] = []
        self.errors = self.warnings = 0
        self.rows_with_errors = self.rows_with_warnings = 0
        self.truncated = False
        self._header: HeaderMap | None = None
        self._file = open(csv_path, "w", encoding="utf-8-sig", newline="") if csv_path else None  # noqa: SIM115
        self._csv = csv.writer(self._file) if self._file else None
        if self._csv:
            self._csv.writerow([_("行号"), _("列"), _("列名"), _("类型"), _("问题")])

    def bind(self, header: HeaderMap) -> None:
        self._header = header

    def column(self, key: str) -> tuple[str, str]:
        """(header as written in the file, column letter); the template's header when the file has none."""
        header = self._header
        if header is not None:
            for candidate in (key, _DERIVED_FROM.get(key)):
                if candidate in header.positions:
                    return header.headers[candidate], column_letter(header.positions[candidate])
        column = BY_KEY.get(key)
        return (str(column.header) if column else key), ""

    def add(self, row: int | None, key: str, message: str, level: str = ERROR) -> None:
        title, letter = self.column(key) if key else ("", "")
        if level == ERROR:
            self.errors += 1
        else:
            self.warnings += 1
        entry = {"row": row, "column": title, "letter": letter, "message": message, "level": level}
        if len(self.kept) < self.keep:
            self.kept.append(entry)
        else:
            self.truncated = True
        if self._csv:
            shown = _("错误") if level == ERROR else _("提醒")
            self._csv.writerow([row or "", letter, neutralise(title), shown, neutralise(message)])

    def add_row(self, row: RowDraft) -> None:
        if not row.problems:
            return
        levels = set()
        for key, message, level in row.problems:
            self.add(row.number, key, message, level)
            levels.add(level)
        if ERROR in levels:
            self.rows_with_errors += 1
        elif levels:
            self.rows_with_warnings += 1

    def sorted(self) -> list[dict]:
        return sorted(self.kept, key=lambda p: (p["row"] or 0, p["letter"] or "", p["level"]))

    def close(self) -> None:
        if self._file:
            self._file.close()
            self._file = None
