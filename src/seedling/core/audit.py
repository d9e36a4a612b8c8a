"""The access log: write a row for every read of a child's file, change, export and reveal.

Writers only INSERT (no lock, no read of the previous row), so the log never makes requests queue.
`audit_seal` chains unsealed rows in id order, one block at a time under a single sealer lock:
row_hash = HMAC(key, prev_hash + canonical(row)). `audit_verify` recomputes the chain.
"""

import datetime
import hashlib
import hmac
import json
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AccessLog
from .request_context import current_request

GENESIS = "0" * 64
# Key of the PostgreSQL advisory lock that admits one sealer at a time (any constant bigint).
_SEALER_LOCK = 0x5EED_A0D1
_LAST_VERIFICATION = "seedling:audit:last_verification"


def _entry(*, user, action, obj, child_id, area_code, reason, detail, info, at=None) -> AccessLog:
    return AccessLog(
        at=at or timezone.now(),
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        child_id=child_id,
        area_code=area_code or "",
        reason=reason[:500],
        ip=info.ip if info else None,
        path=info.path if info else "",
        detail=detail or {},
    )


def audit_log(
    *,
    user,
    action: str,
    obj=None,
    child=None,
    area_code: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AccessLog:
    """Append one access-log row; `child` (or obj.child) ties it to a child's file and area."""
    if child is None and obj is not None:
        child = getattr(obj, "child", None) if not _is_child(obj) else obj
    row = _entry(
        user=user,
        action=action,
        obj=obj,
        child_id=child.pk if child is not None else None,
        area_code=child.area_id if child is not None else area_code,
        reason=reason,
        detail=detail,
        info=current_request.get(),
    )
    row.save(force_insert=True)
    return row


def audit_log_each(*, user, action: str, objs, reason: str = "", detail: dict | None = None) -> int:
    """One access-log row per object shown (each tied to its child), in one insert: a list page that
    shows children's names and situations is a read of each of their files.

    The children's areas are read in one query (objects need not have their child loaded).
    """
    objs = list(objs)
    child_ids = {o.pk if _is_child(o) else getattr(o, "child_id", None) for o in objs} - {None}
    areas = {}
    if child_ids:
        from seedling.registry.models import Child  # core is below registry: imported where used

        areas = dict(Child.objects.filter(pk__in=child_ids).values_list("pk", "area_id"))
    info, now = current_request.get(), timezone.now()
    rows = []
    for obj in objs:
        child_id = obj.pk if _is_child(obj) else getattr(obj, "child_id", None)
        rows.append(
            _entry(
                user=user,
                action=action,
                obj=obj,
                child_id=child_id,
                area_code=areas.get(child_id, ""),
                reason=reason,
                detail=detail,
                info=info,
                at=now,
            )
        )
    AccessLog.objects.bulk_create(rows)
    return len(rows)


def _is_child(obj) -> bool:
    return obj._meta.label_lower == "registry.child"


def _canonical(row: AccessLog) -> bytes:
    payload = [
        row.pk,
        row.seq,
        row.at.isoformat(),
        row.user_id,
        row.username,
        row.action,
        row.object_type,
        row.object_id,
        row.child_id,
        row.area_code,
        row.reason,
        row.ip,
        row.path,
        row.detail,
    ]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()


def _row_hash(prev_hash: str, row: AccessLog) -> str:
    key = bytes.fromhex(settings.SEEDLING_AUDIT_KEY)
    return hmac.new(key, prev_hash.encode() + _canonical(row), hashlib.sha256).hexdigest()


def row_intact(row: AccessLog) -> bool | None:
    """Whether a sealed row still matches its own hash (None: not sealed yet). Cheap, one row."""
    if row.seq is None:
        return None
    return hmac.compare_digest(row.row_hash, _row_hash(row.prev_hash, row))


def _take_sealer_lock(using: str) -> None:
    # Locking the newest sealed row is not enough on PostgreSQL: a second sealer waiting on that lock
    # re-reads the same (unchanged) row after the first commits and reuses its seq. An advisory lock
    # held to the end of the transaction admits one sealer at a time. SQLite transactions here begin
    # IMMEDIATE, which already takes the database's single write lock.
    conn = connections[using]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEALER_LOCK])


def _write_seals(using: str, rows: list[AccessLog]) -> None:
    # One prepared UPDATE per row (executemany; pipelined on psycopg 3): bulk_update's CASE expression
    # over thousands of rows is many times slower and would hold the write lock that long.
    conn = connections[using]
    table, q = AccessLog._meta.db_table, conn.ops.quote_name
    sql = f"UPDATE {q(table)} SET {q('seq')} = %s, {q('prev_hash')} = %s, {q('row_hash')} = %s WHERE {q('id')} = %s"  # noqa: S608 -- identifiers only
    with conn.cursor() as cursor:
        cursor.executemany(sql, [(row.seq, row.prev_hash, row.row_hash, row.pk) for row in rows])


