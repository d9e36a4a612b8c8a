"""Seedling benchmarks: one command prepares the bench databases and runs every benchmark beside its yardstick.

    .venv/bin/python bench/run.py [--children 1000000] [--visits-per-child 10] [--db sqlite|postgres|both]
                                  [--only search,load] [--regenerate] [--quick] [--no-write]

Databases: SQLite at var/bench/bench.sqlite3, PostgreSQL `seedling_bench` on 127.0.0.1:5432 (created
if missing; BENCH_POSTGRES_URL overrides). Each is filled once by `seedling generate` and reused
while children, visits per child, seed and the visit table match (var/bench/state-<db>.json);
--regenerate starts over. Results are appended to BENCHMARKS.md with the machine, the database
versions and the date, and every result line to var/bench/results.jsonl.

HOW TO ADD A BENCHMARK (the interface)
--------------------------------------
Create bench/bench_<name>.py (the file name gives the name that --only selects) with

    from bench.harness import Context, Result, percentiles, fmt_ms, timed, peak_rss_mb, seedling, bench_users

    def run(ctx: Context) -> list[Result]:
        ...

run() is called in a fresh subprocess, one per database, with Django already set up on the
prepared bench database (DJANGO_SETTINGS_MODULE=bench.bench_settings, DATABASE_URL set): use the
ORM, services and selectors directly, or start subprocesses with `ctx.env` (`seedling(ctx, "import",
...)` runs a management command on the same database). Import Django things inside run() or at
module level, either works; nothing is imported before the subprocess starts.

ctx (harness.Context): db ("sqlite" | "postgres"), database_url, children, visits_per_child, seed,
quick (a smoke run: do fewer repetitions), project / work (var/bench/, for your files) / python
paths, env (for subprocesses), state (what preparation recorded).

Return one harness.Result per line of the results table: benchmark, case, result (the figure as
people read it), goal, met (True / False / None when there is no goal), yardstick (the figure of
the yardstick measured IN THE SAME RUN), note, figures (raw numbers for the JSON log). A benchmark
that misses its goal says so: met=False; the figure is the result, whatever it is. A benchmark must
leave the bench database as it found it (roll back, or delete what it added) so runs stay comparable.

Order: ORDER below, then any other bench_*.py alphabetically. Planned: import (bench_import.py),
duplicates (bench_duplicates.py), due and overdue visit recomputation (bench_visits.py).
"""

import argparse
import datetime
import importlib
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PROJECT, PYTHON, WORK, Context, Result, emit, machine  # noqa: E402

ORDER = ["search", "load", "import", "duplicates", "visits"]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/seedling_bench")
GENERATE_GOAL_SECONDS = 600
RESULT_MARK = "BENCH-RESULTS "


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--visits-per-child", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the bench databases first")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run")
    parser.add_argument("--no-write", action="store_true", help="do not append to BENCHMARKS.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: run one benchmark in this process
    parser.add_argument("--context", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.child, Context.from_json(json.loads(args.context)))

    WORK.mkdir(parents=True, exist_ok=True)
    names = _benchmarks(args.only)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = datetime.datetime.now(datetime.UTC)
    info = machine()
    sections = []
    for db in dbs:
        ctx = Context(
            db=db, database_url=_url(db), children=args.children, visits_per_child=args.visits_per_child,
            seed=args.seed, quick=args.quick,
        )  # fmt: skip
        results = [_prepare(ctx, regenerate=args.regenerate)]
        info[f"{db} version"] = _db_version(ctx)
        for name in names:
            print(f"\n=== {db}: {name} ===", flush=True)
            results += _run(name, ctx)
        sections.append((db, results))
        _log(ctx, info, results)
    report = _markdown(started, info, args, sections)
    print("\n" + report)
    if not args.no_write:
        path = PROJECT / "BENCHMARKS.md"
        text = path.read_text() if path.exists() else "# Benchmarks\n"
        path.write_text(text.rstrip("\n") + "\n\n" + report)
        print(f"appended to {path}")
    return 0


def _benchmarks(only: str) -> list[str]:
    found = sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
    found = [n for n in found if n not in ("settings", "urls")]
    ordered = [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]
    if not only:
        return ordered
    wanted = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in found]
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; found: {', '.join(ordered)}")
    return [n for n in ordered if n in wanted]


