"""Raw bulk inserts for an import: sqlite3 executemany or PostgreSQL COPY, primary keys reserved first.

The ORM's bulk_create prepares every value of every row through its field (several microseconds a
value) and, on SQLite, splits inserts at 999 parameters: for a 40-column table that is most of an
import's time (DESIGN.md: raw bulk insert ~500k rows/s, the ORM ~5k). Values here are converted
once per column kind; defaults come from the model fields, so a row is what the ORM would write.
"""

import json
import operator
import uuid
from functools import lru_cache

from django.db import connection, models


def _date(value):
    return value.isoformat() if value is not None else None


def _json(value):
    return json.dumps(value, ensure_ascii=False) if value is not None else None


def _uuid_sqlite(value):
    return value.hex if value is not None else None


class RawTable:
    """A model's table: rows are dicts by attname; missing values take the field's default."""

    def __init__(self, model, *, with_pk: bool = True):
        self.model = model
        meta = model._meta
        fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [f.column for f in fields]
        sqlite = connection.vendor == "sqlite"
        self._base: dict = {}  # attname → default, for the columns a row may leave out
        self._callables: list = []  # (attname, default factory): uuid4, dict...
        self._preps: list = []  # (position, converter) of the columns the driver cannot take as they are
        for position, f in enumerate(fields):
            prep = None
            if isinstance(f, models.JSONField):
                prep = _json
            elif sqlite and isinstance(f, models.UUIDField):
                prep = _uuid_sqlite
            elif sqlite and isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
                prep = _date
            elif sqlite and isinstance(f, models.DateTimeField):
                # The same few moments (the batch's "now") in every row: convert each once.
                prep = lru_cache(maxsize=8)(connection.ops.adapt_datetimefield_value)
            if prep is not None:
                self._preps.append((position, prep))
            if f.has_default() and callable(f.default):
                self._callables.append((f.attname, f.default))
                self._base[f.attname] = None
            elif f.has_default():
                self._base[f.attname] = f.get_default()
            else:
                # No default: NULL where allowed, else "" (blank text fields the import leaves empty).
                self._base[f.attname] = None if f.null or f.primary_key else ""
        self._pick = operator.itemgetter(*[f.attname for f in fields])
        quote = connection.ops.quote_name
        self._table = quote(meta.db_table)
        self._column_list = ", ".join(quote(c) for c in self.columns)

    def tuples(self, rows: list[dict]) -> list[tuple]:
        base, pick, callables, preps = self._base, self._pick, self._callables, self._preps
        out = []
        for row in rows:
            full = {**base, **row}
            for attname, make in callables:
                if attname not in row:
                    full[attname] = make()
            values = pick(full)
            if preps:
                values = list(values)
                for position, prep in preps:
                    if values[position] is not None:
                        values[position] = prep(values[position])
                values = tuple(values)
            out.append(values)
        return out

    def insert(self, rows: list[dict]) -> None:
        if rows:
            insert_tuples(self._table, self._column_list, len(self.columns), self.tuples(rows))


def insert_tuples(table: str, column_list: str, width: int, rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:  # noqa: S608
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * width)
    connection.ensure_connection()
    # The raw sqlite3 cursor: Django's wrapper rewrites placeholders per statement (and logs them).
    connection.connection.cursor().executemany(f"INSERT INTO {table} ({column_list}) VALUES ({marks})", rows)  # noqa: S608


def reserve_ids(model, count: int) -> list[int]:
    """`count` primary keys for new rows of `model`; call inside the transaction that inserts them.

    PostgreSQL takes them from the identity sequence (safe with concurrent writers). SQLite has one
    writer at a time: the transaction (BEGIN IMMEDIATE) holds the write lock, so the keys after
    the largest used one stay free until it commits.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(top, found[0] if found else 0) + 1
    ids = list(range(start, start + count))
    # AUTOINCREMENT keys never go back: record the highest taken, as an insert would.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [ids[-1], table])
        if cursor.rowcount == 0:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, ids[-1]])
    return ids


def new_uuid() -> uuid.UUID:
    return uuid.uuid4()
