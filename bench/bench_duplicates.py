"""Duplicate detection: quality and time of registry.linkage against Splink (DuckDB) on ground truth.

Goal (issue 4): over 1,000,000 records, our error (1 − F1) at the project's default threshold, fixed
in advance (SEEDLING_DUPLICATE_THRESHOLD), at most 0.7 × Splink's error at ITS best threshold over
all thresholds; our wall time at most Splink's. Yardstick in the same run: Splink 5 on DuckDB,
unsupervised (EM, as its documentation trains a deduplication) and supervised (m from the true
clusters); the better of the two is the yardstick.

Records: bench/quality/groundtruth.py (synthetic children with noisy second files, twins, siblings,
namesakes). They live in memory, not in the bench database, so the quality figure is the same on
SQLite and PostgreSQL: it is computed once per run.py run and reused for the second database. What
does depend on the database is the batch job reading real files (`find_duplicates` over the biggest
county of the bench database, decrypting identity numbers, reading parents): timed on each, rolled
back afterwards.

Splink is not a dependency of Seedling: it runs in its own virtualenv (var/bench-venv, created from
bench/quality/requirements-splink.txt when missing) through a subprocess.

Standalone, without the bench databases (ground truth only):

    .venv/bin/python bench/bench_duplicates.py --n 100000 --seed 7 [--no-splink]
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.harness import PROJECT, Context, Result  # noqa: E402

SPLINK_VENV = PROJECT / "var" / "bench-venv"
REQUIREMENTS = PROJECT / "bench" / "quality" / "requirements-splink.txt"
EVAL_SEED_OFFSET = 7000  # the weights were estimated on seed 101: evaluation never uses it
GOAL_RATIO = 0.7


def _splink_python() -> Path | None:
    python = SPLINK_VENV / "bin" / "python"
    if not python.exists():
        print("creating the Splink virtualenv (var/bench-venv)", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(SPLINK_VENV)], check=True)  # noqa: S603 -- our paths
            subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)  # noqa: S603
        except (subprocess.CalledProcessError, OSError) as exc:
            print(f"Splink unavailable: {exc}", flush=True)
            return None
    return python


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def _splink(work: Path, csv_path: Path, supervised: bool) -> dict | None:
    python = _splink_python()
    if python is None:
        return None
    out = work / f"splink-{'supervised' if supervised else 'em'}.json"
    args = [str(python), str(PROJECT / "bench/quality/splink_run.py"), str(csv_path), str(out)]
    if supervised:
        args.append("--supervised")
    start, cpu = time.monotonic(), _cpu(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, capture_output=True, text=True)  # noqa: S603 -- our own script
    if done.returncode != 0:
        print(done.stderr[-3000:], flush=True)
        return None
    result = json.loads(out.read_text())
    result["wall_seconds"] = round(time.monotonic() - start, 1)
    result["process_cpu_seconds"] = round(_cpu(resource.RUSAGE_CHILDREN) - cpu, 1)
    result.pop("curve", None)
    return result


def ground_truth(n: int, seed: int, work: Path, *, splink: bool = True, workers: int = 2) -> dict:
    """Generate the records, run ours at the fixed threshold, run Splink; every figure in one dict."""
    from quality import evaluate, groundtruth

    from seedling.registry.linkage import services

    work.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    data = groundtruth.make(n, seed=seed)
    out: dict = {"records": len(data.records), "true_pairs": len(data.true_pairs()), "seed": seed}
    out["generate_seconds"] = round(time.monotonic() - start, 1)
    threshold = services.threshold()
    print(
        f"{len(data.records)} records generated in {out['generate_seconds']}s; ours at {threshold}",
        flush=True,
    )
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    out["load_before_ours"] = _load()
    out["ours"] = evaluate.ours(data, threshold=threshold, keep=threshold - 4, workers=workers)
    out["ours"]["cpu_seconds"] = round(_cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu, 1)
    out["load_after_ours"] = _load()
    print(json.dumps(out["ours"], ensure_ascii=False), flush=True)
    if splink:
        csv_path = work / f"records-{n}-{seed}.csv"
        groundtruth.write_csv(data, csv_path)
        del data
        for supervised in (False, True):
            key = "splink_supervised" if supervised else "splink_em"
            out[f"load_before_{key}"] = _load()
            out[key] = _splink(work, csv_path, supervised)
            print(key, json.dumps(out[key]), flush=True)
        csv_path.unlink(missing_ok=True)
    return out


def _yardstick(figures: dict) -> dict | None:
    runs = [figures.get(k) for k in ("splink_em", "splink_supervised")]
    runs = [r for r in runs if r and r.get("best")]
    return min(runs, key=lambda r: r["best"]["error"]) if runs else None


def quality_results(figures: dict) -> list[Result]:
    ours = figures["ours"]
    fixed = ours["at_threshold"]
    yard = _yardstick(figures)
    n = figures["records"]
    ours_text = (
        f"P {fixed['precision']:.4f} / R {fixed['recall']:.4f} / F1 {fixed['f1']:.4f} "
        f"(error {fixed['error']:.4f}) at the fixed threshold {fixed['threshold']}"
    )
    rows = []
    if yard is None:
        rows.append(Result("duplicates", f"quality, {n:,} records", ours_text, goal="error ≤ 0.7 × Splink's",
                           met=None, note="Splink did not run", figures=figures))  # fmt: skip
        return rows
    best = yard["best"]
    kind = "supervised" if yard.get("supervised") else "EM"
    yard_text = (
        f"Splink {yard['splink']} ({kind}) at its best threshold {best['threshold']}: P {best['precision']:.4f} / "
        f"R {best['recall']:.4f} / F1 {best['f1']:.4f} (error {best['error']:.4f})"
    )
    ratio = fixed["error"] / best["error"] if best["error"] else float("inf")
    rows.append(
        Result("duplicates", f"quality, {n:,} records", f"{ours_text}; ratio {ratio:.2f}",
               goal="error ≤ 0.7 × Splink's best", met=ratio <= GOAL_RATIO, yardstick=yard_text, figures=figures)
    )  # fmt: skip
    rows.append(
        Result("duplicates", f"wall time, {n:,} records",
               f"{ours['seconds']} s (prepare, block {ours['candidates']:,} pairs, score; 2 processes; "
               f"CPU {ours.get('cpu_seconds')} s)",
               goal="≤ Splink's", met=ours["seconds"] <= yard["seconds"],
               yardstick=f"Splink ({kind}) train + predict: {yard['seconds']} s (DuckDB, all cores; "
                         f"CPU of the whole run {yard.get('process_cpu_seconds')} s)")
    )  # fmt: skip
    return rows


def _batch_result(ctx: Context) -> Result:
    """The batch job on the bench database's biggest county, rolled back so the database stays as found."""
    from django.db import transaction

    from bench.harness import bench_users
    from seedling.registry.linkage import services

    bench_users(ctx)  # picks the biggest county into ctx.state
    county = ctx.state["county"]
    with transaction.atomic():
        report = services.find_duplicates(area_prefix=county, workers=2)
        transaction.set_rollback(True)
    return Result(
        "duplicates", f"batch job on the bench database, county {county}",
        f"{report.records:,} files in {report.seconds} s ({report.candidates:,} pairs compared, {report.found:,} queued)",
        note="reads files, decrypts IDs, reads parents, scores, writes the queue (rolled back)",
        figures=report.__dict__,
    )  # fmt: skip


def run(ctx: Context) -> list[Result]:
    n = 20_000 if ctx.quick else ctx.children
    seed = ctx.seed + EVAL_SEED_OFFSET
    cache = ctx.work / f"duplicates-{n}-{seed}-{os.getppid()}.json"  # one computation per run.py run
    if cache.exists():
        figures = json.loads(cache.read_text())
        figures["reused"] = "computed on the first database of this run (the records are not in the database)"
    else:
        figures = ground_truth(n, seed, ctx.work / "duplicates")
        cache.write_text(json.dumps(figures))
    return [*quality_results(figures), _batch_result(ctx)]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(
        description="ground-truth duplicate benchmark, without the bench databases"
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--out", default=str(PROJECT / "var" / "bench-dup"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedling.config.settings")
    sys.path.insert(0, str(PROJECT / "src"))
    import django

    django.setup()
    figures = ground_truth(args.n, args.seed, Path(args.out), splink=not args.no_splink)
    (Path(args.out) / f"result-{args.n}-{args.seed}.json").write_text(json.dumps(figures, indent=1))
    for row in quality_results(figures):
        print(f"{row.case}: {row.result} | goal {row.goal}: {row.met} | {row.yardstick}")


if __name__ == "__main__":
    main()
