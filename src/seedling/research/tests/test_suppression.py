"""Small-cell suppression: worked tables, and properties over random tables (hypothesis).

The strongest property is checked constructively: for every hidden number the test builds another
table of non-negative counts with exactly the same published numbers in which that number differs,
so nobody can work it out from what is published.
"""

from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedling.research.suppression import SuppressedTable, display, extended, suppress

H = None  # hidden


def published_entries(result: SuppressedTable) -> list[list[int | None]]:
    """The published table in the extended layout (totals as the last row and column)."""
    rows = [[*cells, total] for cells, total in zip(result.cells, result.row_totals, strict=True)]
    return [*rows, [*result.column_totals, result.total]]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # Nothing small: everything is published.
        ([[10, 12], [7, 30]], ([[10, 12], [7, 30]], [22, 37], [17, 42], 59)),
        # Zeros are published; a table of zeros too.
        ([[0, 6], [0, 0]], ([[0, 6], [0, 0]], [6, 0], [0, 6], 6)),
        # One small cell in a 2 × 2 table: its row and column partners, and the cell across.
        ([[10, 3], [12, 8]], ([[H, H], [H, H]], [13, 20], [22, 11], 33)),
        # One small cell in a 3 × 3 table: a rectangle of four hidden cells, totals kept.
        (
            [[10, 3, 7], [12, 8, 9], [20, 15, 6]],
            ([[10, H, H], [12, H, H], [20, 15, 6]], [20, 29, 41], [42, 26, 22], 90),
        ),
        # A single row: its cells are its column totals, so those go with them.
        ([[30, 2, 0]], ([[H, H, 0]], [32], [H, H, 0], 32)),
        # A small row total is hidden like a cell.
        ([[1, 2], [9, 8]], ([[H, H], [H, H]], [H, H], [10, 10], 20)),
    ],
)
def test_worked_tables(table, expected):
    cells, row_totals, column_totals, total = expected
    result = suppress(table, 5)
    assert (result.cells, result.row_totals, result.column_totals, result.total) == (
        cells,
        row_totals,
        column_totals,
        total,
    )


def test_hidden_numbers_are_shown_as_less_than_the_minimum():
    result = suppress([[10, 3], [12, 8]], 5)
    assert [display(v, result.minimum) for v in result.cells[0]] == ["<5", "<5"]
    assert display(13, 5) == "13" and display(0, 5) == "0"
    assert result.hidden == 4


def test_the_minimum_is_configurable():
    table = [[10, 3], [12, 8]]
    assert suppress(table, 3).hidden == 0
    assert suppress(table, 5).column_totals[1] == 11
    assert suppress(table, 12).column_totals[1] is None  # 11 is small at a minimum of 12


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]], 5)
    with pytest.raises(ValueError):
        suppress([[-1]], 5)
    with pytest.raises(ValueError):
        suppress([[1]], 0)


def test_an_empty_table_has_nothing_to_hide():
    assert suppress([], 5).total == 0


# --- properties ---------------------------------------------------------------------------------

counts = st.one_of(st.integers(0, 6), st.integers(0, 60))
tables = st.integers(1, 5).flatmap(
    lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=5)
)


def _lines(height: int, width: int):
    for i in range(height):
        yield [(i, j) for j in range(width)]
    for j in range(width):
        yield [(i, j) for i in range(height)]


def _cycle_through(hidden: set, entry) -> list | None:
    """Hidden entries forming a cycle with `entry` (lines as nodes, entries as edges), by BFS."""
    graph: dict = {}
    for e in hidden - {entry}:
        for node, other in ((("r", e[0]), ("c", e[1])), (("c", e[1]), ("r", e[0]))):
            graph.setdefault(node, []).append((other, e))
    start, goal = ("c", entry[1]), ("r", entry[0])
    came: dict = {start: None}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            path, at = [], node
            while came[at] is not None:
                previous, edge = came[at]
                path.append(edge)
                at = previous
            return [entry, *reversed(path)]
        for other, edge in graph.get(node, []):
            if other not in came:
                came[other] = (node, edge)
                todo.append(other)
    return None


def _alternative(full, hidden: set, entry):
    """Another non-negative table with the same published entries where `entry` differs, or None."""
    height, width = len(full), len(full[0])
    cycle = _cycle_through(hidden, entry)
    if cycle is None:
        return None
    for step in (1, -1):
        other = [row[:] for row in full]
        for k, (i, j) in enumerate(cycle):
            # Totals enter their line's equation with the opposite sign of cells; the grand total
            # is a total of totals, so it takes the sign of a cell.
            margin = (i == height - 1) != (j == width - 1)
            delta = step * (1 if k % 2 == 0 else -1) * (-1 if margin else 1)
            other[i][j] += delta
        if all(v >= 0 for row in other for v in row):
            return other
    return None


def _consistent(table) -> bool:
    height, width = len(table), len(table[0])
    rows_ok = all(sum(table[i][:-1]) == table[i][-1] for i in range(height))
    columns_ok = all(sum(table[i][j] for i in range(height - 1)) == table[-1][j] for j in range(width))
    return rows_ok and columns_ok


@settings(max_examples=300, deadline=None)
@given(table=tables, minimum=st.integers(1, 10))
def test_every_published_number_is_zero_or_at_least_the_minimum(table, minimum):
    for row in published_entries(suppress(table, minimum)):
        for value in row:
            assert value is None or value == 0 or value >= minimum


@settings(max_examples=300, deadline=None)
@given(table=tables, minimum=st.integers(1, 10))
def test_no_hidden_number_follows_from_its_row_or_column_total(table, minimum):
    published = published_entries(suppress(table, minimum))
    height, width = len(published), len(published[0])
    for line in _lines(height, width):
        assert sum(published[i][j] is None for i, j in line) != 1


@settings(max_examples=300, deadline=None)
@given(table=tables, minimum=st.integers(1, 10))
def test_every_hidden_number_could_be_something_else(table, minimum):
    full = extended(table)
    published = published_entries(suppress(table, minimum))
    hidden = {(i, j) for i, row in enumerate(published) for j, v in enumerate(row) if v is None}
    for i, j in hidden:
        assert full[i][j] >= 1  # what is hidden is never a bare zero
        other = _alternative(full, hidden, (i, j))
        assert other is not None, f"entry {(i, j)} of {table} can be worked out"
        assert other[i][j] != full[i][j] and _consistent(other)
        assert all(other[a][b] == full[a][b] for a, b in _published_positions(published))


def _published_positions(published):
    return [(i, j) for i, row in enumerate(published) for j, v in enumerate(row) if v is not None]


@settings(max_examples=100, deadline=None)
@given(table=tables, minimum=st.integers(1, 10))
def test_published_numbers_are_the_true_ones(table, minimum):
    full = extended(table)
    published = published_entries(suppress(table, minimum))
    for i, j in _published_positions(published):
        assert published[i][j] == full[i][j]
