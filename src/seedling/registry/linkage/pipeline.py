"""Batch linkage (pure): prepare every record, block, compare the candidate pairs, keep the likely ones.

    matches = link(records, threshold=settings.SEEDLING_DUPLICATE_THRESHOLD)

Comparing pairs is the expensive step; with `workers` > 1 it runs in forked processes that share the
prepared records copy-on-write (the records are never pickled, only the pairs' indexes and results).
"""

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

from . import blocking, features, scoring


@dataclass(frozen=True, slots=True)
class Match:
    a: object  # the records' keys, a before b in the input order
    b: object
    total: float
    levels: tuple[str, ...]

    def score(self) -> scoring.Score:
        return scoring.weigh(dict(zip(features.FEATURES, self.levels, strict=True)))


# Set before the workers fork, read by them copy-on-write: only index ranges and results cross over.
_PREPARED: list[features.Prepared] = []
_PAIRS: list[int] = []  # i * len(_PREPARED) + j


@contextlib.contextmanager
def _no_gc():
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _compare_range(args) -> list[tuple[int, int, float, tuple]]:
    start, end, keep = args
    prepared, bounded, n = _PREPARED, scoring.bounded_total, len(_PREPARED)
    out = []
    with _no_gc():  # the results only grow until returned: nothing for the collector to find
        for code in _PAIRS[start:end]:
            i, j = divmod(code, n)
            found = bounded(prepared[i], prepared[j], keep)
            if found is not None and found[0] >= keep:
                out.append((i, j, found[0], found[1]))
    return out


def link(
    records: Sequence[features.Record],
    *,
    threshold: float,
    keep: float | None = None,
    workers: int = 1,
    report: blocking.BlockingReport | None = None,
) -> list[Match]:
    """Pairs of records scoring at least `keep` (default: the threshold), best first."""
    global _PREPARED, _PAIRS
    keep = threshold if keep is None else keep
    with _no_gc():
        # Millions of small objects that all live until the end: the cyclic collector would walk
        # them again and again for nothing (measured: half the time of preparing and blocking).
        prepared = [features.prepare(r) for r in records]
        _PAIRS = list(blocking.candidate_codes(prepared, report=report))
    _PREPARED = prepared
    gc.freeze()  # forked workers then share the records' pages instead of copying them on collection
    try:
        workers = max(1, min(workers, os.cpu_count() or 1))
        if workers == 1 or len(_PAIRS) < 20_000:
            rows = _compare_range((0, len(_PAIRS), keep))
        else:
            size = -(-len(_PAIRS) // (workers * 4))
            ranges = [(k, k + size, keep) for k in range(0, len(_PAIRS), size)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                rows = [row for part in pool.imap_unordered(_compare_range, ranges) for row in part]
    finally:
        _PREPARED, _PAIRS = [], []
        gc.unfreeze()
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return [Match(prepared[i].key, prepared[j].key, round(v, 2), lv) for i, j, v, lv in rows]
