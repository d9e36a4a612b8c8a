"""Export of a filtered child list (儿童名单导出) to CSV or .xlsx, streamed, in the roster's own columns.

- Only the areas where the user may export (the EXPORT action): researchers, who see de-identified
  data only, have no export of identified data at all.
- Identity numbers are masked (330***********123X) unless the user asks for full numbers with a
  reason AND may reveal them in that child's area; each child whose numbers are revealed gets a
  "reveal" access-log row with the reason, as on the child's page.
- Every text cell that a spreadsheet would run as a formula is neutralised (exchange.safety).
- One "export" access-log row with the filters, the format and the number of rows.
The file has the import template's columns (so a list can be corrected and imported elsewhere),
plus a few read-only ones (pinyin, village and township names, categories, status).
"""

import csv
import re
import tempfile
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from seedling.accounts.roles import Action
from seedling.core.audit import audit_log
from seedling.core.models import AccessLog
from seedling.core.request_context import current_request
from seedling.core.scope import collapse_prefixes, user_may
from seedling.registry import search
from seedling.registry.choices import ETHNIC_GROUPS

from .columns import COLUMNS
from .safety import neutralise
from .selectors import export_children

CHUNK = 1000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header
_NUMBER_IN_QUERY = re.compile(r"[0-9０-９]{6,}")
_ETHNIC = dict(ETHNIC_GROUPS)
# Read-only columns, placed after the template column named in the key.
_EXTRA = {
    "name": [("name_pinyin", gettext_lazy("拼音"))],
    "area": [("village", gettext_lazy("村（居）")), ("township", gettext_lazy("乡镇（街道）"))],
    "carer_phone": [("categories", gettext_lazy("类别")), ("status", gettext_lazy("档案状态"))],
}


def export_columns() -> list[tuple[str, str]]:
    """(key, header in the user's language) of each exported column."""
    out = []
    for column in COLUMNS:
        out.append((column.key, str(column.header)))
        out += [(key, str(header)) for key, header in _EXTRA.get(column.key, [])]
    return out


def _yes(flag: bool) -> str:
    return _("是") if flag else ""


def _number(record, reveal: bool) -> str:
    if not record.has_id_number:
        return ""
    return record.reveal_id_number() if reveal else record.id_number_mask


def child_cells(child, *, reveal: bool) -> dict:
    """A child's row by column key (display values, in the user's language)."""
    area = child.area
    cells = {
        "name": child.name,
        "name_pinyin": child.name_pinyin,
        "id_number": _number(child, reveal),
        "no_id_reason": child.get_no_id_reason_display() if child.no_id_reason else "",
        "sex": child.get_sex_display(),
        "birth_date": child.birth_date.isoformat(),
        "ethnic_group": str(_ETHNIC.get(child.ethnic_group, child.ethnic_group)),
        "hukou_type": child.get_hukou_type_display(),
        "hukou_code": child.hukou_area_id or "",
        "area": child.area_id,
        "village": area.name,
        "township": area.parent.name if area.parent_id else "",
        "address": child.address,
        "resident_since": child.resident_since.isoformat() if child.resident_since else "",
        "school": child.school,
        "grade": child.get_grade_display() if child.grade else "",
        "in_full_time_study": _yes(child.in_full_time_study),
        "lives_alone": _yes(child.lives_alone),
        "health": child.get_health_display(),
        "disability_type": child.get_disability_type_display() if child.disability_type else "",
        "disability_grade": child.get_disability_grade_display() if child.disability_grade else "",
        "family_economic_difficulty": _yes(child.family_economic_difficulty),
        "categories": "、".join(a.get_category_display() for a in getattr(child, "open_categories", [])),
        "status": child.get_status_display(),
    }
    for person in child.persons.all():
        if person.relation in ("father", "mother"):
            prefix = person.relation
        elif person.is_delegated_carer:
            prefix = "carer"
            cells["carer_relation"] = person.get_relation_display()
        else:
            continue
        if f"{prefix}_name" in cells:
            continue  # the first recorded one, as the roster has one column each
        cells[f"{prefix}_name"] = person.name
        cells[f"{prefix}_id_number"] = _number(person, reveal)
        cells[f"{prefix}_phone"] = person.phone
        current = [s for s in person.situations.all() if s.ended_on is None]
        if current and prefix != "carer":
            situation = current[0]
            cells[f"{prefix}_situation"] = situation.get_kind_display()
            cells[f"{prefix}_since"] = situation.started_on.isoformat() if situation.started_on else ""
            cells[f"{prefix}_place"] = situation.place
    return cells


