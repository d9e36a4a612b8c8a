"""Joint suppression of the three tables of a report (county, age band, sex × band), which share their
band totals and grand total: nothing hidden in one may be worked out with the help of the others."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedling.research.linked import _fixpoint, suppress_linked
from seedling.research.suppression import extended, suppress

from .linear import REVIEW, given_away, published_layout

BANDS = 5


def tables_of(responses: list[tuple[int, int, int, int]]) -> list[list[list[int]]]:
    """(county, age, sex, band) per response -> the three tables, as aggregates.py builds them."""

    def table(position: int) -> list[list[int]]:
        keys = sorted({r[position] for r in responses})
        return [[sum(r[position] == k and r[3] == b for r in responses) for b in range(BANDS)] for k in keys]

    return [table(0), table(1), table(2)]


def test_separate_suppression_gave_a_hidden_cell_away_and_joint_does_not():
    tables = tables_of(REVIEW)
    separate = [published_layout(suppress(t, 5)) for t in tables]
    assert (0, 1, 3) in given_away(separate)  # the attack on the old tables: 温岭市, red
    joint = [published_layout(p) for p in suppress_linked(tables, 5)]
    assert given_away(joint) == set()
    assert joint[0][-1] == joint[1][-1] == joint[2][-1]  # one bottom row, hidden alike everywhere


# Found by a random search: each table hides the same totals (the fixpoint) and is safe on its own,
# yet the three together fix a hidden cell. The audit sees it and hides more.
CROSSED = [
    [[1, 1, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 1, 0, 1], [2, 0, 0, 1, 0], [1, 0, 0, 1, 0]],
    [[1, 0, 0, 0, 0], [1, 1, 0, 1, 0], [0, 0, 0, 0, 1], [2, 0, 0, 0, 0], [1, 0, 1, 1, 0], [1, 0, 0, 0, 0]],
    [[3, 1, 0, 2, 0], [3, 0, 1, 0, 1]],
]


def test_the_audit_catches_what_the_fixpoint_alone_misses():
    fulls = [extended(t) for t in CROSSED]
    fixpoint = _fixpoint(fulls, 3, set())
    alone = [
        [[None if (i, j) in h else v for j, v in enumerate(row)] for i, row in enumerate(f)]
        for f, h in zip(fulls, fixpoint, strict=True)
    ]
    assert given_away(alone)
    assert given_away([published_layout(p) for p in suppress_linked(CROSSED, 3)]) == set()


def test_tables_must_count_the_same_responses():
    with pytest.raises(ValueError, match="same column totals"):
        suppress_linked([[[1, 2]], [[2, 1]]], 5)
    assert [p.total for p in suppress_linked([[], [], []], 5)] == [0, 0, 0]


responses = st.lists(
    st.tuples(
        st.integers(0, 4), st.integers(0, 5), st.integers(0, 2), st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4])
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(data=responses, minimum=st.integers(2, 6))
def test_nothing_hidden_follows_from_the_three_tables_together(data, minimum):
    tables = tables_of(data)
    published = suppress_linked(tables, minimum)
    layouts = [published_layout(p) for p in published]
    assert given_away(layouts) == set()
    for table, layout in zip(tables, layouts, strict=True):
        full = extended(table)
        for i, row in enumerate(layout):
            for j, value in enumerate(row):
                assert value is None or value == full[i][j]  # published numbers are the true ones
                assert value is None or value == 0 or value >= minimum
                assert value is not None or full[i][j] > 0  # a zero is never hidden
    assert layouts[0][-1] == layouts[1][-1] == layouts[2][-1]
