"""A large roster streams: memory stays flat whatever the number of rows (the file is never loaded whole)."""

import time
import tracemalloc

import pytest
from django.db import transaction

from seedling.core import clock
from seedling.exchange import synthetic
from seedling.exchange.importer import roster_check, roster_import
from seedling.registry.models import Child

pytestmark = pytest.mark.django_db

ROWS = 20_000


def _generated(tmp_path, total: int, fmt: str = "csv"):
    path = tmp_path / f"generated-{total}.{fmt}"
    rows = synthetic.roster_rows(synthetic.villages_of("330723"), total, seed=7, today=clock.today())
    (synthetic.write_csv if fmt == "csv" else synthetic.write_xlsx)(path, rows)
    return path


def _peak(run) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_20000_row_roster_imports_with_flat_memory(users, tmp_path):
    small, large = _generated(tmp_path, 2_000), _generated(tmp_path, ROWS)

    def rolled_back():
        with transaction.atomic():
            result = roster_import(user=users.county_officer, path=small, reason="synthetic data")
            transaction.set_rollback(True)
        return result

    first, peak_small = _peak(rolled_back)
    assert first.committed, (first.message, first.problems[:5])
    assert not Child.objects.exists()

    started = time.perf_counter()
    result, peak = _peak(
        lambda: roster_import(user=users.county_officer, path=large, reason="synthetic data")
    )
    elapsed = time.perf_counter() - started

    assert result.committed, (result.message, result.problems[:5])
    assert Child.objects.count() == result.imported > 0.95 * ROWS
    # Ten times the rows, not ten times the memory: batches come and go. Holding the extra 18,000
    # rows (children, families, search keys) would take several times this margin.
    assert peak < 64 * 1024 * 1024, peak
    assert peak - peak_small < 24 * 1024 * 1024, (peak, peak_small)
    print(
        f"\n{result.imported} rows in {elapsed:.1f}s, peak traced {peak / 2**20:.1f} MB (2,000 rows: {peak_small / 2**20:.1f} MB)"
    )


def test_an_xlsx_roster_streams_too(users, tmp_path):
    path = _generated(tmp_path, 5_000, "xlsx")
    result, peak = _peak(lambda: roster_check(user=users.county_officer, path=path))
    assert result.errors == 0 and result.rows > 4_500
    assert peak < 48 * 1024 * 1024, peak
