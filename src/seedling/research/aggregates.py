"""Aggregate tables of one instrument (汇总表): responses by county, age band and sex × band.

The tables are published with small-cell suppression at the minimum SEEDLING_RESEARCH_MIN_CELL
(default 5): a number under it is shown as "<5", and enough others with it that none can be worked
out. The three tables count the same responses and share their band totals and grand total, so they
are suppressed together (research.linked): a total hidden in one is hidden in all, and the number of
responses the page shows is that grand total. Counties are pooled exactly as in the row-level file
(rules.area_generalise): a county with fewer responses than the minimum is not named but counted in
"<city> 其他区县（合并）", "<province> 其他区县（合并）" or "其他（合并）", so the table never names a
county whose rows the file leaves without a place. One pass over the responses (small columns,
streamed), counted in Python: the age band needs the child's birth date against each response's own
date, which neither database computes the same way.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedling.geo.models import Division
from seedling.registry.choices import Sex

from . import rules
from .filters import ResearchFilters
from .linked import suppress_linked
from .selectors import research_responses, with_place
from .suppression import SuppressedTable, display

BANDS = [
    ("green", _("绿色")),
    ("yellow", _("黄色")),
    ("orange", _("橙色")),
    ("red", _("红色")),
    ("none", _("未分级")),
]
UNKNOWN_LABEL = _("不详")
POOLED_LABEL = _("其他（合并）")
_CHUNK = 5000


def min_cell() -> int:
    """The smallest count that may be published (setting SEEDLING_RESEARCH_MIN_CELL, default 5)."""
    return max(1, int(getattr(settings, "SEEDLING_RESEARCH_MIN_CELL", 5)))


@dataclass
class CountTable:
    """One published table: row and column codes with labels, and the suppressed counts."""

    key: str
    title: str
    row_codes: list[str]
    row_labels: list[str]
    column_codes: list[str]
    column_labels: list[str]
    published: SuppressedTable

    def display_rows(self) -> list[dict]:
        """Rows as text for a page: label, each cell ("<5" when hidden) and the row total."""
        m = self.published.minimum
        return [
            {
                "code": code,
                "label": label,
                "cells": [display(v, m) for v in cells],
                "total": display(total, m),
            }
            for code, label, cells, total in zip(
                self.row_codes,
                self.row_labels,
                self.published.cells,
                self.published.row_totals,
                strict=True,
            )
        ]

    def display_totals(self) -> dict:
        m = self.published.minimum
        return {
            "cells": [display(v, m) for v in self.published.column_totals],
            "total": display(self.published.total, m),
        }


@dataclass
class AggregateReport:
    filters: ResearchFilters
    minimum: int
    tables: list[CountTable]

    @property
    def total(self) -> int | None:
        """The number of responses counted (None when it is itself hidden)."""
        return self.tables[0].published.total if self.tables else 0


def _matrix(counts: Counter, row_codes) -> list[list[int]]:
    return [[counts[(row, column)] for column, _label in BANDS] for row in row_codes]


def _table(key, title, row_codes, row_labels, published: SuppressedTable) -> CountTable:
    return CountTable(
        key=key,
        title=str(title),
        row_codes=list(row_codes),
        row_labels=[str(label) for label in row_labels],
        column_codes=[code for code, _label in BANDS],
        column_labels=[str(label) for _code, label in BANDS],
        published=published,
    )


def _area_labels(codes: list[str], pooled: set[str]) -> list[str]:
    """ "330723 武义县"; a code that pools small counties: "3310 台州市其他区县（合并）" or "其他（合并）"."""
    names = dict(Division.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    labels = []
    for code in codes:
        if not code:
            labels.append(str(POOLED_LABEL if code in pooled else UNKNOWN_LABEL))
        elif code in pooled:
            labels.append(
                _("%(code)s %(name)s其他区县（合并）") % {"code": code, "name": names.get(code, "")}
            )
        else:
            labels.append(f"{code} {names.get(code, '')}".strip())
    return labels


def aggregate_tables(*, user, filters: ResearchFilters, minimum: int | None = None) -> AggregateReport:
    """Counts of the filtered responses by area × band, age band × band and sex × band, suppressed
    together; counties with fewer responses than the minimum pooled as in the row-level file."""
    minimum = minimum or min_cell()
    by_county: Counter = Counter()
    by_age: Counter = Counter()
    by_sex: Counter = Counter()
    qs = with_place(research_responses(user=user, filters=filters)).order_by()
    rows = qs.values_list("child__birth_date", "child__sex", "county", "submitted_at", "band")
    for birth_date, sex, county, submitted_at, band in rows.iterator(chunk_size=_CHUNK):
        column = band or "none"
        by_county[(county or "", column)] += 1
        age = rules.age_band(birth_date, timezone.localdate(submitted_at))
        by_age[(age, column)] += 1
        by_sex[(sex or rules.UNKNOWN, column)] += 1

    county_totals: Counter = Counter()
    for (county, _column), n in by_county.items():
        county_totals[county] += n
    published = rules.area_generalise(dict(county_totals), minimum)
    pooled = {code for county, code in published.items() if code != county}
    by_area: Counter = Counter()
    for (county, column), n in by_county.items():
        by_area[(published[county], column)] += n

    area_codes = sorted({row for row, _column in by_area}, key=lambda c: (c == "", len(c) < 6, c))
    ages = [a for a in rules.AGE_BAND_LABELS if any(row == a for row, _c in by_age)]
    sexes = [s for s in (Sex.MALE, Sex.FEMALE, rules.UNKNOWN) if any(row == s for row, _c in by_sex)]
    sex_labels = {Sex.MALE: Sex.MALE.label, Sex.FEMALE: Sex.FEMALE.label, rules.UNKNOWN: UNKNOWN_LABEL}
    area_table, age_table, sex_table = suppress_linked(
        [_matrix(by_area, area_codes), _matrix(by_age, ages), _matrix(by_sex, sexes)], minimum
    )
    return AggregateReport(
        filters=filters,
        minimum=minimum,
        tables=[
            _table("area", _("区县 × 分级"), area_codes, _area_labels(area_codes, pooled), area_table),
            _table(
                "age_band",
                _("年龄段 × 分级"),
                ages,
                [UNKNOWN_LABEL if a == rules.UNKNOWN else a for a in ages],
                age_table,
            ),
            _table("sex", _("性别 × 分级"), sexes, [sex_labels[s] for s in sexes], sex_table),
        ],
    )
