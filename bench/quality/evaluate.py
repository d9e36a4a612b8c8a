"""Precision, recall and F1 of pairwise duplicate decisions against the ground truth."""

import time
from collections import Counter
from dataclasses import asdict, dataclass


@dataclass
class Quality:
    threshold: float
    predicted: int
    true: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "error": round(1 - self.f1, 4),
        }


def quality(predicted: set, truth: set, threshold: float) -> Quality:
    return Quality(threshold, len(predicted), len(truth), len(predicted & truth))


def curve(scored: list[tuple[int, int, float]], truth: set) -> list[Quality]:
    """Quality at every distinct score, in one pass: pairs sorted by score, best first."""
    out = []
    correct = 0
    ordered = sorted(scored, key=lambda r: -r[2])
    for n, (a, b, value) in enumerate(ordered, start=1):
        correct += (min(a, b), max(a, b)) in truth
        if n == len(ordered) or ordered[n][2] != value:
            out.append(Quality(value, n, len(truth), correct))
    return out


def best(points: list[Quality]) -> Quality | None:
    return max(points, key=lambda q: q.f1) if points else None


def ours(data, *, threshold: float, keep: float = -10.0, workers: int = 2) -> dict:
    """Run registry.linkage on the data set; quality at the fixed threshold, and the best over all."""
    from seedling.registry.linkage import blocking, pipeline

    report = blocking.BlockingReport()
    start = time.monotonic()
    matches = pipeline.link(data.records, threshold=threshold, keep=keep, workers=workers, report=report)
    seconds = time.monotonic() - start
    truth = data.true_pairs()
    at = {(min(m.a, m.b), max(m.a, m.b)) for m in matches if m.total >= threshold}
    fixed = quality(at, truth, threshold)
    points = curve([(m.a, m.b, m.total) for m in matches], truth)
    missed = Counter()
    for a, b in truth - at:
        missed[data.noise[a] or data.noise[b]] += 1
    wrong = Counter()
    for a, b in at - truth:
        wrong[data.noise[a] or data.noise[b] or "unrelated"] += 1
    best_point = best(points)
    return {
        "seconds": round(seconds, 1),
        "candidates": report.pairs,
        "blocked_true": None,
        "at_threshold": fixed.as_dict(),
        "best": best_point.as_dict() if best_point else None,
        "missed_by_noise": dict(missed.most_common(12)),
        "false_by_kind": dict(wrong.most_common(8)),
    }
