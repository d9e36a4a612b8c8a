"""What a reader can work out from published tables: exact linear algebra over all their equations.

Tables of the same responses share their bottom row (the band totals and the grand total): one
unknown each, whichever table it appears in. Every row and column of every table is an equation
(its cells add up to its total). An unknown is given away when every solution of the equations has
the same value for it; that is the attack of the privacy review, done by a computer.
"""

from fractions import Fraction

SHARED = "shared"

# The privacy review's example: separately suppressed, the age and sex tables publish band totals that
# the area table hides, and 温岭市's red count (1) follows. (county, age, sex, band)
REVIEW = [
    *[(0, 0, 0, 0), (0, 0, 0, 1), (0, 0, 0, 2), (0, 0, 1, 1), (0, 0, 1, 2), (0, 1, 0, 0), (0, 1, 1, 0)],
    *[(0, 1, 1, 2), (0, 2, 0, 0), (0, 2, 1, 1), (0, 2, 1, 2), *[(0, 9, 9, 0)] * 5, (1, 0, 0, 0)],
    *[(1, 0, 1, 0)] * 4,
    *[(1, 0, 1, 1), (1, 2, 0, 2), (1, 2, 1, 2), *[(1, 9, 9, 0)] * 4, (1, 9, 9, 1), (1, 9, 9, 1)],
    *[(1, 9, 9, 2), (1, 9, 9, 2), (1, 9, 9, 3)],
]


def published_layout(table) -> list[list[int | None]]:
    """A SuppressedTable in the extended layout (totals as the last row and column; None = hidden)."""
    rows = [[*cells, total] for cells, total in zip(table.cells, table.row_totals, strict=True)]
    return [*rows, [*table.column_totals, table.total]]


def given_away(published: list[list[list[int | None]]]) -> set:
    """Hidden entries (table, row, column) — or (SHARED, column) for the bottom row — that the
    equations of all the tables together fix."""
    unknowns: dict = {}
    # A total of the bottom row that any table publishes is known in all of them.
    bottom = {j: v for table in published for j, v in enumerate(table[-1]) if v is not None}

    def unknown(t: int, i: int, j: int):
        key = (SHARED, j) if i == len(published[t]) - 1 else (t, i, j)
        return unknowns.setdefault(key, len(unknowns))

    equations = []
    for t, table in enumerate(published):
        height, width = len(table), len(table[0])
        lines = [[(i, j, -1 if j == width - 1 else 1) for j in range(width)] for i in range(height)]
        lines += [[(i, j, -1 if i == height - 1 else 1) for i in range(height)] for j in range(width)]
        for line in lines:
            coefficients: dict[int, int] = {}
            constant = Fraction(0)
            for i, j, sign in line:
                value = bottom.get(j) if i == height - 1 else table[i][j]
                if value is None:
                    k = unknown(t, i, j)
                    coefficients[k] = coefficients.get(k, 0) + sign
                else:
                    constant -= sign * value
            equations.append((coefficients, constant))
    n = len(unknowns)
    rows = []
    for coefficients, constant in equations:
        row = [Fraction(0)] * (n + 1)
        for k, c in coefficients.items():
            row[k] += c
        row[n] = constant
        rows.append(row)
    pivots = []
    rank = 0
    for col in range(n):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [v / lead for v in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(col)
        rank += 1
    names = {k: key for key, k in unknowns.items()}
    return {names[col] for r, col in enumerate(pivots) if all(rows[r][c] == 0 for c in range(n) if c != col)}
