"""A streaming .xlsx reader: rows come out one at a time and memory stays flat however long the sheet.

Why not openpyxl's read-only mode: it parses each cell in Python (about 3,000 rows of 35 columns a
second here) and keeps the whole shared-string table in a list, which for a million-row roster saved
by Excel (names, numbers, addresses: several million unique strings) is over a gigabyte. This reader
drives expat (C) with small handlers and keeps a large shared-string table on disk (a temporary file
and an index of offsets), so the cost is the parse and the memory is the current row. Cell typing
follows openpyxl (date formats by style, the 1904 epoch, inline and rich text, phonetic runs left out).
"""

import array
import datetime
import mmap
import os
import posixpath
import tempfile
import zipfile
import zlib
from pyexpat import ExpatError, ParserCreate
from xml.etree import ElementTree

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# Built-in number formats that are dates in some locale (14–22 everywhere, 27–36 and 50–58 in zh-CN).
_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_CHUNK = 1 << 16
_IN_MEMORY_STRINGS = 200_000  # beyond this many shared strings, the table moves to disk


class XlsxError(ValueError):
    """The file is not a readable .xlsx workbook."""


class _SharedStrings:
    """The shared-string table: a list while small, then a temporary file indexed by offsets."""

    def __init__(self):
        self._list: list[str] = []
        self._file = None
        self._offsets = array.array("Q", [0])
        self._map = None

    def append(self, value: str) -> None:
        if self._file is None:
            self._list.append(value)
            if len(self._list) > _IN_MEMORY_STRINGS:
                self._spill()
            return
        data = value.encode()
        self._file.write(data)
        self._offsets.append(self._offsets[-1] + len(data))

    def _spill(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 -- closed in close()
        for value in self._list:
            data = value.encode()
            self._file.write(data)
            self._offsets.append(self._offsets[-1] + len(data))
        self._list = []

    def finish(self) -> None:
        if self._file is not None and self._offsets[-1]:
            self._file.flush()
            self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)

    def __getitem__(self, index: int) -> str:
        if self._file is None:
            return self._list[index]
        if self._map is None:
            return ""
        return self._map[self._offsets[index] : self._offsets[index + 1]].decode()

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
        if self._file is not None:
            self._file.close()


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _no_dtd(*args):
    # Workbook parts never declare a DTD; one in an upload is an entity-expansion attack.
    raise XlsxError("DTD not allowed")


def _parser(start, end, data):
    parser = ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = data
    return parser


