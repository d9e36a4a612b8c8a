"""Due and overdue visit recomputation (issue 4: 1,000,000 children ≤ 10 s).

Measures fieldwork.sweep.visit_statuses_sweep, the periodic job that recomputes every child's
next-due date and alert in set-based SQL and opens, updates or closes the visit tasks:

- first run after a bulk load: a status row per child with a category (last visit read from the
  visits), every due date and alert computed, the tasks of every due or overdue child opened;
- daily run: the clock a day later, every child's alert recomputed (the run the schedule makes
  every day; due dates move child by child as visits and categories are recorded);
- full recomputation: every due date and alert from scratch (weekly, and after bulk loads);
- after a frequency change: left-behind children from 90 to 60 days (every such due date moves);
- yardstick in the same run: one UPDATE that touches every status row.

The bench database is left as it was found: when it holds no visit plans (a freshly generated one),
the runs commit, as in production, and what they added is deleted afterwards; otherwise they run in
one transaction that is rolled back (slower on SQLite: said in the note).

Run by bench/run.py (`run(ctx)`), or alone on a stand-in database built with raw SQL inserts
(children, categories, visit statuses; no visits, so the first run reads none):

    .venv/bin/python bench/bench_visits.py --children 1000000 --db sqlite|postgres
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import WORK, Context, Result  # noqa: E402

GOAL_SECONDS = 10.0


def run(ctx: Context) -> list[Result]:
    from django.conf import settings

    from seedling.fieldwork.models import ChildVisitStatus
    from seedling.inbox.models import Task

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # digests: not on stdout
    before = ChildVisitStatus.objects.exists() or Task.objects.filter(kind__startswith="visit_").exists()
    if before:
        # Visit plans exist already: measure inside one transaction and roll it back (slower on
        # SQLite, whose daily run then works on a million uncommitted rows; said in the note).
        return _rolled_back(ctx)
    marks = _marks()
    try:
        return _measure(ctx, note="")
    finally:
        _clean_up(marks)


def _timed(fn):
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - start, time.process_time() - cpu


def _measure(ctx: Context, *, note: str) -> list[Result]:
    from django.db import connection

    from seedling.core import clock
    from seedling.fieldwork.models import ChildVisitStatus, Visit, VisitFrequency
    from seedling.fieldwork.sweep import visit_statuses_sweep
    from seedling.inbox.models import Task
    from seedling.registry.models import Child

    sqlite = connection.vendor == "sqlite"

    def cpu_note(cpu: float) -> str:
        # SQLite runs in this process: its CPU time is the figure an idle machine would show.
        return f"; CPU {cpu:.1f} s" if sqlite else ""

    children, visits = Child.objects.count(), Visit.objects.count()
    results: list[Result] = []
    try:
        first, seconds, cpu = _timed(
            lambda: visit_statuses_sweep(notify=False)
        )  # as `visit_statuses --no-notify`
        statuses = ChildVisitStatus.objects.count()
        planned = ChildVisitStatus.objects.filter(next_due_on__isnull=False).count()
        tasks = Task.objects.filter(status="open", kind__startswith="visit_").count()
        results.append(Result(
            benchmark="visits", case=f"first run after a bulk load: {children:,} children, {visits:,} visits",
            result=f"{seconds:.1f} s",
            note=f"{first.statuses_created:,} status rows created, {planned:,} children with a visit plan, "
                 f"{first.alerts_changed:,} alerts raised, {tasks:,} tasks opened{cpu_note(cpu)}{note}",
            figures={"seconds": seconds, "cpu": cpu, "children": children, "visits": visits, "statuses": statuses,
                     "created": first.statuses_created, "alerts": first.alerts_changed, "tasks": tasks},
        ))  # fmt: skip

        clock.travel(by=datetime.timedelta(days=1))
        daily, seconds, cpu = _timed(lambda: visit_statuses_sweep(notify=True, full=False))
        results.append(Result(
            benchmark="visits", case=f"daily run: the alerts of {statuses:,} children with a visit plan",
            result=f"{seconds:.1f} s", goal=f"≤ {GOAL_SECONDS:.0f} s", met=seconds <= GOAL_SECONDS,
            note=f"a day later: {daily.alerts_changed:,} alerts changed{cpu_note(cpu)}{note}",
            figures={"seconds": seconds, "cpu": cpu, "statuses": statuses, "alerts": daily.alerts_changed},
        ))  # fmt: skip

        clock.travel(by=datetime.timedelta(days=1))
        weekly, seconds, cpu = _timed(lambda: visit_statuses_sweep(notify=True, full=True))
        results.append(Result(
            benchmark="visits", case=f"full recomputation: due dates and alerts, {children:,} children",
            result=f"{seconds:.1f} s", goal=f"≤ {GOAL_SECONDS:.0f} s", met=seconds <= GOAL_SECONDS,
            note=f"the weekly run, a day later: {weekly.due_dates_changed:,} due dates and "
                 f"{weekly.alerts_changed:,} alerts changed{cpu_note(cpu)}{note}",
            figures={"seconds": seconds, "cpu": cpu, "statuses": statuses, "due_changed": weekly.due_dates_changed,
                     "alerts": weekly.alerts_changed},
        ))  # fmt: skip

        VisitFrequency.objects.filter(area_prefix="", category__startswith="left_behind").update(
            interval_days=60
        )
        changed, seconds, cpu = _timed(lambda: visit_statuses_sweep(notify=False))  # as the job does
        results.append(Result(
            benchmark="visits", case="recomputation after a frequency change (left-behind 90 → 60 days)",
            result=f"{seconds:.1f} s",  # a rare administrative change: no goal, the figure for the record
            note=f"{changed.due_dates_changed:,} due dates and {changed.alerts_changed:,} alerts "
                 f"changed{cpu_note(cpu)}{note}",
            figures={"seconds": seconds, "cpu": cpu, "due_changed": changed.due_dates_changed,
                     "alerts": changed.alerts_changed},
        ))  # fmt: skip

        table = connection.ops.quote_name(ChildVisitStatus._meta.db_table)
        with connection.cursor() as cursor:
            _none, yardstick, _cpu = _timed(lambda: cursor.execute(f"UPDATE {table} SET updated_at = NULL"))  # noqa: S608
        for r in results:
            r.yardstick = f"one UPDATE of all {statuses:,} status rows: {yardstick:.1f} s"
            r.figures["yardstick_seconds"] = yardstick
    finally:
        clock.reset()
        VisitFrequency.objects.filter(area_prefix="", category__startswith="left_behind").update(
            interval_days=90
        )
    return results


def _rolled_back(ctx: Context) -> list[Result]:
    from django.db import transaction

    with transaction.atomic():
        results = _measure(ctx, note="; measured inside one transaction, rolled back")
        transaction.set_rollback(True)
    return results


def _marks() -> dict:
    from django.db.models import Max

    from seedling.fieldwork.models import VisitSweep
    from seedling.inbox.models import Notification, Task

    return {
        model: model.objects.aggregate(m=Max("pk"))["m"] or 0 for model in (Task, Notification, VisitSweep)
    }


def _clean_up(marks: dict) -> None:
    """Delete what the benchmark added (it found no visit plans, so all of them are its own)."""
    from django.db import connection, transaction

    from seedling.fieldwork.models import ChildVisitStatus
    from seedling.inbox.models import Notification

    with transaction.atomic(), connection.cursor() as cursor:
        q = connection.ops.quote_name
        for model in (Notification, *[m for m in marks if m is not Notification]):
            cursor.execute(f"DELETE FROM {q(model._meta.db_table)} WHERE id > %s", [marks[model]])  # noqa: S608
        cursor.execute(f"DELETE FROM {q(ChildVisitStatus._meta.db_table)}")  # noqa: S608


# --- stand-in database (when no generated bench database is at hand) ------------------------------


def _rows_defaults(model, given: list[str]):
    """Columns and default values of the model fields not in `given` (raw inserts fill them)."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    meta = model._meta
    rest = [
        f
        for f in meta.concrete_fields
        if f.name not in given and not f.primary_key and f.db_default is NOT_PROVIDED
    ]
    values = []
    for f in rest:
        default = f.get_default()
        if default is None and not f.null:
            raise RuntimeError(f"{meta.label}.{f.name} needs a value")
        value = f.get_db_prep_save(default, connection)
        values.append(value.obj if hasattr(value, "obj") else value)
    return [meta.get_field(n).column for n in given] + [f.column for f in rest], tuple(values)


