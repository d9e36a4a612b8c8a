"""Properties of scoring that hold for every shipped instrument and every possible answer set."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedling.assessments import scoring
from seedling.assessments.definitions import definition_read
from seedling.assessments.services import BUILTIN_DIR

INSTRUMENTS = {p.stem: definition_read(p) for p in sorted(BUILTIN_DIR.glob("*.json"))}


def complete_answers(definition: dict):
    """A strategy drawing one option value for every item (scored or not)."""
    return st.fixed_dictionaries(
        {
            item["id"]: st.sampled_from([o["value"] for o in definition["option_sets"][item["options"]]])
            for item in definition["items"]
        }
    )


def scale_range(definition: dict, scale: str) -> tuple[int, int]:
    items = {i["id"]: i for i in definition["items"]}
    low = high = 0
    for item_id in scoring.scale_items(definition)[scale]:
        values = [o["value"] for o in definition["option_sets"][items[item_id]["options"]]]
        low, high = low + min(values), high + max(values)
    return low, high


@pytest.mark.parametrize("name", INSTRUMENTS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_every_complete_answer_set_lands_in_exactly_one_band(name, data):
    definition = INSTRUMENTS[name]
    result = scoring.score(definition, data.draw(complete_answers(definition)))
    assert result.complete
    for scale, value in result.scales.items():
        low, high = scale_range(definition, scale)
        assert low <= value <= high  # totals stay within the declared range
        hits = [
            b for b in definition["bands"] if b.get("on", "total") == scale and b["min"] <= value <= b["max"]
        ]
        assert len(hits) == 1
        assert result.bands[scale]["code"] == hits[0]["code"]
    assert result.action in scoring.ACTION_RANK


@pytest.mark.parametrize("name", INSTRUMENTS)
def test_the_extremes_of_every_scale_have_a_band(name):
    definition = INSTRUMENTS[name]
    for scale in scoring.scale_items(definition):
        low, high = scale_range(definition, scale)
        for value in range(low, high + 1):
            assert scoring.band_for(definition, scale, value) is not None


@given(low=st.integers(-5, 5), width=st.integers(0, 10), data=st.data())
def test_reverse_scoring_is_an_involution_onto_the_same_range(low, width, data):
    high = low + width
    value = data.draw(st.integers(low, high))
    reversed_ = scoring.reverse_value(value, low, high)
    assert low <= reversed_ <= high
    assert scoring.reverse_value(reversed_, low, high) == value


@pytest.mark.parametrize("name", INSTRUMENTS)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_prorated_total_stays_in_range_and_in_a_band(name, data):
    definition = INSTRUMENTS[name]
    answers = data.draw(complete_answers(definition))
    allowed = definition.get("missing", {}).get("max_missing", 0)
    scored = scoring.scale_items(definition)["total"]
    dropped = data.draw(st.lists(st.sampled_from(scored), max_size=allowed, unique=True))
    result = scoring.score(definition, {k: v for k, v in answers.items() if k not in dropped})
    low, high = scale_range(definition, "total")
    assert low <= result.scales["total"] <= high
    assert result.band is not None
