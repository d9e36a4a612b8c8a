"""Mandatory reports are never deleted, and their history is never rewritten, in the database itself.

- reports: no DELETE or TRUNCATE; UPDATE may move the report along (acknowledgements, closing,
  escalation) but never change its facts (child, situation, detection time, reporter, source,
  description) nor a step already recorded;
- routing and events: append-only (no UPDATE, DELETE or TRUNCATE).

The only way through is the access log's per-connection maintenance flag (core.audit.audit_maintenance),
which the test suite's flush uses; no page, API, admin screen or job sets it.
"""

from django.db import migrations

REPORT = "protection_mandatoryreport"
APPEND_ONLY = ["protection_reportevent", "protection_reportrouting"]

_FACTS = [
    "id",
    "child_id",
    "situation",
    "detected_at",
    "created_at",
    "reporter_id",
    "source",
    "source_id",
    "description_cipher",
    "ack_due_at",
]
# Once recorded, a step stays as recorded.
_STEPS = [
    "police_acknowledged_at",
    "police_acknowledged_by_id",
    "police_reference",
    "civil_affairs_acknowledged_at",
    "civil_affairs_acknowledged_by_id",
    "closed_at",
    "closed_by_id",
    "closing_note",
    "escalated_at",
]
_STEP_SET = {
    "police_reference": "police_acknowledged_at",
    "police_acknowledged_by_id": "police_acknowledged_at",
    "civil_affairs_acknowledged_by_id": "civil_affairs_acknowledged_at",
    "closed_by_id": "closed_at",
    "closing_note": "closed_at",
}


def _sqlite_changed() -> str:
    facts = [f"NEW.{c} IS NOT OLD.{c}" for c in _FACTS]
    steps = [f"(OLD.{_STEP_SET.get(c, c)} IS NOT NULL AND NEW.{c} IS NOT OLD.{c})" for c in _STEPS]
    return " OR ".join(facts + steps)


def _postgres_changed() -> str:
    facts = "(" + ", ".join(f"NEW.{c}" for c in _FACTS) + ") IS DISTINCT FROM ("
    facts += ", ".join(f"OLD.{c}" for c in _FACTS) + ")"
    steps = [f"(OLD.{_STEP_SET.get(c, c)} IS NOT NULL AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in _STEPS]
    return " OR ".join([facts, *steps])


SQLITE = [
    f"""CREATE TRIGGER {REPORT}_no_delete BEFORE DELETE ON {REPORT}
        WHEN NOT seedling_audit_maintenance()
        BEGIN SELECT RAISE(ABORT, 'mandatory reports cannot be deleted'); END;""",
    f"""CREATE TRIGGER {REPORT}_facts_fixed BEFORE UPDATE ON {REPORT}
        WHEN NOT seedling_audit_maintenance() AND ({_sqlite_changed()})
        BEGIN SELECT RAISE(ABORT, 'a mandatory report''s facts and recorded steps cannot be changed'); END;""",
]
for _table in APPEND_ONLY:
    SQLITE += [
        f"""CREATE TRIGGER {_table}_no_delete BEFORE DELETE ON {_table}
            WHEN NOT seedling_audit_maintenance()
            BEGIN SELECT RAISE(ABORT, 'mandatory report records cannot be deleted'); END;""",
        f"""CREATE TRIGGER {_table}_no_update BEFORE UPDATE ON {_table}
            WHEN NOT seedling_audit_maintenance()
            BEGIN SELECT RAISE(ABORT, 'mandatory report records are append-only'); END;""",
    ]
SQLITE_REVERSE = [f"DROP TRIGGER {REPORT}_no_delete;", f"DROP TRIGGER {REPORT}_facts_fixed;"] + [
    f"DROP TRIGGER {t}_{suffix};" for t in APPEND_ONLY for suffix in ("no_delete", "no_update")
]

_MAINTENANCE = """IF current_setting('seedling.audit_maintenance', true) = 'on' THEN
           RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
         END IF;
         IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
           RAISE EXCEPTION 'mandatory reports and their records cannot be deleted';
         END IF;"""

POSTGRES = [
    f"""CREATE FUNCTION protection_report_guard() RETURNS trigger AS $$
       BEGIN
         {_MAINTENANCE}
         IF {_postgres_changed()} THEN
           RAISE EXCEPTION 'a mandatory report''s facts and recorded steps cannot be changed';
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql;""",
    f"""CREATE FUNCTION protection_append_only_guard() RETURNS trigger AS $$
       BEGIN
         {_MAINTENANCE}
         RAISE EXCEPTION 'mandatory report records are append-only';
       END $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {REPORT}_guard BEFORE UPDATE OR DELETE ON {REPORT}
        FOR EACH ROW EXECUTE FUNCTION protection_report_guard();""",
    # TRUNCATE bypasses row triggers; refuse it too.
    f"""CREATE TRIGGER {REPORT}_no_truncate BEFORE TRUNCATE ON {REPORT}
        FOR EACH STATEMENT EXECUTE FUNCTION protection_report_guard();""",
]
for _table in APPEND_ONLY:
    POSTGRES += [
        f"""CREATE TRIGGER {_table}_guard BEFORE UPDATE OR DELETE ON {_table}
            FOR EACH ROW EXECUTE FUNCTION protection_append_only_guard();""",
        f"""CREATE TRIGGER {_table}_no_truncate BEFORE TRUNCATE ON {_table}
            FOR EACH STATEMENT EXECUTE FUNCTION protection_append_only_guard();""",
    ]
POSTGRES_REVERSE = [
    f"DROP TRIGGER {suffix} ON {t};"
    for t in [REPORT, *APPEND_ONLY]
    for suffix in (f"{t}_guard", f"{t}_no_truncate")
] + ["DROP FUNCTION protection_report_guard();", "DROP FUNCTION protection_append_only_guard();"]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    # core 0002 is where the maintenance flag (and its SQLite function's use) is defined.
    dependencies = [("protection", "0001_initial"), ("core", "0002_accesslog_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
