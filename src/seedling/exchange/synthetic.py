"""Synthetic rosters in the template's format (benchmarks, large-file tests), written as a stream.

Children come from registry.synthetic (realistic names, valid identity numbers, families and
situations), one village at a time, so a million-row file is written without holding it in memory.
"""

import csv
import datetime
import random
from collections.abc import Iterator

from django.utils.translation import override
from openpyxl import Workbook

from seedling.registry import synthetic
from seedling.registry.choices import Grade, Hukou, NoIdReason, Relation, Sex, Situation
from seedling.registry.validation import age_on

from .columns import COLUMNS

_LABEL = {
    "sex": dict(Sex.choices),
    "hukou_type": dict(Hukou.choices),
    "no_id_reason": dict(NoIdReason.choices),
    "grade": dict(Grade.choices),
    "relation": dict(Relation.choices),
    "situation": dict(Situation.choices),
}


def _label(kind: str, code: str) -> str:
    return str(_LABEL[kind][code]) if code else ""


def roster_rows(
    villages: list[synthetic.Village], total: int, *, seed: int, today: datetime.date
) -> Iterator[list]:
    """About `total` rows (cells in COLUMNS order) spread over `villages`, deterministic by seed;
    children 18 or older on `today` are left out."""
    rng = random.Random(seed)
    ctx = synthetic.families.Context(rng=rng, ids=synthetic.people.IdMaker(rng), today=today, origins={})
    counts = synthetic.split_children(total, dict.fromkeys(villages, 1.0), rng=rng)
    keys = [c.key for c in COLUMNS]
    with override("zh-hans"):
        for village in sorted(counts, key=lambda v: v.code):
            families = synthetic.families.VillageFamilies(ctx, village)
            left = counts[village]
            while left > 0:
                chunk = families.children(min(left, 500))
                left -= len(chunk)
                for spec in chunk:
                    if age_on(spec.birth_date, today) >= 18:
                        continue  # grown up by `today`: the register would refuse the row
                    cells = _cells(spec, village)
                    yield [cells.get(k, "") for k in keys]


def _cells(spec, village) -> dict:
    cells = {
        "name": spec.name,
        "id_number": spec.id_number,
        "no_id_reason": _label("no_id_reason", spec.no_id_reason),
        "sex": "" if spec.id_number else _label("sex", spec.sex),
        "birth_date": "" if spec.id_number else spec.birth_date.isoformat(),
        "ethnic_group": spec.ethnic_group,
        "hukou_type": _label("hukou_type", spec.hukou_type),
        "hukou_code": spec.hukou_area_code or "",
        "area": village.code,
        "address": spec.address,
        "resident_since": spec.resident_since.isoformat() if spec.resident_since else "",
        "school": spec.school,
        "grade": _label("grade", spec.grade),
        "in_full_time_study": "是" if spec.in_full_time_study else "",
        "family_economic_difficulty": "是" if spec.family_economic_difficulty else "",
    }
    for person in spec.persons:
        if person.relation in ("father", "mother"):
            prefix = person.relation
            current = next((s for s in person.situations if s.ended_on is None), None)
            cells[f"{prefix}_name"] = person.name
            cells[f"{prefix}_id_number"] = person.id_number
            cells[f"{prefix}_phone"] = person.phone
            if current is not None:
                cells[f"{prefix}_situation"] = _label("situation", current.kind)
                cells[f"{prefix}_since"] = current.started_on.isoformat() if current.started_on else ""
                cells[f"{prefix}_place"] = current.place
        elif person.is_delegated_carer and "carer_name" not in cells:
            cells["carer_name"] = person.name
            cells["carer_id_number"] = person.id_number
            cells["carer_relation"] = _label("relation", person.relation)
            cells["carer_phone"] = person.phone
    return cells


def headers() -> list[str]:
    with override("zh-hans"):
        return [str(c.header) for c in COLUMNS]


def write_csv(path, rows: Iterator[list], *, encoding: str = "utf-8-sig") -> int:
    count = 0
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers())
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_xlsx(path, rows: Iterator[list]) -> int:
    """A write-only workbook (rows streamed to disk); identity numbers as text, as the template has them."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("儿童名单")
    sheet.append(headers())
    count = 0
    for row in rows:
        sheet.append([cell if cell != "" else None for cell in row])
        count += 1
    book.save(path)
    return count


def villages_of(prefix: str, limit: int | None = None) -> list[synthetic.Village]:
    """Villages under an area prefix, as registry.synthetic wants them."""
    from seedling.geo.models import Division

    county_names = dict(
        Division.objects.filter(level="county", code__startswith=prefix[:6]).values_list("code", "name")
    )
    rows = Division.objects.filter(code__startswith=prefix, level="village", retired_in__isnull=True)
    out = []
    for v in rows.select_related("parent").order_by("code")[:limit]:
        county = v.code[:6]
        out.append(
            synthetic.Village(
                v.code,
                v.name,
                v.parent_id,
                v.parent.name,
                county,
                county_names.get(county, ""),
                urban=v.urban_rural == "urban",
            )
        )
    return out
