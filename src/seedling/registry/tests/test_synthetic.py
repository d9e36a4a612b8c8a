"""The synthetic generator behind the demo and the load tests: valid, realistic and repeatable."""

import datetime
import random
from collections import Counter

import pytest

from seedling.registry import idnumber
from seedling.registry.names import pinyin_of
from seedling.registry.synthetic import COMPOUND_SURNAMES, NamePicker, Village, generate

TODAY = datetime.date(2026, 11, 22)
ORIGINS = {"52": [("520121", "开阳县")], "51": [("510121", "金堂县")], "65": [("650121", "乌鲁木齐县")]}
VILLAGES = {
    Village("330723101201", "寺后村委会", "330723101", "履坦镇", "330723", "武义县"): 400,
    Village("330723100200", "县前村委会", "330723100", "柳城畲族镇", "330723", "武义县", minority="22"): 300,
    Village("331081100204", "横径村委会", "331081100", "泽国镇", "331081", "温岭市"): 400,
    Village("331081100010", "楼下居委会", "331081100", "泽国镇", "331081", "温岭市", urban=True): 300,
    Village(
        "110112209201", "于家务村委会", "110112209", "于家务回族乡", "110112", "通州区", minority="03"
    ): 300,
}


@pytest.fixture(scope="module")
def specs():
    return generate(VILLAGES, seed=7, today=TODAY, origins=ORIGINS)


def test_makes_the_number_of_children_asked_for_in_each_village(specs):
    counts = Counter(s.area_code for s in specs)
    assert counts == {v.code: n for v, n in VILLAGES.items()}


def test_identity_numbers_are_valid_and_match_birth_date_sex_and_county(specs):
    with_id = [s for s in specs if s.id_number]
    assert len(with_id) > 0.85 * len(specs)
    for spec in with_id:
        facts = idnumber.parse(spec.id_number, today=TODAY)
        assert facts.birth_date == spec.birth_date
        assert facts.sex == spec.sex
        # Registered where the household is: the village's county, or the migrant family's home county.
        assert facts.address_code == (spec.hukou_area_code or spec.area_code)[:6]
    # Unique: no two children share a number, and no child has a parent's (siblings share parents).
    children = {s.id_number for s in with_id}
    assert len(children) == len(with_id)
    assert not children & {p.id_number for s in specs for p in s.persons if p.id_number}


def test_children_without_an_identity_number_have_a_reason(specs):
    without = [s for s in specs if not s.id_number]
    assert 0.04 < len(without) / len(specs) < 0.12
    assert all(s.no_id_reason for s in without)
    assert all(s.hukou_type == "none" for s in without if s.no_id_reason == "unregistered")


def test_every_child_is_under_18_and_parents_are_adults_at_birth(specs):
    for spec in specs:
        assert TODAY - datetime.timedelta(days=18 * 366) < spec.birth_date <= TODAY
        for parent in (p for p in spec.persons if p.relation in ("father", "mother")):
            assert (spec.birth_date - parent.birth_date).days > 18 * 365


def test_names_are_mostly_two_or_three_characters_with_compound_and_minority_names(specs):
    lengths = Counter(len(s.name) for s in specs)
    assert (lengths[2] + lengths[3]) / len(specs) > 0.95
    # 柳城畲族镇: a share of She families with their own surnames and ethnic group code.
    she = [s for s in specs if s.ethnic_group == "22"]
    assert she and all(s.area_code == "330723100200" for s in she)
    assert Counter(s.name[0] for s in she).most_common(1)[0][0] in "蓝雷钟"
    assert any(s.ethnic_group == "03" for s in specs)  # Hui families in 于家务回族乡


def test_compound_surnames_occur_with_a_realistic_rarity():
    picker = NamePicker(random.Random(3), ("33",))
    drawn = [picker.surname() for _ in range(20000)]
    compound = [s for s in drawn if s in COMPOUND_SURNAMES]
    assert 0 < len(compound) < 0.02 * len(drawn)
    # Regional frequencies: in Zhejiang 陈 and 王 lead; 应 is far above its national share.
    top = [name for name, _ in Counter(drawn).most_common(3)]
    assert "陈" in top and "王" in top
    assert Counter(drawn)["应"] > 0.003 * len(drawn)


def test_homophones_occur_so_that_search_must_tell_them_apart(specs):
    by_pinyin: dict[str, set[str]] = {}
    for spec in specs:
        by_pinyin.setdefault(pinyin_of(spec.name), set()).add(spec.name)
    assert any(len(names) > 1 for names in by_pinyin.values())


def test_left_behind_families_name_a_delegated_carer_and_parents_working_away(specs):
    left_behind = [s for s in specs if s.scenario == "left_behind_both"]
    assert 0.05 < len(left_behind) / len(specs) < 0.2
    youngest: dict[str, datetime.date] = {}
    for spec in specs:
        youngest[spec.family] = max(youngest.get(spec.family, spec.birth_date), spec.birth_date)
    for spec in left_behind:
        carers = [p for p in spec.persons if p.is_delegated_carer]
        assert len(carers) == 1 and carers[0].lives_with_child and carers[0].name
        assert carers[0].relation.endswith(("grandmother", "grandfather"))
        for parent in (p for p in spec.persons if p.relation in ("father", "mother")):
            away = [s for s in parent.situations if s.kind == "working_away"]
            if not away:  # a mother stays at home with a baby for some months
                assert parent.relation == "mother" and (TODAY - youngest[spec.family]).days < 400
                continue
            assert away[0].outside_county and away[0].place


def test_orphans_and_unsupported_children_have_typed_evidence(specs):
    for spec in (s for s in specs if s.scenario in ("orphan", "unsupported")):
        situations = [sit for p in spec.persons for sit in p.situations]
        assert situations and all(sit.evidence_type for sit in situations)


def test_migrant_children_in_wenling_come_from_another_county():
    villages = {
        Village(f"3310811002{i:02d}", f"横{i}村委会", "331081100", "泽国镇", "331081", "温岭市"): 200
        for i in range(10)
    }
    migrants = [
        s for s in generate(villages, seed=2, today=TODAY, origins=ORIGINS) if s.scenario == "migrant"
    ]
    assert 0.02 < len(migrants) / 2000 < 0.12
    assert all(s.hukou_area_code[:6] != "331081" and s.resident_since for s in migrants if s.hukou_area_code)


def test_the_same_seed_gives_the_same_children_and_another_seed_others():
    first = generate(VILLAGES, seed=11, today=TODAY, origins=ORIGINS)
    again = generate(VILLAGES, seed=11, today=TODAY, origins=ORIGINS)
    other = generate(VILLAGES, seed=12, today=TODAY, origins=ORIGINS)
    assert first == again
    assert [s.name for s in first] != [s.name for s in other]


def test_without_origin_counties_no_family_is_migrant():
    specs = generate(dict(list(VILLAGES.items())[:2]), seed=5, today=TODAY)
    assert specs and not any(s.scenario == "migrant" for s in specs)


def test_no_mother_is_away_or_dead_before_her_childrens_birth(specs):
    by_family: dict[str, list] = {}
    for spec in specs:
        by_family.setdefault(spec.family, []).append(spec)
    for siblings in by_family.values():
        youngest = max(s.birth_date for s in siblings)
        for mother in (p for p in siblings[0].persons if p.relation == "mother"):
            for situation in mother.situations:
                if situation.kind in ("working_away", "deceased") and situation.started_on:
                    assert situation.started_on > youngest, (situation.kind, situation.started_on, youngest)
