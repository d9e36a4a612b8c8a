"""Small-cell suppression (小单元格抑制) of a count table published with its totals. Pure functions.

A table of counts (rows × columns) is published with its row totals, column totals and grand total.
Every one of those numbers is an *entry* of the extended (rows + 1) × (columns + 1) table; each row
with its total, and each column with its total, is a *line*: its cells add up to its total.

- Primary suppression: an entry from 1 to minimum − 1 (a cell, or a total) is hidden and shown as
  "<minimum". Zeros are published: a zero says that nobody is in a group and names no child.
- Complementary suppression, so that no hidden entry can be worked out from the published ones:
  1. a line with exactly one hidden entry gives it away (total minus the rest), so the next smallest
     non-zero published cell of that line is hidden too (a total only when the line has no such cell);
  2. combining lines can also give an entry away. Take the graph whose nodes are the lines and whose
     edges are the hidden entries (an entry joins its row and its column): the equations fix an
     entry exactly when its edge is a bridge (on no cycle). Such an entry gets a partner that closes
     a cycle through it: a published non-zero entry joining the bridge's two sides.
  Both steps repeat until nothing changes.

Display: every hidden number is shown the same way, "<minimum", partners included, although a
partner is itself at least the minimum (it was published before it was chosen). Marking partners
apart would give values away: a hidden 1 and a hidden partner 5 in a column whose total 6 is
published — told that the partner is ≥ 5, a reader knows both. So "<5" reads "hidden: fewer than 5,
or hidden with such a number"; the page, the API and the file's README say so.

Why this is enough: every hidden entry is ≥ 1 (primary ones by definition; partners are always
chosen non-zero, and one always exists — a line whose only hidden entry is non-zero has another
non-zero entry, and a bridge's value is a signed sum of published entries across its cut, so one of
those is non-zero). Along any cycle of hidden entries one can then add 1 and take 1 away in turn and
get another table of non-negative counts with exactly the same published numbers: no hidden entry is
determined, even knowing that counts are never negative. The guarantee is about this one table;
the three tables of one report share their band totals and grand total, and are suppressed together
(research.linked). Overlapping reports of different filters can still be differenced against each
other, which is why the row-level export has its own rules (research.services, research.kanon).
"""

from dataclasses import dataclass

