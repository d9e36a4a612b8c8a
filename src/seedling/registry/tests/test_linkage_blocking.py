"""Blocking (pure): the true pair shares a key whatever the error; most pairs are never compared."""

import dataclasses
import datetime
import random

import pytest

from seedling.registry import synthetic
from seedling.registry.linkage import blocking, features, pipeline, scoring

TODAY = datetime.date(2025, 6, 1)


def villages(count=6):
    return [
        synthetic.Village(f"3307231012{i:02d}", f"测试{i}村委会", "330723101", "履坦镇", "330723", "武义县")
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def children():
    specs = synthetic.generate({v: 80 for v in villages()}, seed=3, today=TODAY)
    out = []
    for i, spec in enumerate(specs):
        parents = tuple(p.name for p in spec.persons if p.relation in ("father", "mother"))
        out.append(
            features.Record(i, spec.name, spec.sex, spec.birth_date, spec.id_number, spec.area_code, parents)
        )
    return out


def variant(record, **changes):
    return dataclasses.replace(record, key="copy", **changes)


ERRORS = {
    "no ID, homophone": lambda r: {
        "id_number": "",
        "name": r.name[:-1] + "涵" if r.name[-1] != "涵" else r.name,
    },
    "month and day swapped": lambda r: {
        "id_number": "",
        "birth_date": r.birth_date.replace(month=r.birth_date.day),
    },
    "lunar date across New Year": lambda r: {
        "id_number": "",
        "birth_date": r.birth_date - datetime.timedelta(days=40),
    },
    "moved to another county": lambda r: {"area_code": "331081100204"},
    "traditional characters": lambda r: {"name": r.name.replace("张", "張").replace("陈", "陳")},
    "typed in pinyin": lambda r: {"name": features.name_info(r.name).full_py},
}


@pytest.mark.parametrize("error", sorted(ERRORS))
def test_blocking_finds_the_true_pair(children, error):
    rng = random.Random(error)
    picks = [r for r in children if r.birth_date.day <= 12 and "·" not in r.name]
    original = rng.choice(picks)
    copy = variant(original, **ERRORS[error](original))
    prepared = [features.prepare(r) for r in [*children, copy]]
    pairs = blocking.candidate_pairs(prepared)
    assert (children.index(original), len(children)) in pairs


def test_blocking_compares_only_a_small_share_of_all_pairs(children):
    report = blocking.BlockingReport()
    blocking.candidate_pairs([features.prepare(r) for r in children], report=report)
    everything = len(children) * (len(children) - 1) // 2
    assert 0 < report.pairs < everything / 20
    assert report.skipped_blocks == 0


def test_link_returns_the_duplicate_and_no_sibling(children):
    original = next(r for r in children if r.id_number)
    copy = variant(original, id_number="", name=original.name)
    matches = pipeline.link([*children, copy], threshold=scoring.DEFAULT_THRESHOLD)
    pairs = {(m.a, m.b) for m in matches}
    assert (original.key, "copy") in pairs
    # Without the copy, nothing in a village of families (siblings included) is taken for a duplicate.
    assert pipeline.link(children, threshold=scoring.DEFAULT_THRESHOLD) == []


@pytest.mark.parametrize("keep", [-5.0, 2.0, scoring.DEFAULT_THRESHOLD])
def test_the_fast_batch_score_is_exact(children, keep):
    """bounded_total skips the names only for pairs that could not reach `keep` anyway."""
    copy = variant(children[7], id_number="", birth_date=children[7].birth_date.replace(day=1))
    prepared = [features.prepare(r) for r in [*children, copy]]
    for i, j in sorted(blocking.candidate_pairs(prepared)):
        levels = features.compare(prepared[i], prepared[j])
        exact = scoring.total(levels)
        fast = scoring.bounded_total(prepared[i], prepared[j], keep)
        if exact >= keep:
            assert fast == (exact, levels)
        else:
            assert fast is None or fast[0] == exact
