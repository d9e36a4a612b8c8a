"""Estimate m and u of every feature level from the ground-truth generator (training seed).

    .venv/bin/python bench/quality/estimate.py --n 200000 --seed 101

m = share of true pairs among the blocked candidates at each level, u = share of the other candidate
pairs; the weight is log2(m / u). The printed table is what registry.linkage.scoring.WEIGHTS was set
from (rounded, then adjusted where the text of scoring.py says why).
"""

import argparse
import math
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedling.config.settings")
    django.setup()
    from quality import groundtruth

    from seedling.registry.linkage import blocking, features

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=101)
    args = parser.parse_args()
    t = time.monotonic()
    data = groundtruth.make(args.n, seed=args.seed)
    prepared = [features.prepare(r) for r in data.records]
    report = blocking.BlockingReport()
    pairs = blocking.candidate_pairs(prepared, report=report)
    truth = data.true_pairs()
    print(
        f"records {len(prepared)}, candidates {len(pairs)}, true {len(truth)}, "
        f"blocked true {len(truth & pairs)}, {time.monotonic() - t:.1f}s, {report}"
    )
    from seedling.registry.linkage import scoring

    m, u = Counter(), Counter()
    n_m, n_u = Counter(), Counter()
    for a, b in pairs:
        levels = dict(zip(features.FEATURES, features.compare(prepared[a], prepared[b]), strict=True))
        context = scoring.context_of(levels)
        same = data.cluster[a] == data.cluster[b]
        (n_m if same else n_u)[context] += 1
        (n_m if same else n_u)["all"] += 1
        for feature, level in levels.items():
            where = "all" if feature == scoring.CONTEXT_FEATURE else context
            (m if same else u)[(where, feature, level)] += 1
    print(f"prior: log2 odds {math.log2(n_m['all'] / n_u['all']):.2f}; by context: {dict(n_m)} / {dict(n_u)}")
    table: dict = {}
    for where, feature, level in sorted(set(m) | set(u)):
        pm = (m[(where, feature, level)] + 0.5) / (n_m[where] + 1)
        pu = (u[(where, feature, level)] + 0.5) / (n_u[where] + 1)
        weight = max(-15.0, min(15.0, math.log2(pm / pu)))
        table.setdefault(where, {}).setdefault(feature, {})[level] = round(weight, 1)
        print(
            f"    {where:7} {feature:10} {level:14} m={pm:.5f} ({m[(where, feature, level)]:6}) "
            f"u={pu:.6f} ({u[(where, feature, level)]:8}) w={weight:6.2f}"
        )
    print("WEIGHTS =", table)
    # F1 of the weights now in scoring.WEIGHTS at each threshold (the threshold is chosen here, on the
    # training seed, never on an evaluation seed).
    totals = [(scoring.total(features.compare(prepared[a], prepared[b])), data.cluster[a] == data.cluster[b])
              for a, b in pairs]  # fmt: skip
    for step in range(-8, 25):
        cut = step / 2
        predicted = sum(1 for t, _same in totals if t >= cut)
        correct = sum(1 for t, same in totals if t >= cut and same)
        p, r = correct / max(predicted, 1), correct / len(truth)
        print(f"    threshold {cut:4.1f}: P {p:.4f} R {r:.4f} F1 {2 * p * r / max(p + r, 1e-9):.4f}")


if __name__ == "__main__":
    main()