class XlsxReader:
    """Open a workbook; `rows(sheet)` yields (row number, [cell values]) in sheet order."""

    def __init__(self, path):
        try:
            self._zip = zipfile.ZipFile(path)
            self.sheets = self._sheet_targets()
            self._date_styles, self._epoch = self._styles(), self._calendar()
        except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError, OSError) as exc:
            raise XlsxError(str(exc)) from exc
        self._strings: _SharedStrings | None = None
        self._read, self._size = 0, 1

    # --- workbook parts ---------------------------------------------------------------------------

    def _xml(self, name: str):
        data = self._zip.read(name)
        if b"<!DOCTYPE" in data.upper():
            raise XlsxError("DTD not allowed")
        return ElementTree.fromstring(data)  # noqa: S314 -- no DTD, so no entity expansion

    def _sheet_targets(self) -> list[tuple[str, str]]:
        """(sheet name, part name) of each worksheet, in the workbook's order."""
        rels = {}
        for rel in self._xml("xl/_rels/workbook.xml.rels").iter(f"{_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            rels[rel.get("Id")] = posixpath.normpath(part)
        sheets = []
        for sheet in self._xml("xl/workbook.xml").iter(f"{_MAIN}sheet"):
            part = rels.get(sheet.get(f"{_REL}id"))
            if part and part in self._zip.namelist():
                sheets.append((sheet.get("name", ""), part))
        if not sheets:
            raise XlsxError("no worksheet")
        return sheets

    def _styles(self) -> set[int]:
        """Indexes of cell styles whose number format is a date."""
        if "xl/styles.xml" not in self._zip.namelist():
            return set()
        root = self._xml("xl/styles.xml")
        custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(f"{_MAIN}numFmt")}
        dates = set()
        xfs = root.find(f"{_MAIN}cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else ()):
            fmt = int(xf.get("numFmtId", "0"))
            code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
            if fmt in _BUILTIN_DATES or (code and is_date_format(code)):
                dates.add(index)
        return dates

    def _calendar(self):
        pr = self._xml("xl/workbook.xml").find(f"{_MAIN}workbookPr")
        flag = pr.get("date1904", "") if pr is not None else ""
        return CALENDAR_MAC_1904 if flag.lower() in ("1", "true") else CALENDAR_WINDOWS_1900

    def _shared_strings(self) -> _SharedStrings:
        if self._strings is not None:
            return self._strings
        table = self._strings = _SharedStrings()
        names = [n for n in self._zip.namelist() if n.lower() == "xl/sharedstrings.xml"]
        if not names:
            return table
        parts: list[str] = []
        depth = {"rph": 0, "t": False}

        def start(name, attrs):
            name = _local(name)
            if name == "si":
                parts.clear()
            elif name == "rPh":
                depth["rph"] += 1
            elif name == "t" and not depth["rph"]:
                depth["t"] = True

        def end(name):
            name = _local(name)
            if name == "si":
                table.append("".join(parts))
            elif name == "rPh":
                depth["rph"] -= 1
            elif name == "t":
                depth["t"] = False

        def data(text):
            if depth["t"]:
                parts.append(text)

        parser = _parser(start, end, data)
        with self._zip.open(names[0]) as handle:
            while chunk := handle.read(_CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
        table.finish()
        return table

    # --- rows -------------------------------------------------------------------------------------

    def fraction(self) -> float:
        """How much of the sheet has been read, for the progress bar."""
        return min(1.0, self._read / self._size)

    def rows(self, sheet: int = 0):
        """(Excel row number, cell values) of each non-empty row; values are str, int, float, bool,
        datetime or None, by the cell's type and number format."""
        info = self._zip.getinfo(self.sheets[sheet][1])
        self._read, self._size = 0, max(1, info.file_size)
        try:
            strings = self._shared_strings()
        except (ExpatError, ValueError, zlib.error, EOFError) as exc:
            raise XlsxError(str(exc)) from exc
        start, end, data, ready = _sheet_handlers(strings, self._date_styles, self._epoch)
        parser = _parser(start, end, data)
        with self._zip.open(self.sheets[sheet][1]) as handle:
            try:
                while chunk := handle.read(_CHUNK):
                    self._read += len(chunk)
                    parser.Parse(chunk, False)
                    yield from ready
                    ready.clear()
                parser.Parse(b"", True)
            except (ExpatError, ValueError, IndexError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
                raise XlsxError(str(exc)) from exc
            yield from ready

    def close(self) -> None:
        if self._strings is not None:
            self._strings.close()
        self._zip.close()


# Element names of a worksheet, with or without a namespace prefix (some writers emit x:c).
_CELL, _VALUE, _INLINE, _ROW, _PHONETIC = 1, 2, 3, 4, 5
_TAGS = {"c": _CELL, "v": _VALUE, "t": _VALUE, "is": _INLINE, "row": _ROW, "rPh": _PHONETIC}


def _tag(name: str) -> int:
    return _TAGS.get(name.rpartition(":")[2], 0)


def _sheet_handlers(strings, date_styles, epoch):
    """expat callbacks for a worksheet; the hot loop of an import, hence closures over locals.

    Returns (start, end, data, ready): `ready` collects finished non-empty rows between chunks.
    """
    tags = dict(_TAGS)
    ready: list[tuple[int, list]] = []
    row: list = []
    number = col = phonetic = 0
    kind = text = None
    is_date = in_text = False

    def value(raw: str):
        if kind == "s":
            return strings[int(raw)]
        if kind is None or kind == "n":
            if is_date:
                return from_excel(float(raw), epoch)
            # Digits stay an exact integer; anything else (an ID saved as 3.3E+17) stays a float.
            return int(raw) if raw.isdigit() else float(raw)
        if kind == "b":
            return raw in ("1", "true")
        if kind == "d":
            try:
                return datetime.datetime.fromisoformat(raw)
            except ValueError:
                return raw
        return raw  # inlineStr, str (a formula's text), e (an error such as #N/A)

    def start(name, attrs):
        nonlocal row, number, col, kind, text, is_date, in_text, phonetic
        tag = tags.get(name)
        if tag is None:
            tag = tags[name] = _tag(name)
        if tag == _CELL:
            ref = attrs.get("r")
            if ref:
                col = 0
                for ch in ref:
                    if ch <= "9":
                        break
                    col = col * 26 + ord(ch) - 64
                col -= 1
            else:
                col = len(row)
            kind = attrs.get("t")
            style = attrs.get("s")
            is_date = bool(style) and int(style) in date_styles
            text = None
        elif tag == _VALUE:
            in_text = not phonetic
        elif tag == _ROW:
            row = []
            r = attrs.get("r")
            number = int(r) if r else number + 1
        elif tag == _PHONETIC:
            phonetic += 1

    def end(name):
        nonlocal in_text, phonetic
        tag = tags.get(name) or _tag(name)
        if tag == _CELL:
            if text is not None:
                if col >= len(row):
                    row.extend([None] * (col + 1 - len(row)))
                row[col] = value(text)
        elif tag == _VALUE:
            in_text = False
        elif tag == _ROW:
            if any(v is not None and v != "" for v in row):
                ready.append((number, row))
        elif tag == _PHONETIC:
            phonetic -= 1

    def data(chunk):
        nonlocal text
        if in_text:
            text = chunk if text is None else text + chunk

    return start, end, data, ready


def is_xlsx(path) -> bool:
    """A zip file that holds a workbook part (not a .docx, not a renamed archive)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def file_size(path) -> int:
    return os.path.getsize(path)
