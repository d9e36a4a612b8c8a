"""The periodic recomputation of every child's next-due date and alert, in set-based SQL.

Daily run: step 4 only (the calendar moved; everything else moves child by child as it happens).
Full run (weekly, after a frequency change, after bulk loads): every step.

A province holds about a million children: a loop over them in Python takes minutes, these
statements take seconds (bench/bench_visits.py). Same rules as rules.next_due / rules.alert_for
(a test compares the two). Steps, in one transaction:

1. a status row for every active child with an open category that has none yet (last visit,
   follow-up and risk read from its visits);
2. the area copy of children who moved (their open visit tasks move with them);
3. next-due dates from open categories, visit frequencies (longest area prefix wins), last visit,
   follow-up date and risk, into a temporary table; rows whose date changed are updated;
4. the alert every row should have today; only rows whose alert or due date changed go on, and
   only for them are inbox tasks opened, updated or closed (INSERT ... SELECT / UPDATE ... WHERE)
   and one digest notification per village director and township supervisor sent.

Runs on SQLite (3.33+, UPDATE ... FROM) and PostgreSQL.
"""

import datetime
import hashlib
import time
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from seedling.accounts.models import Membership
from seedling.accounts.roles import Role
from seedling.core import clock
from seedling.inbox import services as inbox
from seedling.inbox.models import Task
from seedling.registry.models import CategoryAssignment, Child

from . import alerts, status
from .choices import HIGH_RISK, TASK_ESCALATION, TASK_KINDS, TASK_OVERDUE, TASKS_WANTED, Alert
from .models import ChildVisitStatus, Visit, VisitFrequency, VisitSweep
from .sql import Dialect

DUE, ALERTS = "fw_sweep_due", "fw_sweep_alert"


def frequencies_fingerprint() -> str:
    rows = sorted(VisitFrequency.objects.values_list("area_prefix", "category", "interval_days"))
    return hashlib.sha256(repr(rows).encode()).hexdigest()


FULL_EVERY = datetime.timedelta(days=7)


def sweep_due(*, today: datetime.date | None = None) -> tuple[bool, bool] | None:
    """The run the schedule owes, as (full, notify): full once a week and after the visit frequencies
    changed, daily on the first run of any other day; None when today's run was made.

    A frequency change moves many children at once: their tasks open without a digest notification
    (thousands of e-mails for an administrator's edit; the inbox counts show the tasks).
    """
    today = today or clock.today()
    done = VisitSweep.objects.filter(finished_at__isnull=False).order_by("-started_at")
    last, last_full = done.first(), done.filter(full=True).first()
    if last is not None and last.frequencies != frequencies_fingerprint():
        return True, False
    if last_full is None or last_full.day <= today - FULL_EVERY:
        return True, True
    return (False, True) if last.day != today else None


def visit_statuses_sweep(
    *, today: datetime.date | None = None, notify: bool = True, full: bool = True
) -> VisitSweep:
    """Bring every child's alert (and with `full`, its next-due date) up to date, and the visit tasks
    in line (idempotent).

    Due dates change only when visits, categories, files or frequencies change: the first three move
    them child by child as they happen (status.visit_status_recompute), so the daily run only turns
    the calendar (alerts); the full run recomputes every date from scratch, catching rows written
    around the services (bulk loads) and frequency changes.
    """
    today = today or clock.today()
    started, began = clock.now(), time.perf_counter()
    sweep = VisitSweep(day=today, started_at=started, frequencies=frequencies_fingerprint(), full=full)
    d = Dialect(connection)
    # Task titles and notifications are stored: in the site's language, whoever triggers the run.
    with translation.override(settings.LANGUAGE_CODE), d.large_cache(), transaction.atomic():
        d.lock_exclusive(ChildVisitStatus._meta.db_table)
        if full:
            sweep.statuses_created = _statuses_create(d)
            _moves_follow(d)
            sweep.due_dates_changed = _due_dates(d)
        sweep.alerts_changed, digests = _alerts(d, today, started)
        d.drop_temp(DUE, ALERTS)
        if notify:
            _digests_send(digests)
        sweep.seconds = time.perf_counter() - began
        sweep.finished_at = clock.now()
        sweep.save()
    return sweep


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _statuses_create(d: Dialect) -> int:
    remote = list(status.remote_methods()) or ["-"]
    latest = f"FROM {_t(Visit)} v WHERE v.child_id = c.id ORDER BY v.visited_on DESC, v.id DESC LIMIT 1"
    sql = f"""
        INSERT INTO {_t(ChildVisitStatus)} (child_id, area_code, last_visit_on, follow_up_on, high_risk, alert)
        SELECT c.id, c.area_code,
            (SELECT MAX(v.visited_on) FROM {_t(Visit)} v
              WHERE v.child_id = c.id AND v.method NOT IN ({", ".join(["%s"] * len(remote))})),
            (SELECT v.follow_up_on {latest}),
            COALESCE((SELECT v.high_risk {latest}), {d.false}),
            ''
        FROM {_t(Child)} c
        WHERE c.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM {_t(ChildVisitStatus)} s WHERE s.child_id = c.id)
          AND EXISTS (SELECT 1 FROM {_t(CategoryAssignment)} a WHERE a.child_id = c.id AND a.ended_on IS NULL)
    """  # noqa: S608 -- table names from the models, values as parameters
    return d.execute(sql, remote)


