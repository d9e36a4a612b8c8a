"""`seedling generate`: province-scale synthetic children, families, categories, search keys, visits.

    seedling divisions_import --villages 33
    seedling generate --children 1000000 --visits-per-child 10 --seed 1 [--areas 33,11]

The demo generator makes the children (real name frequencies, homophones, valid identity numbers,
families, carers, situations); registry.synthetic.bulk turns them into rows and
registry.synthetic.writer writes them raw, one transaction per batch, in worker processes. Secondary
indexes are dropped for a large load and rebuilt at the end (faster than maintaining them per row).
History rows and per-row access-log rows are not written: one access-log row records the load.
"""

import argparse
import datetime
import multiprocessing
import os
import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.models import Max, Q
from django.utils import timezone

from seedling.accounts.models import Membership, User
from seedling.accounts.roles import Role
from seedling.core.audit import audit_log
from seedling.geo.models import Division
from seedling.registry.choices import ETHNIC_GROUPS
from seedling.registry.management.commands.demo_data import _origins
from seedling.registry.models import Child, Person
from seedling.registry.synthetic import Village, bulk, choose_villages, split_children, writer
from seedling.registry.synthetic.names import NamePicker

GENERATOR = "seedling-generator"  # the account that "created" generated files: marks them as generated
CHILDREN_PER_VILLAGE = 30  # fewer villages for small runs; a million children fill every village
DEFER_INDEXES_FROM = 50_000


class Command(BaseCommand):
    help = "Fill the database with synthetic children, families, categories and visits (raw batch inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True)
        parser.add_argument("--visits-per-child", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--areas", default="33", help="province (or any) code prefixes, comma separated")
        parser.add_argument("--append", action="store_true", help="add to earlier generated children")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument("--workers", type=int, default=None, help="processes (0: in this process)")
        parser.add_argument("--defer-indexes", action=argparse.BooleanOptionalAction, default=None)

    def handle(self, *args, children, visits_per_child, seed, areas, append, today, batch_size, workers,
               defer_indexes, **options):  # fmt: skip
        if settings.PRODUCTION:
            raise CommandError("generate refuses to run with SEEDLING_ENV=production")
        if children < 1:
            raise CommandError("--children must be at least 1")
        prefixes = [p.strip() for p in areas.split(",") if p.strip()]
        today = today or timezone.localdate()
        villages = _villages(prefixes)
        if not villages:
            raise CommandError(
                f"no villages of {areas} loaded: run `seedling divisions_import --villages {areas}` first"
            )
        earlier = Child.objects.filter(created_by__username=GENERATOR).count()
        if earlier and not append:
            raise CommandError(
                f"the database already holds {earlier} generated children: use --append to add more"
            )
        if workers is None:
            workers = (os.cpu_count() or 1) if children >= 10_000 else 0
        if defer_indexes is None:
            defer_indexes = workers > 0 and children >= DEFER_INDEXES_FROM
        visits = visits_per_child > 0 and writer.visit_model() is not None
        if visits_per_child > 0 and not visits:
            self.stderr.write("fieldwork.Visit is not installed or not migrated: visits are not generated")
        stream = f"{seed}+{earlier}" if earlier else seed  # an appended run must not repeat the first

        clock = time.monotonic()
        rng = random.Random(f"{stream}:plan")
        counts = _plan(villages, children, rng)
        staff = _staff(counts, rng)
        batches = bulk.plan_batches(
            counts, seed=stream, today=today, batch_size=batch_size, visits_per_child=visits_per_child,
            child_base=_next_id(Child), person_base=_next_id(Person), origins=_origins(),
        )  # fmt: skip
        self.stdout.write(
            f"{children:,} children in {len(counts):,} villages, {len(batches)} batches, "
            f"{workers or 'no'} worker processes; setup {time.monotonic() - clock:.1f}s"
        )
        loaded = [*writer.LOADED, *([writer.visit_model()] if visits else [])]
        restored = writer.indexes_restore()  # an interrupted earlier run may have left some dropped
        if restored:
            self.stdout.write(f"rebuilt {restored} indexes left dropped by an interrupted run")
        if defer_indexes:
            dropped = writer.indexes_drop([m._meta.db_table for m in loaded])
            self.stdout.write(f"dropped {dropped} secondary indexes for the load")
        try:
            totals = self._load(batches, staff, visits, workers, clock)
        finally:
            if defer_indexes:
                start = time.monotonic()
                built = writer.indexes_restore(progress=lambda name: self.stdout.write(f"  index {name}"))
                self.stdout.write(f"rebuilt {built} indexes in {time.monotonic() - start:.1f}s")
        writer.finish(loaded)
        elapsed = time.monotonic() - clock
        summary = ", ".join(f"{n:,} {k}" for k, n in totals.items())
        self.stdout.write(f"done in {elapsed:.1f}s: {summary}")
        audit_log(
            user=User.objects.get(username=GENERATOR),
            action="create",
            detail={"generate": {"children": children, "seed": seed, "areas": prefixes,
                                 "visits_per_child": visits_per_child, "seconds": round(elapsed, 1)}},
        )  # fmt: skip

    def _load(self, batches, staff, visits, workers, clock) -> dict:
        totals: dict[str, int] = {}
        done = 0
        now = timezone.now()
        jobs = [(b, staff.subset(b), visits, now) for b in batches]

        def report(result):
            nonlocal done
            number, counts, (making, writing) = result
            seconds = making + writing
            for key, n in counts.items():
                totals[key] = totals.get(key, 0) + n
            done += counts["children"]
            rows = sum(counts.values())
            self.stdout.write(
                f"batch {number + 1}/{len(batches)}: {counts['children']:,} children, {rows:,} rows in "
                f"{seconds:.1f}s (made {making:.1f}s, written {writing:.1f}s; {rows / seconds:,.0f} rows/s); "
                f"{done:,} children in {time.monotonic() - clock:.0f}s"
            )

        if workers <= 0:
            for job in jobs:
                report(_run_batch(job, tune=False))
            return totals
        connections.close_all()  # each worker opens its own connection after the fork
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, maxtasksperchild=None) as pool:
            pending = []
            for job in jobs:
                pending.append(pool.apply_async(_run_batch, (job,)))
                while len(pending) > workers + 1:  # bounded: finished batches wait in memory otherwise
                    report(pending.pop(0).get())
            for result in pending:
                report(result.get())
        return totals


