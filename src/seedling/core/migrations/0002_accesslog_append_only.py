"""The access log is append-only in the database itself: no DELETE, and UPDATE only to seal a row once.

Only a connection in audit maintenance mode (core.audit.audit_maintenance: a retention purge, the
test suite's flush) may delete rows; it is a per-connection flag, never a global switch.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER accesslog_no_delete BEFORE DELETE ON core_accesslog
       WHEN NOT seedling_audit_maintenance()
       BEGIN SELECT RAISE(ABORT, 'access log rows cannot be deleted'); END;""",
    """CREATE TRIGGER accesslog_seal_once BEFORE UPDATE ON core_accesslog
       WHEN NOT seedling_audit_maintenance() AND (OLD.seq IS NOT NULL
         OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.user_id IS NOT OLD.user_id
         OR NEW.username IS NOT OLD.username OR NEW.action IS NOT OLD.action
         OR NEW.object_type IS NOT OLD.object_type OR NEW.object_id IS NOT OLD.object_id
         OR NEW.child_id IS NOT OLD.child_id OR NEW.area_code IS NOT OLD.area_code
         OR NEW.reason IS NOT OLD.reason OR NEW.ip IS NOT OLD.ip OR NEW.path IS NOT OLD.path
         OR NEW.detail IS NOT OLD.detail)
       BEGIN SELECT RAISE(ABORT, 'access log rows are append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER accesslog_no_delete;", "DROP TRIGGER accesslog_seal_once;"]

POSTGRES = [
    """CREATE FUNCTION accesslog_guard() RETURNS trigger AS $$
       BEGIN
         IF current_setting('seedling.audit_maintenance', true) = 'on' THEN
           RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
         END IF;
         IF TG_OP IN ('DELETE', 'TRUNCATE') THEN RAISE EXCEPTION 'access log rows cannot be deleted'; END IF;
         IF OLD.seq IS NOT NULL
            OR (NEW.id, NEW.at, NEW.user_id, NEW.username, NEW.action, NEW.object_type, NEW.object_id,
                NEW.child_id, NEW.area_code, NEW.reason, NEW.ip, NEW.path, NEW.detail::text)
               IS DISTINCT FROM
               (OLD.id, OLD.at, OLD.user_id, OLD.username, OLD.action, OLD.object_type, OLD.object_id,
                OLD.child_id, OLD.area_code, OLD.reason, OLD.ip, OLD.path, OLD.detail::text)
         THEN RAISE EXCEPTION 'access log rows are append-only'; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER accesslog_guard BEFORE UPDATE OR DELETE ON core_accesslog
       FOR EACH ROW EXECUTE FUNCTION accesslog_guard();""",
    # TRUNCATE bypasses row triggers; refuse it too.
    """CREATE TRIGGER accesslog_no_truncate BEFORE TRUNCATE ON core_accesslog
       FOR EACH STATEMENT EXECUTE FUNCTION accesslog_guard();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER accesslog_no_truncate ON core_accesslog;",
    "DROP TRIGGER accesslog_guard ON core_accesslog;",
    "DROP FUNCTION accesslog_guard();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