def _moves_follow(d: Dialect) -> None:
    """Children whose file moved to another village: the copy and their open visit tasks follow."""
    moved = d.fetchall(
        f"SELECT s.child_id, c.area_code FROM {_t(ChildVisitStatus)} s JOIN {_t(Child)} c ON c.id = s.child_id "  # noqa: S608
        "WHERE s.area_code <> c.area_code"
    )
    for child_id, area_code in moved:
        ChildVisitStatus.objects.filter(child_id=child_id).update(area_code=area_code)
        Task.objects.filter(child_id=child_id, kind__in=TASK_KINDS, status=Task.Status.OPEN).update(
            area_code=area_code
        )


def _interval_sql(d: Dialect, category: str, area: str) -> tuple[str, str]:
    """(LEFT JOINs, expression): the interval of `category` at `area`, the longest matching prefix winning.

    Only the prefix lengths that occur in the frequency table are joined (usually the national
    default and a few provinces), one indexed lookup each.
    """
    lengths = sorted(
        {len(p) for p in VisitFrequency.objects.values_list("area_prefix", flat=True)}, reverse=True
    )
    joins, cases = [], []
    for n in lengths:
        prefix = "''" if n == 0 else f"substr({area}, 1, {n})"
        joins.append(
            f"LEFT JOIN {_t(VisitFrequency)} f{n} ON f{n}.category = {category} AND f{n}.area_prefix = {prefix}"
        )
        cases.append(f"WHEN f{n}.id IS NOT NULL THEN f{n}.interval_days")
    expression = f"CASE {' '.join(cases)} END" if cases else "NULL"
    return " ".join(joins), expression


def _due_dates(d: Dialect) -> int:
    """Next-due dates of every child into a temporary table; returns how many stored dates changed."""
    cat_joins, cat_days = _interval_sql(d, "a.category", "s.area_code")
    risk_joins, risk_days = _interval_sql(d, f"'{HIGH_RISK}'", "s.area_code")
    start = d.greatest(d.day("COALESCE(s.last_visit_on, a.started_on)"), d.day("a.started_on"))
    d.create_temp(DUE, "child_id BIGINT PRIMARY KEY, interval_days INTEGER, next_due_on DATE")
    # One row per open category (is_duty = 1), plus the high-risk interval and the follow-up date as
    # candidates; a child counts only when it has at least one duty (no category, no due date).
    # Dates as day numbers: the earliest is turned back into a date once per child.
    d.execute(f"""
        INSERT INTO {DUE} (child_id, interval_days, next_due_on)
        SELECT x.child_id, MIN(x.days), {d.from_day("MIN(x.due)")} FROM (
            SELECT y.child_id, y.days, y.start + y.days AS due, 1 AS is_duty FROM (
                SELECT a.child_id, {start} AS start, {cat_days} AS days
                FROM {_t(CategoryAssignment)} a
                JOIN {_t(ChildVisitStatus)} s ON s.child_id = a.child_id
                {cat_joins}
                WHERE a.ended_on IS NULL
            ) y WHERE y.days IS NOT NULL
            UNION ALL
            SELECT z.child_id, z.days, z.last_day + z.days, 0 FROM (
                SELECT s.child_id, {d.day("s.last_visit_on")} AS last_day, {risk_days} AS days
                FROM {_t(ChildVisitStatus)} s {risk_joins}
                WHERE s.high_risk = {d.true} AND s.last_visit_on IS NOT NULL
            ) z WHERE z.days IS NOT NULL
            UNION ALL
            SELECT s.child_id, NULL, {d.day("s.follow_up_on")}, 0 FROM {_t(ChildVisitStatus)} s
            WHERE s.follow_up_on IS NOT NULL AND (s.last_visit_on IS NULL OR s.follow_up_on > s.last_visit_on)
        ) x GROUP BY x.child_id HAVING MAX(x.is_duty) = 1
    """)  # noqa: S608
    d.analyze(DUE)
    # Files no longer active (moved away, aged out, deceased) have no visit plan, whatever they hold.
    d.execute(
        f"DELETE FROM {DUE} WHERE child_id IN (SELECT c.id FROM {_t(Child)} c WHERE c.status <> 'active')"  # noqa: S608
    )
    changed = d.execute(f"""
        UPDATE {_t(ChildVisitStatus)} AS s SET interval_days = n.interval_days, next_due_on = n.next_due_on
        FROM {DUE} n
        WHERE n.child_id = s.child_id
          AND ({d.differ("s.next_due_on", "n.next_due_on")} OR {d.differ("s.interval_days", "n.interval_days")})
    """)  # noqa: S608
    changed += d.execute(f"""
        UPDATE {_t(ChildVisitStatus)} SET interval_days = NULL, next_due_on = NULL
        WHERE (next_due_on IS NOT NULL OR interval_days IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM {DUE} n WHERE n.child_id = {_t(ChildVisitStatus)}.child_id)
    """)  # noqa: S608
    return changed


