"""What earlier rows of the file held, for the duplicate checks within a file, kept on disk.

A million-row roster would need hundreds of megabytes to remember every identity number and every
name reading in Python; a temporary SQLite file keeps memory flat and answers a whole batch in one
query. It holds only keyed hashes and row numbers: no name or number is written to disk.
"""

import contextlib
import os
import sqlite3
import tempfile


class SeenRows:
    """Earlier rows by identity-number key and by name key with birth date."""

    def __init__(self):
        handle, self._path = tempfile.mkstemp(prefix="seedling-import-", suffix=".sqlite3")
        os.close(handle)
        self._db = sqlite3.connect(self._path, isolation_level=None)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -8000;
            CREATE TABLE ids (key INTEGER PRIMARY KEY, row INTEGER NOT NULL);
            CREATE TABLE names (key INTEGER NOT NULL, birth INTEGER NOT NULL, row INTEGER NOT NULL);
            CREATE INDEX names_key_birth ON names (key, birth);
            CREATE TEMP TABLE probe (key INTEGER, low INTEGER, high INTEGER, swapped INTEGER, row INTEGER);
            """
        )

    def same_ids(self, keyed: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """(row, earlier row) for each row whose key an earlier row (in this or an earlier batch) has."""
        found: list[tuple[int, int]] = []
        first: dict[int, int] = {}
        for key, row in keyed:
            if key in first:
                found.append((row, first[key]))
            else:
                first[key] = row
        keys = list(first)
        earlier: dict[int, int] = {}
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key, row FROM ids WHERE key IN ({marks})"  # noqa: S608 -- placeholders only
            earlier.update(self._db.execute(sql, chunk))
        for key, row in first.items():
            if key in earlier:
                found.append((row, earlier[key]))
        self._db.execute("BEGIN")
        self._db.executemany(
            "INSERT INTO ids (key, row) VALUES (?, ?)", [(k, r) for k, r in first.items() if k not in earlier]
        )
        self._db.execute("COMMIT")
        return found

    def near_names(self, probes: list[tuple[int, int, int, int, int, int]]) -> list[tuple[int, int, int]]:
        """(row, first earlier row, how many earlier rows) for each row sharing a name key with an
        earlier row (in this or an earlier batch) born in [low, high] or on `swapped`.

        Probes: (key, birth, low, high, swapped, row), dates as ordinals.
        """
        db = self._db
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO names (key, birth, row) VALUES (?, ?, ?)", [(p[0], p[1], p[5]) for p in probes]
        )
        db.executemany(
            "INSERT INTO probe (key, low, high, swapped, row) VALUES (?, ?, ?, ?, ?)",
            [(p[0], p[2], p[3], p[4], p[5]) for p in probes],
        )
        found = db.execute(
            """
            SELECT row, MIN(earlier), COUNT(DISTINCT earlier) FROM (
                SELECT p.row AS row, n.row AS earlier FROM probe p JOIN names n
                  ON n.key = p.key AND n.birth BETWEEN p.low AND p.high AND n.row < p.row
                UNION ALL
                SELECT p.row, n.row FROM probe p JOIN names n
                  ON n.key = p.key AND n.birth = p.swapped AND n.row < p.row
            ) GROUP BY row ORDER BY row
            """
        ).fetchall()
        db.execute("DELETE FROM probe")
        db.execute("COMMIT")
        return found

    def close(self) -> None:
        self._db.close()
        with contextlib.suppress(OSError):
            os.remove(self._path)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