@dataclass
class ChildExport:
    """A prepared export: its rows are produced while the file is sent, after the log is written."""

    user: object
    children: object  # a queryset (list filters) or a list (search results, ranked)
    count: int
    full_ids: bool
    fmt: str

    def rows(self):
        """The header, then each child's cells, formula-neutralised."""
        columns = export_columns()
        yield [neutralise(header) for _key, header in columns]
        if isinstance(self.children, list):
            children = self.children
        else:
            children = self.children.iterator(chunk_size=CHUNK)
        user = self.user
        revealable: dict[str, bool] = {}
        for child in children:
            reveal = False
            if self.full_ids:
                if child.area_id not in revealable:
                    revealable[child.area_id] = user_may(user, Action.REVEAL, child.area_id)
                reveal = revealable[child.area_id]
            cells = child_cells(child, reveal=reveal)
            yield [neutralise(cells.get(key, "")) for key, _header in columns]

    @property
    def filename(self) -> str:
        return f"{_('儿童名单')}_{timezone.localdate():%Y%m%d}.{self.fmt}"


def child_list_export(
    *,
    user,
    filters: dict | None = None,
    query: str = "",
    fmt: str = "csv",
    full_ids: bool = False,
    reason: str = "",
) -> ChildExport:
    """Prepare an export of the child list as filtered (and searched) on the page; writes the log.

    Full identity numbers only with a reason, and only in the areas where the user may reveal them.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValidationError({"format": _("导出格式只能是 CSV 或 Excel（.xlsx）。")})
    if not user.area_prefixes(Action.EXPORT):
        raise PermissionDenied(_("您没有导出儿童名单的权限。"))
    reason = (reason or "").strip()
    if full_ids:
        if not user.area_prefixes(Action.REVEAL):
            raise PermissionDenied(_("您没有权限查看完整身份证号。"))
        if len(reason) < 2:
            raise ValidationError({"reason": _("请说明导出完整身份证号的理由。")})
    filters = {k: v for k, v in (filters or {}).items() if v not in ("", None) and k != "q"}
    qs = export_children(user=user, filters=filters)
    query = (query or "").strip()
    if query:
        children = search.search_children(user=user, query=query, base=qs, limit=search.CANDIDATES)
        count = len(children)
        revealed_ids = [(c.pk, c.area_id) for c in children]
    else:
        children, count = qs, qs.count()
        revealed_ids = qs.values_list("pk", "area_id").iterator(chunk_size=5000) if full_ids else []
    if fmt == "xlsx" and count > XLSX_MAX_ROWS:
        raise ValidationError({"format": _("超过 Excel 的行数上限，请导出为 CSV 或缩小筛选范围。")})
    revealed = _log_reveals(user, revealed_ids, reason) if full_ids else 0
    detail = {k: str(v) for k, v in filters.items()}
    if query:
        detail["query"] = "[number]" if _NUMBER_IN_QUERY.search(query.replace(" ", "")) else query
    detail.update(format=fmt, rows=count, full_ids=revealed)
    # The area exported (the filter, else the user's export area when it is one): area auditors see it.
    prefixes = collapse_prefixes(user.area_prefixes(Action.EXPORT))
    area = str(filters.get("area") or (prefixes[0] if len(prefixes) == 1 else ""))
    audit_log(user=user, action="export", area_code=area, reason=reason if full_ids else "", detail=detail)
    return ChildExport(user=user, children=children, count=count, full_ids=full_ids, fmt=fmt)


def _log_reveals(user, children, reason: str) -> int:
    """A "reveal" row for each child whose numbers the file shows in full (bulk: exports are large)."""
    info = current_request.get()
    now = timezone.now()
    may: dict[str, bool] = {}
    batch, total = [], 0
    for pk, area_code in children:
        if area_code not in may:
            may[area_code] = user_may(user, Action.REVEAL, area_code)
        if not may[area_code]:
            continue
        batch.append(
            AccessLog(
                at=now,
                user=user,
                username=user.username,
                action="reveal",
                object_type="registry.child",
                object_id=str(pk),
                child_id=pk,
                area_code=area_code,
                reason=reason[:500],
                ip=info.ip if info else None,
                path=info.path if info else "",
                detail={"export": True},
            )
        )
        if len(batch) >= 2000:
            AccessLog.objects.bulk_create(batch)
            total, batch = total + len(batch), []
    AccessLog.objects.bulk_create(batch)
    return total + len(batch)


class _Echo:
    def write(self, value):
        return value


def csv_chunks(export: ChildExport):
    """The CSV as a stream of bytes (UTF-8 with a BOM, so Excel shows the Chinese as Chinese)."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    buffer = []
    for row in export.rows():
        buffer.append(writer.writerow(row))
        if len(buffer) >= 500:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def xlsx_file(export: ChildExport):
    """The workbook in a temporary file (write-only: rows go to disk as they come), opened for reading."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("儿童名单"))
    for row in export.rows():
        # Control characters are not allowed in the file's XML: dropped, not refused.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 -- the response closes it
    book.save(handle)
    handle.seek(0)
    return handle
