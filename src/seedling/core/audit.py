"""The access log: write a row for every read of a child's file, change, export and reveal.

Writers only INSERT (no lock, no read of the previous row), so the log never makes requests queue.
`audit_seal` chains unsealed rows in id order, one block at a time under a single sealer lock:
row_hash = HMAC(key, prev_hash + canonical(row)). `audit_verify` recomputes the chain.
"""

import hashlib
import hmac
import json
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, transaction

from .models import AccessLog
from .request_context import current_request

GENESIS = "0" * 64


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
    info = current_request.get()
    return AccessLog.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        child_id=child.pk if child is not None else None,
        area_code=(child.area_id if child is not None else area_code) or "",
        reason=reason[:500],
        ip=info.ip if info else None,
        path=info.path if info else "",
        detail=detail or {},
    )


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


def audit_seal(*, batch_size: int = 5000) -> int:
    """Chain every unsealed row; returns how many were sealed. Safe to run from several processes."""
    sealed = 0
    while True:
        with transaction.atomic():
            # One sealer at a time: lock the newest sealed row (or rely on SQLite's write lock).
            last = AccessLog.objects.select_for_update().filter(seq__isnull=False).order_by("-seq").first()
            prev_hash, seq = (last.row_hash, last.seq) if last else (GENESIS, 0)
            rows = list(AccessLog.objects.filter(seq__isnull=True).order_by("id")[:batch_size])
            if not rows:
                return sealed
            for row in rows:
                seq += 1
                row.seq, row.prev_hash = seq, prev_hash
                row.row_hash = _row_hash(prev_hash, row)
                prev_hash = row.row_hash
            AccessLog.objects.bulk_update(rows, ["seq", "prev_hash", "row_hash"])
            sealed += len(rows)


@dataclass
class ChainReport:
    checked: int
    unsealed: int
    broken_at: int | None  # seq of the first row that does not verify
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify() -> ChainReport:
    """Recompute the chain from the first sealed row; report the first break."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for row in AccessLog.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=5000):
        if row.seq != expected_seq:
            return ChainReport(checked, _unsealed(), expected_seq, f"row {expected_seq} is missing")
        if row.prev_hash != prev_hash or row.row_hash != _row_hash(prev_hash, row):
            return ChainReport(checked, _unsealed(), row.seq, f"row {row.seq} (id {row.pk}) was altered")
        prev_hash, expected_seq, checked = row.row_hash, expected_seq + 1, checked + 1
    return ChainReport(checked, _unsealed(), None)


def _unsealed() -> int:
    return AccessLog.objects.filter(seq__isnull=True).count()


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
