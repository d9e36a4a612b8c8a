"""Suppression of linked tables (关联表的联合抑制): tables of the same responses. Pure functions.

The aggregate report publishes three tables of the same responses (county, age band and sex, each
× band). Their bottom rows are the same numbers: the band totals and the grand total. Suppressed one
by one, a total hidden as a partner in one table can be published in another, and the hidden small
cell it protected follows from the published one. So the tables are suppressed together:

1. Each table is suppressed (research.suppression) with the totals that any table hides forced
   hidden; this repeats until no table hides a total that another publishes (a fixpoint: the set of
   hidden totals only grows). The grand total, which the page also shows as the number of
   responses, follows the same rule.
2. An audit of the three tables together. Written as equations, table t lets its hidden totals
   change only together: removing its totals row from its graph of hidden entries (research.
   suppression) splits the hidden totals into groups, and within each group the changes must add up
   to nothing. The changes every table allows are the solutions of all these sums (a handful of
   unknowns, solved exactly). A hidden total is safe when some allowed change moves it; a hidden cell
   is safe when it lies on a cycle that avoids the totals row, or when the changes flowing across it
   (the hidden totals on one side of it) can be non-zero.
3. When the audit finds a number that the tables together give away (it takes an unusual pattern
   of small numbers), every non-zero total is hidden and step 1 runs again; if that still fails,
   every non-zero number of the report is hidden, which always holds (only zeros remain published,
   so doubling every count gives another report with the same published numbers).
"""

from fractions import Fraction

from .suppression import (
    SuppressedTable,
    _check,
    adjacency,
    extended,
    find_bridges,
    hidden_entries,
    side,
    suppress,
)


def suppress_linked(tables: list[list[list[int]]], minimum: int) -> list[SuppressedTable]:
    """Suppress tables of the same responses (same columns and column totals) together."""
    for table in tables:
        _check(table, minimum)
    if not tables or any(not table or not table[0] for table in tables):
        return [suppress(table, minimum) for table in tables]
    fulls = [extended(table) for table in tables]
    if any(full[-1] != fulls[0][-1] for full in fulls):
        raise ValueError("linked tables must have the same column totals")
    totals = fulls[0][-1]
    attempts = [set(), {j for j, value in enumerate(totals) if value > 0}]
    for forced in attempts:
        hiddens = _fixpoint(fulls, minimum, forced)
        if not _given_away(fulls, hiddens):
            return [_published(full, hidden, minimum) for full, hidden in zip(fulls, hiddens, strict=True)]
    everything = [
        {(i, j) for i, row in enumerate(full) for j, value in enumerate(row) if value > 0} for full in fulls
    ]
    return [_published(full, hidden, minimum) for full, hidden in zip(fulls, everything, strict=True)]


def _fixpoint(fulls, minimum: int, shared: set[int]) -> list[set]:
    """Suppress each table with the totals (columns of the bottom row) in `shared` forced hidden,
    until the tables hide the same totals."""
    shared = set(shared)
    while True:
        hiddens = [hidden_entries(full, minimum, {(len(full) - 1, j) for j in shared}) for full in fulls]
        hidden_totals = {
            j for full, hidden in zip(fulls, hiddens, strict=True) for i, j in hidden if i == len(full) - 1
        }
        if hidden_totals == shared:
            return hiddens
        shared = hidden_totals


def _published(full, hidden, minimum: int) -> SuppressedTable:
    n_rows, n_cols = len(full) - 1, len(full[0]) - 1

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else full[i][j]

    return SuppressedTable(
        minimum=minimum,
        cells=[[shown(i, j) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown(i, n_cols) for i in range(n_rows)],
        column_totals=[shown(n_rows, j) for j in range(n_cols)],
        total=shown(n_rows, n_cols),
    )


def _given_away(fulls, hiddens) -> bool:
    """Whether the tables together determine a hidden number (step 2 of the module doc)."""
    shared = sorted(
        {j for full, hidden in zip(fulls, hiddens, strict=True) for i, j in hidden if i == len(full) - 1}
    )
    if not shared:
        return False  # no hidden total links the tables: each table's own guarantee holds
    sums: list[set[int]] = []  # groups of hidden totals whose changes must add up to nothing
    inner = []
    for full, hidden in zip(fulls, hiddens, strict=True):
        bottom = len(full) - 1
        rest = {e for e in hidden if e[0] != bottom}
        graph = adjacency(rest)
        seen: set = set()
        for j in shared:
            if ("c", j) in seen:
                continue
            group = side(rest, ("c", j)) if ("c", j) in graph else {("c", j)}
            seen |= group
            sums.append({k for kind, k in group if kind == "c" and k in shared})
        inner.append((rest, find_bridges(rest)))
    basis = _null_space(sums, shared)
    if any(all(vector[j] == 0 for vector in basis) for j in shared):
        return True  # a hidden total that no allowed change moves
    for rest, bridges in inner:
        for bridge in bridges:
            one_side = side(rest, ("r", bridge[0]), bridge)
            across = [k for kind, k in one_side if kind == "c" and k in shared]
            if all(sum(vector[k] for k in across) == 0 for vector in basis):
                return True  # a hidden cell whose value the hidden totals around it fix
    return False


def _null_space(sums: list[set[int]], unknowns: list[int]) -> list[dict[int, Fraction]]:
    """A basis of the solutions d of "sum of d[k] over k in group = 0" for every group (exact)."""
    rows = [[Fraction(1 if k in group else 0) for k in unknowns] for group in sums if group]
    pivots: list[int] = []
    rank = 0
    for col in range(len(unknowns)):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [value / lead for value in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(col)
        rank += 1
    basis = []
    for free in (c for c in range(len(unknowns)) if c not in pivots):
        vector = {k: Fraction(0) for k in unknowns}
        vector[unknowns[free]] = Fraction(1)
        for r, col in enumerate(pivots):
            vector[unknowns[col]] = -rows[r][free]
        basis.append(vector)
    return basis