def _alerts(d: Dialect, today: datetime.date, now: datetime.datetime) -> tuple[int, dict]:
    """Rows whose alert (or the due date it was raised for) changed: their tasks, then their state."""
    grace = datetime.timedelta(days=alerts.grace_days())
    soon = datetime.timedelta(days=alerts.due_soon_days())
    d.create_temp(ALERTS, "child_id BIGINT PRIMARY KEY, alert VARCHAR(10), old_alert VARCHAR(10), "
                          "next_due_on DATE, area_code VARCHAR(12)")  # fmt: skip
    wanted = f"""CASE WHEN s.next_due_on IS NULL THEN ''
        WHEN s.next_due_on < %s THEN '{Alert.ESCALATED}'
        WHEN s.next_due_on < %s THEN '{Alert.OVERDUE}'
        WHEN s.next_due_on <= %s THEN '{Alert.DUE}' ELSE '' END"""
    changed = d.execute(
        f"""
        INSERT INTO {ALERTS} (child_id, alert, old_alert, next_due_on, area_code)
        SELECT x.child_id, x.alert, x.old_alert, x.next_due_on, x.area_code FROM (
            SELECT s.child_id, {wanted} AS alert, s.alert AS old_alert, s.next_due_on, s.alerted_due_on,
                   s.area_code
            FROM {_t(ChildVisitStatus)} s
        ) x
        WHERE x.alert <> x.old_alert OR (x.alert <> '' AND {d.differ("x.alerted_due_on", "x.next_due_on")})
        """,  # noqa: S608
        [d.date(today - grace), d.date(today), d.date(today + soon)],
    )
    if not changed:
        return 0, {}
    d.analyze(ALERTS)
    _tasks_sync(d, now)
    digests = _digests_count(d)
    d.execute(
        f"""
        UPDATE {_t(ChildVisitStatus)} AS s SET alert = t.alert,
            alerted_due_on = CASE WHEN t.alert = '' THEN NULL ELSE t.next_due_on END,
            overdue_since = CASE WHEN t.alert IN ('{Alert.OVERDUE}', '{Alert.ESCALATED}')
                            THEN {d.add_days("t.next_due_on", "1")} ELSE NULL END,
            escalated_at = CASE WHEN t.alert = '{Alert.ESCALATED}' THEN COALESCE(s.escalated_at, %s) ELSE NULL END,
            updated_at = %s
        FROM {ALERTS} t WHERE t.child_id = s.child_id AND s.child_id IN (SELECT child_id FROM {ALERTS})
        """,  # noqa: S608
        [d.datetime(now), d.datetime(now)],
    )
    return changed, digests


def _wanted_sql(kind_column: str, alert_column: str) -> str:
    """SQL: whether the task kind in `kind_column` is wanted for the alert in `alert_column`."""
    parts = []
    for kind in TASK_KINDS:
        states = [a for a, kinds in TASKS_WANTED.items() if kind in kinds]
        parts.append(
            f"({kind_column} = '{kind}' AND {alert_column} IN ({', '.join(repr(str(a)) for a in states)}))"
        )
    return "(" + " OR ".join(parts) + ")"


