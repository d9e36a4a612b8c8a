"""The access log is hash-chained and append-only: tampering and deletion show, and the database refuses both."""

import pytest
from django.db import DatabaseError, connection, transaction

from seedling.core.audit import GENESIS, audit_maintenance, audit_seal, audit_verify, chain_head, row_intact
from seedling.core.models import AccessLog

pytestmark = pytest.mark.django_db


def test_sealing_chains_rows_in_order_and_verifies(log_rows):
    rows = log_rows(5)
    assert audit_verify().unsealed == 5

    assert audit_seal() == 5
    sealed = list(AccessLog.objects.order_by("seq"))
    assert [r.seq for r in sealed] == [1, 2, 3, 4, 5]
    assert [r.pk for r in sealed] == [r.pk for r in rows]
    assert sealed[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in zip(sealed, sealed[1:], strict=False))

    report = audit_verify()
    assert report.ok and report.checked == 5 and report.unsealed == 0
    assert (report.head_seq, report.head_hash) == chain_head() == (5, sealed[-1].row_hash)


def test_sealing_again_continues_the_chain(log_rows):
    log_rows(3)
    audit_seal()
    log_rows(2)
    assert audit_seal() == 2
    assert audit_seal() == 0
    report = audit_verify()
    assert report.ok and report.checked == 5


def test_small_batches_give_the_same_chain(log_rows):
    log_rows(7)
    assert audit_seal(batch_size=2) == 7
    assert audit_verify().ok


def test_verify_reports_the_exact_altered_row(log_rows):
    log_rows(6)
    audit_seal()
    target = AccessLog.objects.get(seq=4)
    # Someone with database superuser rights edits a sealed row (the trigger lets only maintenance through).
    with audit_maintenance():
        AccessLog.objects.filter(pk=target.pk).update(reason="nothing to see")

    report = audit_verify()
    assert not report.ok
    assert report.broken_at == 4 and report.problem == "altered" and report.row_id == target.pk
    assert report.checked == 3
    assert "4" in report.message
    assert row_intact(AccessLog.objects.get(pk=target.pk)) is False
    assert row_intact(AccessLog.objects.get(seq=3)) is True


def test_verify_reports_a_rewritten_link(log_rows):
    log_rows(4)
    audit_seal()
    with audit_maintenance():
        AccessLog.objects.filter(seq=3).update(prev_hash="f" * 64)
    report = audit_verify()
    assert (report.broken_at, report.problem) == (3, "altered")


def test_verify_reports_the_gap_of_a_deleted_row(log_rows):
    log_rows(6)
    audit_seal()
    with audit_maintenance():
        AccessLog.objects.filter(seq=2).delete()

    report = audit_verify()
    assert not report.ok
    assert (report.broken_at, report.problem) == (2, "missing")
    assert report.checked == 1


def test_a_cut_off_tail_shows_only_against_a_recorded_head(log_rows):
    log_rows(5)
    audit_seal()
    head = chain_head()
    with audit_maintenance():
        AccessLog.objects.filter(seq=5).delete()

    assert audit_verify().ok  # the chain alone cannot tell
    report = audit_verify(anchor=head)
    assert (report.broken_at, report.problem) == (5, "anchor")
    assert audit_verify(anchor=(3, AccessLog.objects.get(seq=3).row_hash)).ok


def test_unsealed_rows_are_counted_not_checked(log_rows):
    log_rows(3)
    audit_seal()
    log_rows(2)
    report = audit_verify()
    assert report.ok and (report.checked, report.unsealed) == (3, 2)
    assert row_intact(AccessLog.objects.filter(seq__isnull=True).first()) is None


# --- the database itself refuses changes (triggers of migration core 0002, SQLite and PostgreSQL) ---


def _refused(operation) -> bool:
    try:
        with transaction.atomic():
            operation()
    except DatabaseError:
        return True
    return False


def test_database_refuses_delete_of_any_row(log_rows):
    log_rows(2)
    audit_seal()
    log_rows(1)
    for row in AccessLog.objects.all():
        assert _refused(lambda row=row: AccessLog.objects.filter(pk=row.pk).delete())
    assert AccessLog.objects.count() == 3


def test_database_refuses_update_of_a_sealed_row(log_rows):
    log_rows(2)
    audit_seal()
    row = AccessLog.objects.get(seq=1)
    assert _refused(lambda: AccessLog.objects.filter(pk=row.pk).update(reason="changed"))
    assert _refused(lambda: AccessLog.objects.filter(pk=row.pk).update(row_hash="0" * 64))
    assert _refused(lambda: AccessLog.objects.filter(pk=row.pk).update(seq=None, prev_hash="", row_hash=""))
    assert AccessLog.objects.get(pk=row.pk).reason == row.reason
    assert audit_verify().ok


def test_an_unsealed_row_takes_its_seal_fields_once_and_nothing_else(log_rows):
    (row,) = log_rows(1)
    assert _refused(lambda: AccessLog.objects.filter(pk=row.pk).update(reason="changed"))
    assert _refused(lambda: AccessLog.objects.filter(pk=row.pk).update(seq=1, username="someone else"))

    assert not _refused(
        lambda: AccessLog.objects.filter(pk=row.pk).update(seq=1, prev_hash=GENESIS, row_hash="a" * 64)
    )
    assert _refused(
        lambda: AccessLog.objects.filter(pk=row.pk).update(seq=2, prev_hash=GENESIS, row_hash="b" * 64)
    )
    assert AccessLog.objects.get(pk=row.pk).row_hash == "a" * 64


def test_maintenance_mode_ends_with_its_block(log_rows):
    log_rows(1)
    with audit_maintenance():
        pass
    assert _refused(lambda: AccessLog.objects.all().delete())


def test_postgresql_refuses_truncate(log_rows):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has only DELETE")
    log_rows(1)

    def truncate():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_accesslog")

    assert _refused(truncate)
    assert AccessLog.objects.count() == 1