Entry = tuple[int, int]  # (row, column) of the extended table; row == n_rows / column == n_cols: totals


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to publish: None marks a hidden number."""

    minimum: int
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    @property
    def hidden(self) -> int:
        """How many numbers (cells and totals) are hidden."""
        flat = [v for row in self.cells for v in row] + self.row_totals + self.column_totals + [self.total]
        return sum(v is None for v in flat)


def display(value: int | None, minimum: int) -> str:
    """A published number as text: the number, or "<minimum" when hidden."""
    return f"<{minimum}" if value is None else str(value)


def extended(table: list[list[int]]) -> list[list[int]]:
    """The table with a total column on the right and a total row at the bottom."""
    n_cols = len(table[0]) if table else 0
    rows = [[*row, sum(row)] for row in table]
    column_totals = [sum(row[j] for row in rows) for j in range(n_cols + 1)]
    return [*rows, column_totals]


def _check(table: list[list[int]], minimum: int) -> None:
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    widths = {len(row) for row in table}
    if len(widths) > 1:
        raise ValueError("every row needs the same number of columns")
    if any(v < 0 for row in table for v in row):
        raise ValueError("counts cannot be negative")


def suppress(table: list[list[int]], minimum: int) -> SuppressedTable:
    """Hide the small numbers of `table` and enough others that none of them can be worked out."""
    _check(table, minimum)
    if not table or not table[0]:
        return SuppressedTable(
            minimum, [list(row) for row in table], [sum(r) for r in table], [], sum(map(sum, table))
        )
    full = extended(table)
    hidden = hidden_entries(full, minimum)
    n_rows, n_cols = len(table), len(table[0])

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else full[i][j]

    return SuppressedTable(
        minimum=minimum,
        cells=[[shown(i, j) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown(i, n_cols) for i in range(n_rows)],
        column_totals=[shown(n_rows, j) for j in range(n_cols)],
        total=shown(n_rows, n_cols),
    )


def hidden_entries(full: list[list[int]], minimum: int, forced=()) -> set[Entry]:
    """The entries of an extended table (see `extended`) to hide: primary, then complementary.

    `forced`: entries hidden whatever their value (a total that another table of the same responses
    hides, research.linked); they get partners like the small ones.
    """
    height, width = len(full), len(full[0])
    hidden = {(i, j) for i in range(height) for j in range(width) if 0 < full[i][j] < minimum}
    hidden |= set(forced)
    while True:
        if _close_lines(full, hidden):
            continue
        bridges = find_bridges(hidden)
        if not bridges:
            return hidden
        hidden.add(_bridge_partner(full, hidden, min(bridges)))


def _line(full, index: int, is_row: bool) -> list[Entry]:
    if is_row:
        return [(index, j) for j in range(len(full[0]))]
    return [(i, index) for i in range(len(full))]


def _pick(full, candidates, hidden: set[Entry] | None = None, is_row: bool = True) -> Entry | None:
    """The best non-zero candidate to hide, or None.

    In line closing (`hidden` given), a candidate whose other line already has exactly one hidden
    entry comes first (it closes that line too), then one whose other line has several, and last one
    that would leave its other line with a single hidden entry (which then needs a partner of its
    own); then inner cells before totals, the smallest count, the position (deterministic).
    """
    height, width = len(full), len(full[0])
    nonzero = [e for e in candidates if full[e[0]][e[1]] > 0]
    if not nonzero:
        return None

    def knock_on(e: Entry) -> int:
        if hidden is None:
            return 0
        other = _line(full, e[1], False) if is_row else _line(full, e[0], True)
        already = sum(x in hidden for x in other)
        return 0 if already == 1 else 1 if already > 1 else 2

    def key(e: Entry):
        is_total = e[0] == height - 1 or e[1] == width - 1
        return (knock_on(e), is_total, full[e[0]][e[1]], e)

    return min(nonzero, key=key)


def _close_lines(full, hidden: set[Entry]) -> bool:
    """Hide a partner in every line with exactly one hidden entry; whether anything was added."""
    added = False
    for is_row, count in ((True, len(full)), (False, len(full[0]))):
        for index in range(count):
            line = _line(full, index, is_row)
            if sum(e in hidden for e in line) != 1:
                continue
            partner = _pick(full, [e for e in line if e not in hidden], hidden, is_row)
            if partner is None:  # cannot happen when the hidden entry is non-zero (see module doc)
                partner = min(e for e in line if e not in hidden)
            hidden.add(partner)
            added = True
    return added


def _nodes(e: Entry) -> tuple[tuple[str, int], tuple[str, int]]:
    return ("r", e[0]), ("c", e[1])


def adjacency(hidden: set[Entry]) -> dict:
    graph: dict = {}
    for e in hidden:
        a, b = _nodes(e)
        graph.setdefault(a, []).append((b, e))
        graph.setdefault(b, []).append((a, e))
    return graph


def find_bridges(hidden: set[Entry]) -> list[Entry]:
    """The hidden entries on no cycle of the line graph (Tarjan's low-link, iterative)."""
    graph = adjacency(hidden)
    order: dict = {}
    low: dict = {}
    bridges: list[Entry] = []
    counter = 0
    for root in sorted(graph):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple] = [(root, None, iter(sorted(graph[root])))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for neighbour, edge in edges:
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                    continue
                order[neighbour] = low[neighbour] = counter
                counter += 1
                stack.append((neighbour, edge, iter(sorted(graph[neighbour]))))
                advanced = True
                break
            if advanced:
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent] and via is not None:
                    bridges.append(via)
    return bridges


def side(hidden: set[Entry], start, without: Entry | None = None) -> set:
    """The nodes reachable from `start` over hidden entries other than `without`."""
    graph = adjacency(hidden - {without})
    seen, todo = {start}, [start]
    while todo:
        for neighbour, _edge in graph.get(todo.pop(), []):
            if neighbour not in seen:
                seen.add(neighbour)
                todo.append(neighbour)
    return seen


def _bridge_partner(full, hidden: set[Entry], bridge: Entry) -> Entry:
    """A published entry that puts `bridge` on a cycle, or at least crosses the cut it spans."""
    row_side, column_side = side(hidden, ("r", bridge[0]), bridge), side(hidden, ("c", bridge[1]), bridge)
    rows_a = {n[1] for n in row_side if n[0] == "r"}
    cols_a = {n[1] for n in row_side if n[0] == "c"}
    rows_b = {n[1] for n in column_side if n[0] == "r"}
    cols_b = {n[1] for n in column_side if n[0] == "c"}
    published = [(i, j) for i in range(len(full)) for j in range(len(full[0])) if (i, j) not in hidden]
    closing = [(i, j) for i, j in published if (i in rows_a and j in cols_b) or (i in rows_b and j in cols_a)]
    crossing = [(i, j) for i, j in published if (i in rows_a) != (j in cols_a)]
    partner = _pick(full, closing) or _pick(full, crossing)
    if partner is None:  # cannot happen (see module doc); hiding any entry still ends the loop
        partner = min(published)
    return partner