def _tasks_sync(d: Dialect, now: datetime.datetime) -> None:
    task, q = _t(Task), connection.ops.quote_name
    kinds = ", ".join(f"'{k}'" for k in TASK_KINDS)
    # Driven from the changed children (ALERTS, small on most days) into the task table by child_id;
    # rows are written only when something changes (each write touches every index of the table).
    open_visit_tasks = f"""{task}.child_id = t.child_id AND {task}.child_id IN (SELECT child_id FROM {ALERTS})
          AND {task}.{q("status")} = 'open' AND {d.unindexed(f"{task}.kind")} IN ({kinds})"""  # noqa: S608
    d.execute(
        f"""
        UPDATE {task} SET {q("status")} = %s, closed_at = %s FROM {ALERTS} t
        WHERE {open_visit_tasks} AND NOT {_wanted_sql(f"{task}.kind", "t.alert")}
        """,  # noqa: S608
        [Task.Status.CANCELLED, d.datetime(now)],
    )
    # Tasks kept open: the due date they are about, the priority (overdue turns urgent when escalated).
    due_at = d.due_at("t.next_due_on")
    priority = f"""CASE WHEN {task}.kind = '{TASK_ESCALATION}' THEN 'urgent'
        WHEN {task}.kind = '{TASK_OVERDUE}' AND t.alert = '{Alert.ESCALATED}' THEN 'urgent' ELSE 'normal' END"""
    d.execute(f"""
        UPDATE {task} SET due_at = {due_at}, priority = {priority} FROM {ALERTS} t
        WHERE {open_visit_tasks} AND ({d.differ(f"{task}.due_at", due_at)} OR {task}.priority <> {priority})
    """)  # noqa: S608
    columns = ", ".join(q(c) for c in ("key", "kind", "title", "url", "assignee_role", "area_code", "child_id",
                                       "due_at", "priority", "status", "created_at"))  # fmt: skip
    for kind in TASK_KINDS:
        states = [str(a) for a, wanted in TASKS_WANTED.items() if kind in wanted]
        title_before, title_after = alerts.title_parts(kind)
        url_before, url_after = alerts.url_parts(kind)
        key = f"%s || {d.text('t.child_id')}"
        if kind == TASK_OVERDUE:
            priority = f"CASE WHEN t.alert = '{Alert.ESCALATED}' THEN 'urgent' ELSE 'normal' END"
        else:
            priority = f"'{alerts.task_priority(kind, Alert.DUE)}'"
        d.execute(
            f"""
            INSERT INTO {task} ({columns})
            SELECT {key}, %s, substr(%s || c.name || %s, 1, 200), %s || {d.uuid_text("c.uuid")} || %s, %s,
                   t.area_code, t.child_id, {d.due_at("t.next_due_on")}, {priority}, 'open', %s
            FROM {ALERTS} t JOIN {_t(Child)} c ON c.id = t.child_id
            WHERE t.alert IN ({", ".join(["%s"] * len(states))})
              AND NOT EXISTS (SELECT 1 FROM {task} k WHERE k.{q("key")} = {key} AND k.{q("status")} = 'open')
            """,  # noqa: S608
            [f"{kind}:", kind, title_before, title_after, url_before, url_after, alerts.SPECS[kind].role,
             d.datetime(now), *states, f"{kind}:"],
        )  # fmt: skip


def _digests_count(d: Dialect) -> dict:
    """Newly overdue children per village and newly escalated per township (before the state update)."""
    rows = d.fetchall(f"""
        SELECT area_code, alert, old_alert FROM {ALERTS}
        WHERE alert IN ('{Alert.OVERDUE}', '{Alert.ESCALATED}') AND alert <> old_alert
    """)  # noqa: S608
    overdue, escalated = Counter(), Counter()
    for area_code, alert, old in rows:
        if alert == Alert.ESCALATED:
            escalated[area_code[:9]] += 1
        if old in (Alert.NONE, Alert.DUE):
            overdue[area_code] += 1
    return {"overdue": overdue, "escalated": escalated}


def _digests_send(digests: dict) -> None:
    """One notification per director (their village's newly overdue children) and per supervisor
    (their township's newly escalated ones), not one per child: the tasks carry the detail."""
    if not digests:
        return
    from django.urls import reverse

    url = reverse("fieldwork:worklist")
    for role, counts, key in (
        (Role.VILLAGE_DIRECTOR, digests["overdue"], "overdue"),
        (Role.TOWNSHIP_SUPERVISOR, digests["escalated"], "escalated"),
    ):
        areas = list(counts)
        for i in range(0, len(areas), 500):
            memberships = Membership.objects.filter(
                role=role, is_active=True, user__is_active=True, area_id__in=areas[i : i + 500]
            ).select_related("user")
            for m in memberships:
                inbox.notify(users=[m.user], title=alerts.digest_title(**{key: counts[m.area_id]}), url=url)
