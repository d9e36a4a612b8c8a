"""k-anonymity of the row-level file (research.kanon): the steps, and properties over random files."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from seedling.research.kanon import LAST_STEP, generalise, k_anonymise


def test_small_groups_are_generalised_step_by_step_in_order():
    counts = {
        ("330723", "F", "12–14", "2024-05"): 6,  # k rows of its own: as recorded
        ("330723", "M", "12–14", "2024-05"): 3,  # with the 2 of June, the year makes 5
        ("330723", "M", "12–14", "2024-06"): 2,
        ("331081", "F", "6–8", "2024-05"): 4,  # 5 with the boy once age and sex are withheld
        ("331081", "M", "6–8", "2024-05"): 1,
        # Rows only join rows that are generalised as far: the 12–14 boys of 2024 already make a
        # group, so these 2 go on alone, and like the girl of 2022 are left out.
        ("330723", "M", "9–11", "2024-05"): 2,
        ("330723", "F", "15–17", "2022-01"): 1,
    }
    assert k_anonymise(counts, 5) == {
        ("330723", "F", "12–14", "2024-05"): ("330723", "F", "12–14", "2024-05"),
        ("330723", "M", "12–14", "2024-05"): ("330723", "M", "12–14", "2024"),
        ("330723", "M", "12–14", "2024-06"): ("330723", "M", "12–14", "2024"),
        ("331081", "F", "6–8", "2024-05"): ("331081", "", "unknown", "2024"),
        ("331081", "M", "6–8", "2024-05"): ("331081", "", "unknown", "2024"),
        ("330723", "M", "9–11", "2024-05"): None,
        ("330723", "F", "15–17", "2022-01"): None,
    }


def test_counties_and_cities_give_way_last():
    counts = {
        ("330723", "F", "12–14", "2024-05"): 2,
        ("330702", "M", "6–8", "2024-03"): 2,  # another county of 金华市
        ("3307", "", "unknown", "2024-07"): 1,  # a city-level place (no county)
    }
    assert set(k_anonymise(counts, 5).values()) == {("3307", "", "unknown", "2024")}
    assert set(k_anonymise(counts, 6).values()) == {None}


def test_the_steps():
    key = ("330723", "F", "12–14", "2024-05")
    assert [generalise(key, step) for step in range(LAST_STEP + 1)] == [
        ("330723", "F", "12–14", "2024-05"),
        ("330723", "F", "12–14", "2024"),
        ("330723", "F", "9–14", "2024"),
        ("330723", "F", "unknown", "2024"),
        ("330723", "", "unknown", "2024"),
        ("3307", "", "unknown", "2024"),
        ("33", "", "unknown", "2024"),
        ("", "", "unknown", "2024"),
    ]
    assert generalise(("", "", "unknown", "2024-05"), 2) == ("", "", "unknown", "2024")


keys = st.tuples(
    st.sampled_from(["330723", "331081", "330702", "3307", "110112", ""]),
    st.sampled_from(["M", "F", ""]),
    st.sampled_from(["0–5", "6–8", "9–11", "12–14", "15–17", "18+", "unknown"]),
    st.sampled_from(["2023-11", "2024-01", "2024-05", "2024-06"]),
)


@settings(max_examples=300, deadline=None)
@given(counts=st.dictionaries(keys, st.integers(1, 8), min_size=1, max_size=40), k=st.integers(1, 8))
def test_every_published_combination_covers_k_rows(counts, k):
    published = k_anonymise(counts, k)
    sizes: Counter = Counter()
    for key, shown in published.items():
        if shown is not None:
            sizes[shown] += counts[key]
            # Only ever a coarser version of the row's own values.
            assert any(generalise(key, step) == shown for step in range(LAST_STEP + 1))
    assert all(n >= k for n in sizes.values())
    for key, n in counts.items():
        if n >= k:
            assert published[key] == key  # a combination with k rows of its own keeps its values
    if k == 1:
        assert published == {key: key for key in counts}