def _insert(model, columns: list[str], rows) -> None:
    import json

    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([json.dumps(v) if isinstance(v, dict | list) else v for v in row])
        else:
            marks = ", ".join(["%s"] * len(columns))
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 20000:
                    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608


CATEGORIES = [  # (category, share of children), a child may get a second one
    ("left_behind_both", 0.35), ("left_behind_one", 0.20), ("difficulty_poverty", 0.12),
    ("difficulty_guardianship", 0.05), ("orphan", 0.05), ("de_facto_unsupported", 0.05), ("disabled", 0.05),
    ("migrant", 0.08), ("", 0.05),
]  # fmt: skip


def standin_load(children: int, *, seed: int = 1) -> None:
    """Children spread over Zhejiang's villages with categories and visit statuses, in raw SQL."""
    import random
    import uuid

    from django.db import connection, transaction

    from seedling.fieldwork.models import ChildVisitStatus
    from seedling.geo.models import Division
    from seedling.registry.models import CategoryAssignment, Child

    rng = random.Random(seed)
    villages = list(
        Division.objects.filter(level="village", code__startswith="33").values_list("code", flat=True)
    )
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    dt = connection.ops.adapt_datetimefield_value(now)
    child_cols, child_tail = _rows_defaults(Child, ["id", "uuid", "name", "sex", "birth_date", "hukou_type", "area",
                                                     "created_at", "updated_at"])  # fmt: skip
    cat_cols, cat_tail = _rows_defaults(CategoryAssignment, ["child", "category", "started_on", "reason",
                                                               "created_at", "updated_at"])  # fmt: skip
    weights = [w for _c, w in CATEGORIES]
    names = [c for c, _w in CATEGORIES]
    uuid_text = connection.vendor != "postgresql"
    plan = []
    for child_id in range(1, children + 1):
        area = villages[child_id % len(villages)]
        cats = {rng.choices(names, weights)[0]}
        if rng.random() < 0.1:
            cats.add(rng.choices(names, weights)[0])
        cats.discard("")
        plan.append((child_id, area, sorted(cats)))
    with transaction.atomic():
        _insert(Child, child_cols, (
            (cid, uuid.UUID(int=rng.getrandbits(128), version=4).hex if uuid_text else uuid.UUID(int=rng.getrandbits(128), version=4),
             "张小明", rng.choice("MF"), today - datetime.timedelta(days=rng.randrange(365, 6000)), "rural", area, dt, dt,
             *child_tail) for cid, area, _cats in plan
        ))  # fmt: skip
        _insert(CategoryAssignment, cat_cols, (
            (cid, cat, today - datetime.timedelta(days=rng.randrange(0, 700)), "替代数据", dt, dt, *cat_tail)
            for cid, _area, cats in plan for cat in cats
        ))  # fmt: skip
        # Statuses as a previous run left them, for 90% of the children with a category (the rest are new).
        _insert(ChildVisitStatus, ["child_id", "area_code", "last_visit_on", "high_risk", "alert"], (
            (cid, area, None if rng.random() < 0.15 else today - datetime.timedelta(days=rng.randrange(0, 120)),
             False, "")
            for cid, area, cats in plan if cats and rng.random() < 0.9
        ))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description="Visit recomputation on a stand-in database")
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--keep", action="store_true", help="reuse the stand-in database if it exists")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.db == "sqlite":
        path = WORK / f"visits-standin-{args.children}.sqlite3"
        url = f"sqlite:///{path}"
        fresh = not (args.keep and path.exists())
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        url = os.environ.get(
            "BENCH_VISITS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/h_fieldwork_bench"
        )
        fresh = _pg_reset(url, keep=args.keep)
    ctx = Context(db=args.db, database_url=url, children=args.children, visits_per_child=0, seed=1)
    os.environ.update({k: v for k, v in ctx.env.items() if k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    sys.path.insert(0, str(ctx.project / "src"))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    if fresh:
        call_command("divisions_import", "--villages", "33", verbosity=0)
        start = time.perf_counter()
        standin_load(args.children)
        print(
            f"stand-in: {args.children:,} children loaded in {time.perf_counter() - start:.0f} s", flush=True
        )
    for r in _measure(ctx, note="; stand-in data (no visits)"):  # a throwaway database: kept as left
        verdict = "" if r.met is None else ("met" if r.met else "MISSED")
        print(f"{r.case}: {r.result} {r.goal} {verdict}\n    {r.note}\n    yardstick: {r.yardstick}")
    return 0


def _pg_reset(url: str, *, keep: bool) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return False
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return True


if __name__ == "__main__":
    sys.exit(main())
