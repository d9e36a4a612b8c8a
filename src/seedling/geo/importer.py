"""Import NBS statistical division codes (统计用区划代码) from the five CSV files of an edition.

A newer edition updates names and parents, adds new codes and marks codes that disappeared as
retired (never deleting them: children's records may still point at them).
"""

import csv
import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from pypinyin import lazy_pinyin

from .models import Division

BUNDLED = Path(__file__).parent / "data" / "divisions-2023"
# level, file, column holding the parent's code
FILES = [
    ("province", "provinces.csv.gz", None),
    ("city", "cities.csv.gz", "provinceCode"),
    ("county", "areas.csv.gz", "cityCode"),
    ("township", "streets.csv.gz", "areaCode"),
    ("village", "villages.csv.gz", "streetCode"),
]
RURAL_SUFFIXES = ("村委会", "村民委员会")
URBAN_SUFFIXES = ("居委会", "居民委员会", "社区")


class DivisionFileError(ValueError):
    pass


def urban_rural(level: str, name: str) -> str:
    """Rural or urban from a village's name (the tables carry no urban-rural class); see data README."""
    if level != "village":
        return ""
    if name.endswith(RURAL_SUFFIXES):
        return Division.UrbanRural.RURAL
    if name.endswith(URBAN_SUFFIXES):
        return Division.UrbanRural.URBAN
    return Division.UrbanRural.OTHER


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    retired: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)


def _rows(path: Path, parent_col: str | None) -> Iterator[tuple[str, str, str | None]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"code", "name", *([parent_col] if parent_col else [])} - set(reader.fieldnames or [])
        if missing:
            raise DivisionFileError(f"{path.name}: missing columns {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            code = (row["code"] or "").strip()
            if not code.isdigit():
                raise DivisionFileError(f"{path.name} line {line}: code {code!r} is not digits")
            yield code, row["name"].strip(), (row[parent_col].strip() if parent_col else None)


def _find(directory: Path, filename: str) -> Path:
    for candidate in (directory / filename, directory / filename.removesuffix(".gz")):
        if candidate.exists():
            return candidate
    raise DivisionFileError(f"{filename} not found in {directory}")


@transaction.atomic
def divisions_import(
    *,
    directory: Path = BUNDLED,
    edition: int = 2023,
    village_prefixes: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
) -> ImportReport:
    """Load an edition. `village_prefixes` limits villages (e.g. ["33", "11"]); other levels load whole.

    Codes of a loaded level (within the village prefixes) absent from the edition are retired.
    """
    prefixes = tuple(village_prefixes) if village_prefixes is not None else None
    wanted_levels = set(levels) if levels else {level for level, _, _ in FILES}
    report = ImportReport()
    for level, filename, parent_col in FILES:
        if level not in wanted_levels:
            continue
        seen: set[str] = set()
        existing = {
            d.code: d
            for d in Division.objects.filter(level=level).only(
                "code", "name", "parent_id", "edition", "retired_in", "urban_rural", "pinyin"
            )
        }
        to_create, to_update = [], []
        for code, name, parent in _rows(_find(directory, filename), parent_col):
            if level == "village" and prefixes is not None and not code.startswith(prefixes):
                continue
            seen.add(code)
            current = existing.get(code)
            kind = urban_rural(level, name)
            if current is None:
                to_create.append(
                    Division(
                        code=code,
                        level=level,
                        parent_id=parent,
                        name=name,
                        pinyin=" ".join(lazy_pinyin(name)),
                        urban_rural=kind,
                        edition=edition,
                    )
                )
            elif (current.name, current.parent_id, current.retired_in) != (name, parent, None):
                current.name, current.parent_id, current.retired_in = name, parent, None
                current.pinyin, current.urban_rural, current.edition = (
                    " ".join(lazy_pinyin(name)),
                    kind,
                    edition,
                )
                to_update.append(current)
        Division.objects.bulk_create(to_create, batch_size=2000)
        Division.objects.bulk_update(
            to_update, ["name", "parent", "retired_in", "pinyin", "urban_rural", "edition"], batch_size=2000
        )
        gone = [
            c
            for c, d in existing.items()
            if c not in seen
            and d.retired_in is None
            and (level != "village" or prefixes is None or c.startswith(prefixes))
        ]
        Division.objects.filter(code__in=gone).update(retired_in=edition) if gone else None
        report.created[level], report.updated[level], report.retired[level] = (
            len(to_create),
            len(to_update),
            len(gone),
        )
        report.unchanged[level] = len(seen) - len(to_create) - len(to_update)
    return report