def audit_seal(*, batch_size: int = 5000, using: str = "default") -> int:
    """Chain every unsealed row; returns how many were sealed. Safe to run from several processes."""
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            _take_sealer_lock(using)
            log = AccessLog.objects.using(using)
            last = log.filter(seq__isnull=False).order_by("-seq").first()
            prev_hash, seq = (last.row_hash, last.seq) if last else (GENESIS, 0)
            rows = list(log.filter(seq__isnull=True).order_by("id")[:batch_size])
            if not rows:
                return sealed
            for row in rows:
                seq += 1
                row.seq, row.prev_hash = seq, prev_hash
                row.row_hash = _row_hash(prev_hash, row)
                prev_hash = row.row_hash
            _write_seals(using, rows)
            sealed += len(rows)


def chain_head(*, using: str = "default") -> tuple[int, str]:
    """(seq, row_hash) of the newest sealed row: write it down elsewhere to detect a cut-off tail."""
    last = AccessLog.objects.using(using).filter(seq__isnull=False).order_by("-seq").first()
    return (last.seq, last.row_hash) if last else (0, GENESIS)


@dataclass
class ChainReport:
    checked: int
    unsealed: int
    broken_at: int | None  # seq of the first row that does not verify
    problem: str = ""  # "missing", "altered" or "anchor"; empty when the chain verifies
    row_id: int | None = None  # id of the altered row, when there is one
    head_seq: int = 0  # the last sealed row: record it elsewhere to detect a cut-off tail later
    head_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    @property
    def message(self) -> str:
        """What is wrong, for the person reading the command output or the page."""
        if self.problem == "missing":
            return _("第 %(seq)d 条已封存记录缺失（被删除）。") % {"seq": self.broken_at}
        if self.problem == "altered":
            return _("第 %(seq)d 条已封存记录（编号 %(id)s）被篡改。") % {
                "seq": self.broken_at,
                "id": self.row_id,
            }
        if self.problem == "anchor":
            return _("第 %(seq)d 条记录与此前记下的链头不符：链尾被截断或整条链被重写。") % {
                "seq": self.broken_at
            }
        return _("审计链完整。")


def audit_verify(*, anchor: tuple[int, str] | None = None, using: str = "default") -> ChainReport:
    """Recompute the chain from the first sealed row; report the first break.

    A chain alone cannot show that its newest rows were cut off; `anchor` (seq, row_hash) is a head
    recorded earlier (printed by `seedling audit seal`), which must still be in the chain unchanged.
    """
    log = AccessLog.objects.using(using)
    unsealed = log.filter(seq__isnull=True).count()
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    anchor_seen = anchor is None
    for row in log.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=5000):
        if row.seq != expected_seq:
            return ChainReport(checked, unsealed, expected_seq, "missing", None, expected_seq - 1, prev_hash)
        if row.prev_hash != prev_hash or not hmac.compare_digest(row.row_hash, _row_hash(prev_hash, row)):
            return ChainReport(checked, unsealed, row.seq, "altered", row.pk, expected_seq - 1, prev_hash)
        if anchor is not None and row.seq == anchor[0]:
            if row.row_hash != anchor[1]:
                return ChainReport(checked, unsealed, row.seq, "anchor", row.pk, row.seq, row.row_hash)
            anchor_seen = True
        prev_hash, expected_seq, checked = row.row_hash, expected_seq + 1, checked + 1
    if not anchor_seen:
        return ChainReport(checked, unsealed, anchor[0], "anchor", None, checked, prev_hash)
    return ChainReport(checked, unsealed, None, "", None, checked, prev_hash)


def verification_record(report: ChainReport) -> None:
    """Keep the outcome of the latest full verification for the access-log page."""
    cache.set(_LAST_VERIFICATION, {**asdict(report), "at": timezone.now().isoformat()}, None)


def verification_last() -> dict | None:
    """The latest recorded full verification (None: not run, or dropped from the cache)."""
    data = cache.get(_LAST_VERIFICATION)
    if not data:
        return None
    fields = {k: v for k, v in data.items() if k != "at"}
    return {"report": ChainReport(**fields), "at": datetime.datetime.fromisoformat(data["at"])}


@contextmanager
def audit_maintenance(using: str = "default"):
    """Let this connection delete access-log rows (retention purge, test flush); nothing else may."""
    conn = connections[using]
    conn.ensure_connection()
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT set_config('seedling.audit_maintenance', 'on', false)")
    conn.seedling_audit_maintenance = True
    try:
        yield
    finally:
        conn.seedling_audit_maintenance = False
        if conn.vendor == "postgresql" and conn.connection is not None:
            with conn.cursor() as cursor:
                cursor.execute("SELECT set_config('seedling.audit_maintenance', 'off', false)")


def register_sqlite_functions(sender, connection, **kwargs):
    """SQLite triggers ask this function whether the connection is in audit maintenance mode."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "seedling_audit_maintenance", 0, lambda: int(getattr(connection, "seedling_audit_maintenance", False))
    )
