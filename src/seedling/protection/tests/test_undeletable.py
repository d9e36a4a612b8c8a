"""A report can never be deleted: not by the model, a page, the API, the admin or SQL (SQLite and PostgreSQL)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from seedling.core.audit import audit_maintenance
from seedling.protection.models import DeletionRefused, MandatoryReport, ReportEvent, ReportRouting

from .conftest import api

pytestmark = pytest.mark.django_db


def _refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_the_model_and_its_querysets_refuse_to_delete(file_report):
    report = file_report()
    with pytest.raises(DeletionRefused):
        report.delete()
    with pytest.raises(DeletionRefused):
        MandatoryReport.objects.filter(pk=report.pk).delete()
    with pytest.raises(DeletionRefused):
        report.events.first().delete()
    with pytest.raises(DeletionRefused):
        ReportRouting.objects.all().delete()
    assert MandatoryReport.objects.filter(pk=report.pk).exists()


def test_the_api_has_no_delete_or_edit(file_report, users):
    report = file_report()
    url = f"/api/v1/mandatory-reports/{report.pk}/"
    for user in (users.director, users.county_officer, users.national_officer):
        client = api(user)
        assert client.delete(url).status_code == 405
        assert client.put(url, {"description": "x"}, format="json").status_code == 405
        assert client.patch(url, {"description": "x"}, format="json").status_code == 405
    assert MandatoryReport.objects.get(pk=report.pk).description.startswith("孩子独自在家")


def test_the_admin_cannot_delete_singly_or_in_bulk(file_report, client, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    report = file_report()
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x-long-password")
    client.force_login(root)
    base = "/admin/protection/mandatoryreport/"
    changelist = client.get(base)
    assert changelist.status_code == 200
    assert b"delete_selected" not in changelist.content
    assert client.get(f"{base}{report.pk}/delete/").status_code == 403
    assert client.post(f"{base}{report.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(base, {"action": "delete_selected", "_selected_action": [report.pk], "post": "yes"})
    # The admin shows no child's name, description or reporter.
    detail = client.get(f"{base}{report.pk}/change/")
    assert detail.status_code == 200
    assert "王小花" not in detail.content.decode() and "孩子独自在家" not in detail.content.decode()
    assert MandatoryReport.objects.filter(pk=report.pk).exists()


def test_the_database_refuses_to_delete_reports_and_their_records(file_report):
    report = file_report()
    for table in ("protection_mandatoryreport", "protection_reportevent", "protection_reportrouting"):
        column = "id" if table == "protection_mandatoryreport" else "report_id"
        assert _refused(f"DELETE FROM {table} WHERE {column} = %s", [report.pk]), table  # noqa: S608
    assert MandatoryReport.objects.filter(pk=report.pk).exists()
    assert ReportEvent.objects.filter(report=report).count() == 2


def test_the_database_refuses_to_rewrite_a_report_or_its_history(file_report, users, police):
    from seedling.protection import services

    report = file_report()
    table = "protection_mandatoryreport"
    assert _refused(f"UPDATE {table} SET situation = 'abandoned' WHERE id = %s", [report.pk])  # noqa: S608
    assert _refused(f"UPDATE {table} SET reporter_id = %s WHERE id = %s", [users.supervisor.pk, report.pk])  # noqa: S608
    assert _refused(f"UPDATE {table} SET description_cipher = 'x' WHERE id = %s", [report.pk])  # noqa: S608
    assert _refused("UPDATE protection_reportevent SET note = 'x' WHERE report_id = %s", [report.pk])
    assert _refused("UPDATE protection_reportrouting SET name = 'x' WHERE report_id = %s", [report.pk])
    services.report_acknowledge_police(user=police["township"], report=report, reference="A-1")
    # A step once recorded stays: neither its time nor its receipt number can be changed or cleared.
    assert _refused(f"UPDATE {table} SET police_acknowledged_at = NULL WHERE id = %s", [report.pk])  # noqa: S608
    assert _refused(f"UPDATE {table} SET police_reference = 'B-2' WHERE id = %s", [report.pk])  # noqa: S608
    # Moving the report along is still possible (the services do it).
    assert not _refused(f"UPDATE {table} SET status = status WHERE id = %s", [report.pk])  # noqa: S608
    assert MandatoryReport.objects.get(pk=report.pk).police_reference == "A-1"


def test_postgresql_refuses_truncate(file_report):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has only DELETE")
    file_report()
    for table in ("protection_mandatoryreport", "protection_reportevent", "protection_reportrouting"):
        assert _refused(f"TRUNCATE {table} CASCADE"), table


def test_only_the_maintenance_flag_of_the_test_flush_gets_through(file_report):
    report = file_report()
    with audit_maintenance():
        pass
    assert _refused("DELETE FROM protection_reportevent WHERE report_id = %s", [report.pk])
    with audit_maintenance():
        assert not _refused("DELETE FROM protection_reportevent WHERE report_id = %s", [report.pk])