def _url(db: str) -> str:
    return f"sqlite:///{WORK / 'bench.sqlite3'}" if db == "sqlite" else POSTGRES_URL


# --- preparing a bench database -------------------------------------------------------------------


def _venv(ctx: Context, code: str) -> str:
    """Run Python code with the project's venv on the bench database (Django set up) and return stdout."""
    setup = "import django; django.setup()\n"
    done = subprocess.run([str(PYTHON), "-c", setup + code], env=ctx.env, cwd=PROJECT, text=True,  # noqa: S603 -- our own venv and paths
                          capture_output=True, check=True)  # fmt: skip
    return done.stdout.strip()


_PG_ADMIN = """
import sys, psycopg
from psycopg import sql
url, name, action = sys.argv[1:4]
with psycopg.connect(url, autocommit=True) as c:
    if action == "exists":
        print(bool(c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()))
    else:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
"""


def _pg_admin(ctx: Context, action: str) -> str:
    """Ask the maintenance database whether the bench database exists, or create it afresh."""
    name = ctx.database_url.rsplit("/", 1)[1]
    admin = ctx.database_url.rsplit("/", 1)[0] + "/postgres"
    command = [str(PYTHON), "-c", _PG_ADMIN, admin, name, action]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603


def _reset(ctx: Context) -> None:
    if ctx.db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(WORK / "bench.sqlite3") + suffix).unlink(missing_ok=True)
        return
    _pg_admin(ctx, "recreate")


def _exists(ctx: Context) -> bool:
    if ctx.db == "sqlite":
        return (WORK / "bench.sqlite3").exists()
    return _pg_admin(ctx, "exists") == "True"


def _probe(ctx: Context) -> dict:
    code = (
        "import json\n"
        "from seedling.registry.models import Child\n"
        "from seedling.registry.synthetic import writer\n"
        "from django.db import connection\n"
        "mode = 'model' if writer.visit_model() is not None else 'none'\n"
        "print(json.dumps({'visits': mode, 'generated': Child.objects.filter("
        "created_by__username='seedling-generator').count()}))\n"
    )
    return json.loads(_venv(ctx, code).splitlines()[-1])


def _prepare(ctx: Context, *, regenerate: bool) -> Result:
    """A bench database holding the generated children; returns the generation figure."""
    state_path = WORK / f"state-{ctx.db}.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    wanted = {"children": ctx.children, "visits_per_child": ctx.visits_per_child, "seed": ctx.seed}
    if not _exists(ctx):
        regenerate = True
    if not regenerate:
        _seedling(ctx, "migrate", "-v0")
        probe = _probe(ctx)
        same = all(state.get(k) == v for k, v in wanted.items())
        if same and probe["visits"] == state.get("visits") and probe["generated"] == ctx.children:
            print(f"{ctx.db}: reusing the bench database generated {state['generated_at']}", flush=True)
            ctx.state = state
            return _generate_result(ctx, state, reused=True)
    print(f"{ctx.db}: preparing the bench database (this takes minutes)", flush=True)
    _reset(ctx)
    _seedling(ctx, "migrate", "-v0")
    _seedling(ctx, "divisions_import", "--villages", "33")
    start = time.monotonic()
    _seedling(ctx, "generate", "--children", str(ctx.children), "--visits-per-child", str(ctx.visits_per_child),
              "--seed", str(ctx.seed))  # fmt: skip
    seconds = time.monotonic() - start
    state = {
        **wanted,
        "visits": _probe(ctx)["visits"],
        "generate_seconds": round(seconds, 1),
        "generated_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    state_path.write_text(json.dumps(state, indent=1))
    ctx.state = state
    return _generate_result(ctx, state, reused=False)


def _generate_result(ctx: Context, state: dict, *, reused: bool) -> Result:
    seconds = state["generate_seconds"]
    visits = ctx.children * ctx.visits_per_child
    note = [] if state["visits"] == "model" else ["no visits: fieldwork.Visit not installed"]
    if reused:
        note.append(f"measured when the database was generated ({state['generated_at']})")
    return Result(
        benchmark="generate",
        case=f"{ctx.children:,} children × {ctx.visits_per_child} visits ({visits:,})",
        result=f"{seconds:.0f} s ({ctx.children / seconds:,.0f} children/s)",
        goal=f"≤ {GENERATE_GOAL_SECONDS} s" if ctx.children >= 1_000_000 else "",
        met=seconds <= GENERATE_GOAL_SECONDS if ctx.children >= 1_000_000 else None,
        note="; ".join(note),
        figures={"seconds": seconds, "children": ctx.children, "visits": visits},
    )


def _seedling(ctx: Context, *args: str) -> None:
    subprocess.run([str(PROJECT / ".venv" / "bin" / "seedling"), *args], env=ctx.env, cwd=PROJECT, check=True)  # noqa: S603 -- our own venv and paths


def _db_version(ctx: Context) -> str:
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('select sqlite_version()' if connection.vendor == 'sqlite' else 'show server_version')\n"
        "    print(c.fetchone()[0])\n"
    )
    try:
        return _venv(ctx, code).splitlines()[-1]
    except (subprocess.CalledProcessError, IndexError):
        return "?"