_TABLES: dict = {}


def _run_batch(job, tune: bool = True):
    """Make and write one batch (in a worker process, or inline); returns (number, counts, timings)."""
    batch, staff, visits, now = job
    start = time.monotonic()
    key = (connection.vendor, visits)
    if key not in _TABLES:
        if tune:
            writer.tune_for_load()
        _TABLES[key] = writer.tables(visits=visits)
    specs = bulk.batch_specs(batch)
    rows = bulk.batch_rows(batch, specs, staff, writer.now_value(now), with_visits=visits)
    made = time.monotonic()
    writer.write(_TABLES[key], rows)
    return batch.number, rows.counts(), (made - start, time.monotonic() - made)


def _villages(prefixes: list[str]) -> list[Village]:
    """Villages and residents' committees under the prefixes, with township, county and minority."""
    where = Q()
    for prefix in prefixes:
        where |= Q(code__startswith=prefix)
    rows = Division.objects.filter(where, level="village", retired_in__isnull=True).select_related("parent")
    counties = dict(Division.objects.filter(where, level="county").values_list("code", "name"))
    minorities = {str(label): code for code, label in ETHNIC_GROUPS if code not in ("01", "97", "98")}
    out = []
    for v in rows.order_by("code"):
        minority = next((code for name, code in minorities.items() if name in v.parent.name), "")
        county = v.code[:6]
        out.append(
            Village(v.code, v.name, v.parent_id, v.parent.name, county, counties.get(county, ""),
                    urban=v.urban_rural == "urban", minority=minority)
        )  # fmt: skip
    return out


def _plan(villages: list[Village], total: int, rng: random.Random) -> dict[Village, int]:
    """Children per village: every village for a province-size run; urban communities a little bigger."""
    count = min(len(villages), max(1, -(-total // CHILDREN_PER_VILLAGE)))
    rural_share = sum(not v.urban for v in villages) / len(villages)
    chosen = choose_villages(villages, rng=rng, count=count, rural_share=rural_share)
    return split_children(total, {v: 1.5 if v.urban else 1.0 for v in chosen}, rng=rng)


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _staff(counts: dict[Village, int], rng: random.Random) -> bulk.Staff:
    """A director per village, a supervisor per township, a reviewer per county (created when missing)."""
    wanted = {GENERATOR: (None, None)}
    for v in counts:
        wanted[f"d{v.code}"] = (Role.VILLAGE_DIRECTOR, v.code)
        wanted[f"s{v.township_code}"] = (Role.TOWNSHIP_SUPERVISOR, v.township_code)
        wanted[f"c{v.county_code}"] = (Role.COUNTY_OFFICER, v.county_code)
    ours = User.objects.filter(username__regex=r"^([dsc][0-9]+|seedling-generator)$")
    known = dict(ours.values_list("username", "id"))
    names = NamePicker(rng, ("33",))
    missing = [u for u in wanted if u not in known]
    users = [
        User(username=u, is_active=u != GENERATOR, password=make_password(None),
             full_name=names.surname() + names.given(rng.choice("MF"), "parent") if u != GENERATOR else "")
        for u in missing
    ]  # fmt: skip
    User.objects.bulk_create(users, batch_size=2000)
    known = dict(ours.values_list("username", "id"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=known[u], role=wanted[u][0], area_id=wanted[u][1])
            for u in missing
            if u != GENERATOR
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    return bulk.Staff(
        directors={v.code: known[f"d{v.code}"] for v in counts},
        supervisors={v.township_code: known[f"s{v.township_code}"] for v in counts},
        county_officers={v.county_code: known[f"c{v.county_code}"] for v in counts},
        generator=known[GENERATOR],
    )
