"""Aggregate tables from real responses: counted by county, age band and sex × band, then suppressed."""

import pytest
from django.core.exceptions import PermissionDenied

from seedling.research import services
from seedling.research.aggregates import aggregate_tables
from seedling.research.filters import filters_clean
from seedling.testing import areas

pytestmark = pytest.mark.django_db


def report(user, minimum=None, **filters):
    return aggregate_tables(user=user, filters=filters_clean(user=user, data=filters), minimum=minimum)


def table(result, key):
    return next(t for t in result.tables if t.key == key)


def test_counts_before_suppression_are_right(users, dataset):
    result = report(users.researcher, minimum=1, instrument="phq-a")
    by_area = table(result, "area")
    assert by_area.row_labels == ["330723 武义县", "331081 温岭市"]
    assert by_area.column_codes == ["green", "yellow", "orange", "red", "none"]
    assert by_area.published.cells == [[4, 3, 1, 1, 0], [1, 0, 0, 0, 0]]
    assert result.total == 10  # Beijing's 2 are not the researcher's
    by_age = table(result, "age_band")
    assert dict(zip(by_age.row_codes, by_age.published.row_totals, strict=True)) == {
        "6–8": 1,  # 温岭市's child, born 2015
        "12–14": 5,  # 欧阳小雨 twice, 王小二, 王小三, 王小四
        "15–17": 1,  # 王小一, born 2009
        "unknown": 3,  # the anonymous self-checks
    }
    by_sex = table(result, "sex")
    assert by_sex.row_codes == ["M", "F", "unknown"]
    assert by_sex.published.row_totals == [4, 3, 3]


def test_small_cells_are_hidden_and_cannot_be_recovered_from_the_totals(users, dataset):
    result = report(users.researcher, instrument="phq-a")
    assert result.minimum == 5
    for t in result.tables:
        published = t.published
        rows = [[*c, total] for c, total in zip(published.cells, published.row_totals, strict=True)]
        rows.append([*published.column_totals, published.total])
        for line in [*rows, *map(list, zip(*rows, strict=True))]:
            assert sum(v is None for v in line) != 1
            assert all(v is None or v == 0 or v >= 5 for v in line)
    by_area = table(result, "area")
    assert by_area.display_rows()[1]["cells"][0] == "<5"  # 温岭市's single response
    assert by_area.display_totals()["total"] == "10"


def test_the_minimum_comes_from_the_setting(users, dataset, settings):
    settings.SEEDLING_RESEARCH_MIN_CELL = 2
    result = report(users.researcher, instrument="phq-a")
    assert result.minimum == 2
    assert table(result, "area").published.cells[0][1] == 3  # 武义县 yellow
    settings.SEEDLING_RESEARCH_MIN_CELL = 5
    assert table(report(users.researcher, instrument="phq-a"), "area").published.cells[0][1] is None


def test_filters_apply_and_the_scope_holds(users, dataset, researcher_bj):
    assert report(users.researcher, minimum=1, instrument="phq-a", area=areas.COUNTY).total == 9
    assert report(users.researcher, minimum=1, instrument="phq-a", date_from="2024-06-01").total == 1
    assert report(researcher_bj, minimum=1, instrument="phq-a").total == 2
    assert table(report(researcher_bj, minimum=1, instrument="phq-a"), "area").row_codes == ["110112"]


def test_only_researchers_see_tables(users):
    with pytest.raises(PermissionDenied):
        services.research_allowed(users.county_officer)
    assert report(users.county_officer, minimum=1, instrument="phq-a").total == 0
