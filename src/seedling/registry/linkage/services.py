"""The duplicate queue (疑似重复档案): fed on entry, on import and by a batch job; decisions on pairs.

- `candidates_record_for(child)`: after a file is created or imported, compare it with the files
  sharing a blocking key and queue every pair scoring at or above the threshold.
- `find_duplicates(area_prefix=...)`: the batch job over an area (command `seedling find_duplicates`,
  task `find_duplicates_task`).
- `candidate_not_duplicate`: "not the same child" is remembered; the pair is never proposed again.
- Merging and unmerging: registry.linkage.merge.

The threshold is fixed in advance in settings (SEEDLING_DUPLICATE_THRESHOLD, default
scoring.DEFAULT_THRESHOLD); the benchmark evaluates the weights at that threshold.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.audit import audit_log
from seedling.core.scope import user_may
from seedling.registry.models import Child, DuplicateCandidate

from . import features, pipeline, records, scoring

Source = DuplicateCandidate.Source


def threshold() -> float:
    """The score at which a pair enters the queue (fixed in advance; see the module docstring)."""
    return float(getattr(settings, "SEEDLING_DUPLICATE_THRESHOLD", scoring.DEFAULT_THRESHOLD))


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _store(found: Iterable[tuple[int, int, scoring.Score]], source: str, *, chunk: int = 500) -> int:
    """Queue new pairs and refresh the score of pending ones; decided pairs are left as they are."""
    pairs = {_ordered(a, b): s for a, b, s in found}
    ordered = sorted(pairs)
    queued = 0
    for start in range(0, len(ordered), chunk):
        part = ordered[start : start + chunk]
        existing = {
            (row.child_id, row.other_id): row
            for row in DuplicateCandidate.objects.filter(
                child_id__in={a for a, _b in part}, other_id__in={b for _a, b in part}
            )
        }
        new, changed = [], []
        for key in part:
            score, row = pairs[key], existing.get(key)
            if row is None:
                new.append(DuplicateCandidate(child_id=key[0], other_id=key[1], score=score.total,
                                              context=score.context, parts=score.as_json(), source=source))  # fmt: skip
            elif row.status == DuplicateCandidate.Status.PENDING and row.score != score.total:
                row.score, row.context, row.parts = score.total, score.context, score.as_json()
                row.updated_at = timezone.now()  # bulk_update skips auto_now
                changed.append(row)
        DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
        DuplicateCandidate.objects.bulk_update(changed, ["score", "context", "parts", "updated_at"])
        queued += len(new)
    return queued


@transaction.atomic
def candidates_record_for(child: Child, *, source: str = Source.ENTRY) -> int:
    """Compare one file with the files sharing a blocking key; queue the likely duplicates.

    The hook to call after a file is created or imported (returns how many pairs were queued).
    """
    if child.merged_into_id:
        return 0
    ids = records.candidate_ids(child)
    if not ids:
        return 0
    target = features.prepare(records.records_of([child])[0])
    others = records.records_of(Child.objects.filter(pk__in=ids))
    limit = threshold()
    found = []
    for record in others:
        score = scoring.score(target, features.prepare(record))
        if score.total >= limit:
            found.append((child.pk, record.key, score))
    return _store(found, source)


@dataclass
class FindReport:
    area: str
    records: int = 0
    candidates: int = 0
    found: int = 0
    queued: int = 0
    seconds: float = 0.0


def find_duplicates(
    *, area_prefix: str, source: str = Source.BATCH, workers: int = 1, progress: Callable | None = None
) -> FindReport:
    """Compare every file of an area with every other (through blocking); queue the likely duplicates."""
    start = time.monotonic()
    report = FindReport(area=area_prefix)
    recs = list(records.records_in_area(area_prefix))
    report.records = len(recs)
    if progress:
        progress(_("已读取 %(n)d 份档案，正在比对……") % {"n": len(recs)})
    blocked = pipeline.blocking.BlockingReport()
    matches = pipeline.link(recs, threshold=threshold(), workers=workers, report=blocked)
    report.candidates, report.found = blocked.pairs, len(matches)
    with transaction.atomic():
        report.queued = _store(((m.a, m.b, m.score()) for m in matches), source)
    report.seconds = round(time.monotonic() - start, 1)
    return report


def _require_both(user, action: str, candidate: DuplicateCandidate) -> None:
    if not (
        user_may(user, action, candidate.child.area_id) and user_may(user, action, candidate.other.area_id)
    ):
        raise PermissionDenied(_("您没有权限处理这两份档案。"))


@transaction.atomic
def candidate_not_duplicate(*, user, candidate: DuplicateCandidate, note: str = "") -> DuplicateCandidate:
    """Record that the two files are two children: the pair is never proposed again (logged on both)."""
    _require_both(user, Action.REVIEW, candidate)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateCandidate.Status.PENDING:
        raise ValidationError({"status": _("这对档案已经处理过了。")})
    candidate.status = DuplicateCandidate.Status.NOT_DUPLICATE
    candidate.decided_by, candidate.decided_at = user, timezone.now()
    candidate.note = (note or "").strip()[:300]
    candidate.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    for child, other in ((candidate.child, candidate.other), (candidate.other, candidate.child)):
        detail = {"duplicate": {"decision": "not_duplicate", "other": other.pk, "candidate": candidate.pk}}
        audit_log(user=user, action="decide", obj=child, detail=detail, reason=candidate.note)
    return candidate
