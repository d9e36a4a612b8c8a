"""Several sealers at once (two worker processes) chain every row exactly once (one PostgreSQL advisory lock)."""

import threading

import pytest
from django.db import connection, connections

from seedling.core.audit import audit_log, audit_seal, audit_verify
from seedling.core.models import AccessLog

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite admits one writer at a time by design"
)


@pytest.mark.usefixtures("transactional_db", "_audit_maintenance_for_flush")
def test_concurrent_sealers_do_not_collide():
    for i in range(600):
        audit_log(user=None, action="login", reason=str(i))
    sealed, errors = [], []

    def sealer():
        try:
            sealed.append(audit_seal(batch_size=50))
        except Exception as exc:  # noqa: BLE001 -- any failure of a sealer fails the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sealer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sum(sealed) == 600
    report = audit_verify()
    assert report.ok and report.checked == 600
    assert not AccessLog.objects.filter(seq__isnull=True).exists()