# --- running benchmarks ----------------------------------------------------------------------------


def _run(name: str, ctx: Context) -> list[Result]:
    """One benchmark in its own process; its output streams through, its results come back as JSON."""
    command = [
        str(PYTHON),
        str(Path(__file__).resolve()),
        "--child",
        name,
        "--context",
        json.dumps(ctx.to_json()),
    ]
    process = subprocess.Popen(command, env=ctx.env, cwd=PROJECT, stdout=subprocess.PIPE, text=True)  # noqa: S603 -- our own venv and paths
    results: list[Result] = []
    for line in process.stdout:
        if line.startswith(RESULT_MARK):
            results += [Result(**r) for r in json.loads(line[len(RESULT_MARK) :])]
        else:
            print(line, end="", flush=True)
    if process.wait() != 0 and not results:
        results.append(Result(benchmark=name, case="(did not finish)", result=f"exit status {process.returncode}",
                              met=False, note="see the run's output"))  # fmt: skip
    return results


def _child(name: str, ctx: Context) -> int:
    import django

    django.setup()
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        emit(module.run(ctx))
        return 0
    except Exception:  # noqa: BLE001 -- reported as a failed benchmark, the others still run
        traceback.print_exc()
        emit([Result(benchmark=name, case="(failed)", result=traceback.format_exc(limit=1).splitlines()[-1],
                     met=False)])  # fmt: skip
        return 1


# --- reporting -------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(started, info: dict, args, sections) -> str:
    title = f"## {started:%Y-%m-%d %H:%M} UTC — {args.children:,} children"
    if args.quick:
        title += " (quick run: fewer repetitions)"
    lines = [title, "", "| machine | |", "|---|---|"]
    lines += [f"| {k} | {_cell(v)} |" for k, v in info.items()]
    lines.append(f"| command | `bench/run.py {' '.join(sys.argv[1:])}` |")
    for db, results in sections:
        lines += ["", f"### {db}", "", "| benchmark | case | result | goal | verdict | yardstick (same run) | note |",
                  "|---|---|---|---|---|---|---|"]  # fmt: skip
        for r in results:
            verdict = "" if r.met is None else ("met" if r.met else "**MISSED**")
            lines.append(
                f"| {r.benchmark} | {_cell(r.case)} | {_cell(r.result)} | {_cell(r.goal)} | {verdict} | "
                f"{_cell(r.yardstick)} | {_cell(r.note)} |"
            )
    return "\n".join(lines) + "\n"


def _log(ctx: Context, info: dict, results: list[Result]) -> None:
    with (WORK / "results.jsonl").open("a") as out:
        stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        for r in results:
            out.write(json.dumps({"at": stamp, "db": ctx.db, "children": ctx.children, "machine": info,
                                  **r.to_json()}, ensure_ascii=False) + "\n")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
