"""Raw bulk writing for `seedling generate`: sqlite3 executemany, PostgreSQL COPY; deferred indexes.

DESIGN.md: raw bulk insert runs at ~500k rows/s, the ORM one row at a time at ~5k rows/s. Rows are
tuples in the order of a Table's columns; columns the generator does not fill take the model
field's default, computed once per table (a new NOT NULL field without a default fails loudly).
"""

import contextlib
import json
import operator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.models import NOT_PROVIDED

from seedling.registry.models import (
    CategoryAssignment,
    CategoryProposal,
    Child,
    Person,
    PersonSituation,
    SearchToken,
)

from . import bulk

# Tables whose non-unique indexes are dropped during a large load and rebuilt after it.
LOADED = [Child, Person, PersonSituation, SearchToken, CategoryAssignment]
DROPPED_FILE = "generate-dropped-indexes.json"


@dataclass
class Table:
    name: str
    columns: list[str]
    tail: tuple  # values of the columns the generator leaves to the model's defaults
    project: object = None  # picks the model's columns out of a generated row (fields the model lacks)


def model_table(model, names: tuple[str, ...], *, lenient: bool = False) -> Table:
    """A Table for `model` filled from rows in `names` order; `lenient` drops fields the model lacks."""
    meta = model._meta
    given, kept = [], []
    for index, name in enumerate(names):
        try:
            given.append(meta.get_field(name))
        except FieldDoesNotExist:
            if not lenient:
                raise
            continue
        kept.append(index)
    named = {f.name for f in given}
    # Left out: the primary key, and columns with a database default (the database fills them).
    rest = [
        f for f in meta.concrete_fields
        if f.name not in named and not f.primary_key and f.db_default is NOT_PROVIDED
    ]  # fmt: skip
    tail = []
    for f in rest:
        default = f.get_default()
        if default is None and not f.null:
            raise ImproperlyConfigured(
                f"{meta.label}.{f.name} is required and has no default: registry.synthetic.bulk must fill it"
            )
        tail.append(f.get_db_prep_save(default, connection))
    if connection.vendor == "postgresql":  # COPY text: JSON defaults as text, not adapter objects
        tail = [json.dumps(v.obj) if hasattr(v, "obj") else v for v in tail]
    project = operator.itemgetter(*kept) if len(kept) != len(names) else None
    if project is not None and len(kept) == 1:
        raise ImproperlyConfigured(f"{meta.label} has almost none of the generated fields")
    return Table(meta.db_table, [f.column for f in given + rest], tuple(tail), project)


def visit_model():
    """fieldwork.Visit when that app, the model and its table exist, else None."""
    if not apps.is_installed("seedling.fieldwork"):
        return None
    try:
        model = apps.get_model("fieldwork", "Visit")
    except LookupError:
        return None
    return model if model._meta.db_table in connection.introspection.table_names() else None


def tables(*, visits: bool) -> dict[str, Table]:
    """Tables of one batch's rows (keys as bulk.Rows), with fieldwork.Visit when `visits`."""
    out = {
        "children": model_table(Child, bulk.CHILD_FIELDS),
        "persons": model_table(Person, bulk.PERSON_FIELDS),
        "situations": model_table(PersonSituation, bulk.SITUATION_FIELDS),
        "tokens": model_table(SearchToken, bulk.TOKEN_FIELDS),
        "assignments": model_table(CategoryAssignment, bulk.ASSIGNMENT_FIELDS),
        "proposals": model_table(CategoryProposal, bulk.PROPOSAL_FIELDS),
    }
    if visits:
        out["visits"] = model_table(visit_model(), bulk.VISIT_FIELDS, lenient=True)
    return out


def now_value(moment):
    """created_at/updated_at as the database stores it (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment) if connection.vendor == "sqlite" else moment


def insert(table: Table, rows: list) -> None:
    if not rows:
        return
    if table.project is not None:
        rows = map(table.project, rows)
    tail = table.tail
    if tail:
        rows = (row + tail for row in rows)
    columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
    name = connection.ops.quote_name(table.name)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:  # noqa: S608
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(table.columns))
        # The raw sqlite3 cursor: Django's wrapper would rewrite %s per statement and log every call.
        connection.connection.cursor().executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def write(tables_: dict[str, Table], rows: bulk.Rows) -> None:
    """All rows of a batch in one transaction (a batch is there entirely or not at all)."""
    with transaction.atomic():
        for key, table in tables_.items():
            insert(table, getattr(rows, key))


def tune_for_load() -> None:
    """Session settings of a loading process; foreign keys hold by construction (ids reserved)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for pragma in ("foreign_keys=OFF", "synchronous=OFF", "cache_size=-400000", "busy_timeout=900000",
                           "temp_store=MEMORY"):  # fmt: skip
                cursor.execute(f"PRAGMA {pragma}")
            return
        cursor.execute("SET synchronous_commit = off")
        # Skips the per-row foreign key triggers; needs a superuser: without it the load is only slower.
        with contextlib.suppress(DatabaseError), transaction.atomic():
            cursor.execute("SET session_replication_role = replica")


# --- deferred indexes ---------------------------------------------------------------------------


def _dropped_path() -> Path:
    name = connection.settings_dict["NAME"]
    return Path(settings.VAR_DIR) / f"{Path(str(name)).name}-{DROPPED_FILE}"


def secondary_indexes(table_names: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the non-unique indexes of the tables (primary and unique keys stay)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join("%s" for _ in table_names)
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # noqa: S608
                f"AND tbl_name IN ({marks}) ORDER BY name",
                table_names,
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) ORDER BY indexname",
                [table_names],
            )
        return [(n, sql) for n, sql in cursor.fetchall() if not sql.upper().startswith("CREATE UNIQUE")]


def indexes_drop(table_names: list[str]) -> int:
    """Drop the secondary indexes, remembering them in a file first so an interrupted run can restore."""
    found = secondary_indexes(table_names)
    path = _dropped_path()
    earlier = json.loads(path.read_text()) if path.exists() else []
    path.write_text(json.dumps(earlier + found, ensure_ascii=False))
    with connection.cursor() as cursor:
        for name, _sql in found:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    return len(found)


def indexes_restore(progress=None) -> int:
    """Recreate indexes dropped by indexes_drop (also after a crash); returns how many were built."""
    path = _dropped_path()
    if not path.exists():
        return 0
    wanted = json.loads(path.read_text())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
        else:
            cursor.execute("PRAGMA threads = 2")
            cursor.execute("PRAGMA cache_size = -1000000")
        for name, sql in wanted:
            statement = sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
            cursor.execute(statement)
            if progress:
                progress(name)
    path.unlink()
    return len(wanted)


def finish(models) -> None:
    """After a load: sequences past the reserved ids (PostgreSQL), fresh planner statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
            cursor.execute(
                "ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            )
        else:
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute("ANALYZE")
