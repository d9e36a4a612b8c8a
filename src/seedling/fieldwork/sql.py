"""The few SQL expressions that differ between SQLite and PostgreSQL, for the set-based sweep."""

from contextlib import contextmanager

# SQLite's page cache for the sweep (KiB): its default 2 MB makes every index write of a million-row
# table a trip to the OS; the sweep touches the status and task tables' indexes all over.
SQLITE_SWEEP_CACHE_KIB = 256 * 1024
POSTGRES_SWEEP_WORK_MEM = "256MB"


class Dialect:
    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.true, self.false = ("TRUE", "FALSE") if self.postgres else ("1", "0")

    # --- statements ---

    def execute(self, sql: str, params=None) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return max(cursor.rowcount, 0)

    def fetchall(self, sql: str, params=None) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.fetchall()

    def create_temp(self, name: str, columns: str) -> None:
        # Dropped first: a run inside an outer transaction (or after a failed run on SQLite) left it.
        # PostgreSQL joins these tables by hashing: a primary key would only cost its upkeep.
        self.execute(f"DROP TABLE IF EXISTS {name}")
        if self.postgres:
            columns = columns.replace(" PRIMARY KEY", "")
        suffix = " ON COMMIT DROP" if self.postgres else ""
        self.execute(f"CREATE TEMPORARY TABLE {name} ({columns}){suffix}")

    def drop_temp(self, *names: str) -> None:
        for name in names:
            self.execute(f"DROP TABLE IF EXISTS {name}")

    def analyze(self, name: str) -> None:
        """Statistics for a temporary table, so PostgreSQL plans the joins with it (autovacuum never
        sees temporary tables); SQLite's planner does well enough without."""
        if self.postgres:
            self.execute(f"ANALYZE {name}")

    def lock_exclusive(self, table: str) -> None:
        """Keep writers of `table` waiting until commit (SQLite's IMMEDIATE transactions already do)."""
        if self.postgres:
            self.execute(f"LOCK TABLE {self.connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE")
            self.execute(f"SET LOCAL work_mem = '{POSTGRES_SWEEP_WORK_MEM}'")
            # SSD-like costs: the changed children of a day (thousands) reach their tasks through the
            # child_id index instead of a scan of the whole task table, which grows with every year.
            self.execute("SET LOCAL random_page_cost = 1.1")

    @contextmanager
    def large_cache(self):
        """Memory for the sweep: SQLite's page cache; PostgreSQL's work_mem, whose 4 MB default makes
        the aggregation over a million children and its hash joins spill to disk (inside the
        sweep's transaction only: SET LOCAL)."""
        if self.postgres:
            yield
            return
        (cache,) = self.fetchall("PRAGMA cache_size")[0]
        (temp_store,) = self.fetchall("PRAGMA temp_store")[0]
        # The temporary tables (tens of MB) in memory; SQLite allows the change outside a transaction only.
        memory = not self.connection.in_atomic_block
        self.execute(f"PRAGMA cache_size = -{SQLITE_SWEEP_CACHE_KIB}")
        if memory:
            self.execute("PRAGMA temp_store = MEMORY")
        try:
            yield
        finally:
            self.execute(f"PRAGMA cache_size = {int(cache)}")
            if memory:
                self.execute(f"PRAGMA temp_store = {int(temp_store)}")

    # --- parameters ---

    def date(self, value):
        return self.connection.ops.adapt_datefield_value(value)

    def datetime(self, value):
        return self.connection.ops.adapt_datetimefield_value(value)

    # --- expressions ---

    def add_days(self, date_sql: str, days_sql: str) -> str:
        if self.postgres:
            return f"({date_sql} + ({days_sql}))"
        return f"date({date_sql}, '+' || ({days_sql}) || ' days')"

    def day(self, date_sql: str) -> str:
        """A date as a number of days that adds and compares (SQLite's date() on text is slow)."""
        return date_sql if self.postgres else f"julianday({date_sql})"

    def from_day(self, day_sql: str) -> str:
        return day_sql if self.postgres else f"date({day_sql})"

    def greatest(self, a: str, b: str) -> str:
        return f"GREATEST({a}, {b})" if self.postgres else f"max({a}, {b})"

    def differ(self, a: str, b: str) -> str:
        """Null-safe inequality."""
        return f"({a} IS DISTINCT FROM {b})" if self.postgres else f"({a} IS NOT {b})"

    def unindexed(self, column: str) -> str:
        """A column the SQLite planner must not pick an index for (it has no statistics to tell that
        another index of the same query is far more selective); PostgreSQL's planner knows."""
        return column if self.postgres else f"+{column}"

    def text(self, sql: str) -> str:
        return f"CAST({sql} AS TEXT)"

    def uuid_text(self, sql: str) -> str:
        """A uuid column as its dashed text (SQLite stores Django's UUIDField as 32 hex digits)."""
        if self.postgres:
            return f"CAST({sql} AS TEXT)"
        parts = [(1, 8), (9, 4), (13, 4), (17, 4), (21, 12)]
        return " || '-' || ".join(f"substr({sql}, {start}, {length})" for start, length in parts)

    def due_at(self, date_sql: str) -> str:
        """The end of a due day in China Standard Time (23:59:59 +08:00 = 15:59:59 UTC), as stored."""
        if self.postgres:
            return f"(({date_sql} + TIME '15:59:59') AT TIME ZONE 'UTC')"
        return f"({date_sql} || ' 15:59:59')"
