"""Open an uploaded roster (CSV or .xlsx), find its header row and stream its data rows.

Memory stays flat: rows are read one at a time from the file, never all at once. CSV files saved by
Chinese Excel are often GBK (GB18030 here, its superset); UTF-8 with or without a BOM is detected first.
"""

import codecs
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .columns import REQUIRED, HeaderMap, header_map
from .xlsx import XlsxError, XlsxReader

HEADER_SEARCH_ROWS = 10  # a title row or two ("某某村留守儿童花名册") may sit above the header
_SAMPLE = 1 << 16
csv.field_size_limit(1 << 20)


class RosterError(ValueError):
    """The file cannot be imported at all (wrong type, empty, no header); the message is for the user."""


def detect_format(path, filename: str = "") -> str:
    """'csv' or 'xlsx' by content (and name); RosterError for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    name = os.path.basename(filename or str(path)).lower()
    extension = name.rsplit(".", 1)[1] if "." in name else ""
    if not head:
        raise RosterError(_("文件是空的。"))
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(_("不支持旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 或 CSV 后再上传。"))
    if extension in ("csv", "txt", ""):
        return "csv"
    if extension == "xlsx":
        raise RosterError(_("无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式。"))
    raise RosterError(_("只能导入 .xlsx 或 .csv 文件。"))


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig for UTF-8 (BOM or not: the BOM is dropped either way), else gb18030 (GBK's superset)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


@dataclass
class Roster:
    """An open roster: the header row found, and a stream of its data rows."""

    header: HeaderMap
    header_row: int  # the header's row number as the user sees it (1 = the first row)
    format: str
    _rows: Iterator[tuple[int, list]]
    _fraction: object
    _close: object
    sheet: str = ""

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number, cells) of each data row after the header; empty rows are skipped."""
        return self._rows

    def fraction(self) -> float:
        return self._fraction()

    def close(self) -> None:
        self._close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _find_header(rows: Iterator[tuple[int, list]]) -> tuple[HeaderMap | None, int, list]:
    """The first row among the first few that names at least two known columns (the most, on a tie)."""
    seen: list[tuple[int, list]] = []
    for number, cells in rows:
        seen.append((number, cells))
        mapped = header_map(cells)
        if len(mapped.positions) >= 2:
            return mapped, number, []
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    return None, 0, seen


def _check_header(mapped: HeaderMap | None) -> HeaderMap:
    if mapped is None:
        names = "、".join(f"“{c.header}”" for c in REQUIRED)
        raise RosterError(
            _("没有找到表头：表头行应包含 %(names)s 等列名（请使用下载的模板）。") % {"names": names}
        )
    if mapped.missing:
        names = "、".join(f"“{c.header}”" for c in mapped.missing)
        raise RosterError(_("缺少必填列 %(names)s。") % {"names": names})
    return mapped


def _open_csv(path) -> Roster:
    raw = open(path, "rb")  # noqa: SIM115 -- closed by Roster.close
    sample = raw.read(_SAMPLE)
    raw.seek(0)
    encoding = detect_encoding(sample)
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    try:
        dialect = csv.Sniffer().sniff(sample.decode(encoding, errors="ignore")[:8192], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    size = max(1, os.path.getsize(path))

    reader = csv.reader(text, delimiter=delimiter)

    def numbered_rows():
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield reader.line_num, cells
        except UnicodeDecodeError:
            raise RosterError(
                _("文件编码无法识别：请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再上传。")
            ) from None
        except csv.Error as exc:
            raise RosterError(_("CSV 文件格式有误（第 %(n)d 行）。") % {"n": reader.line_num}) from exc

    rows = numbered_rows()
    try:
        mapped, number, _seen = _find_header(rows)
        if mapped is None and not _seen:
            raise RosterError(_("文件是空的。"))
        mapped = _check_header(mapped)
    except BaseException:
        text.close()
        raise

    def fraction() -> float:
        try:
            return min(1.0, raw.tell() / size)
        except (OSError, ValueError):
            return 1.0

    return Roster(mapped, number, "csv", rows, fraction, text.close)


def _open_xlsx(path) -> Roster:
    try:
        book = XlsxReader(path)
    except XlsxError:
        raise RosterError(_("无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式。")) from None
    try:
        # The roster is the first sheet with a header; the template's explanation sheet comes after it.
        first_seen = False
        for index, (name, _part) in enumerate(book.sheets):
            rows = book.rows(index)
            mapped, number, seen = _find_header(rows)
            first_seen = first_seen or bool(seen) or mapped is not None
            if mapped is not None:
                mapped = _check_header(mapped)
                return Roster(mapped, number, "xlsx", _guard(rows), book.fraction, book.close, sheet=name)
        if not first_seen:
            raise RosterError(_("文件是空的。"))
        _check_header(None)
    except XlsxError:
        book.close()
        raise RosterError(_("无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式。")) from None
    except BaseException:
        book.close()
        raise
    raise AssertionError("unreachable")


def _guard(rows):
    try:
        yield from rows
    except XlsxError:
        raise RosterError(_("Excel 文件读到中途出错：文件可能已损坏。")) from None


def roster_open(path, *, filename: str = "") -> Roster:
    """Open a roster file; RosterError (for the user) when it cannot be imported at all."""
    fmt = detect_format(path, filename)
    return _open_xlsx(path) if fmt == "xlsx" else _open_csv(path)
