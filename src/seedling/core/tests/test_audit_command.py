"""`seedling audit seal` and `seedling audit verify`, and the periodic sealing task."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from seedling.core.audit import audit_maintenance, chain_head, verification_last
from seedling.core.models import AccessLog
from seedling.core.tasks import audit_seal_task, audit_verify_task

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


def test_seal_prints_how_many_and_the_head(log_rows):
    log_rows(4)
    out = run("seal")
    assert "4" in out
    seq, row_hash = chain_head()
    assert seq == 4 and f"{seq}:{row_hash}" in out
    assert not AccessLog.objects.filter(seq__isnull=True).exists()


def test_verify_seals_nothing_and_reports_counts(log_rows):
    log_rows(3)
    run("seal")
    log_rows(2)
    out = run("verify")
    assert "3" in out and "2" in out
    assert AccessLog.objects.filter(seq__isnull=True).count() == 2
    last = verification_last()
    assert last["report"].ok and last["report"].checked == 3


def test_verify_fails_naming_the_altered_row(log_rows):
    log_rows(5)
    run("seal")
    with audit_maintenance():
        AccessLog.objects.filter(seq=3).update(username="intruder")
    with pytest.raises(CommandError) as exc:
        run("verify")
    assert "3" in str(exc.value)
    assert verification_last()["report"].broken_at == 3


def test_verify_fails_on_a_gap(log_rows):
    log_rows(5)
    run("seal")
    with audit_maintenance():
        AccessLog.objects.filter(seq=4).delete()
    with pytest.raises(CommandError) as exc:
        run("verify")
    assert "4" in str(exc.value)


def test_verify_checks_a_recorded_head(log_rows):
    log_rows(3)
    run("seal")
    seq, row_hash = chain_head()
    assert "3" in run("verify", "--anchor", f"{seq}:{row_hash}")
    with pytest.raises(CommandError):
        run("verify", "--anchor", f"{seq}:{'e' * 64}")
    with pytest.raises(CommandError):
        run("verify", "--anchor", "not-a-head")


def test_seal_task_seals_pending_rows(log_rows):
    log_rows(3)
    assert audit_seal_task.call() == 3
    assert not AccessLog.objects.filter(seq__isnull=True).exists()
    assert audit_verify_task.call() == {"ok": True, "checked": 3, "broken_at": None}


def test_seal_task_runs_on_the_configured_backend(log_rows, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    log_rows(2)
    result = audit_seal_task.enqueue()
    assert result.return_value == 2
