"""Eligibility rules for every child category (DOMAIN.md section 2), as tables of cases."""

import datetime
import json

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from seedling.registry import reasons, rules
from seedling.registry.rules import ChildFacts, ParentFacts, Reason, SituationFacts

D = datetime.date
REF = D(2024, 11, 1)
BORN_9 = D(2015, 6, 1)  # 9 on REF
HERE = "330723101201"  # 武义县 village
OTHER_COUNTY = "331081"  # 温岭市
JAN_2024 = D(2024, 1, 1)
JAN_2023 = D(2023, 1, 1)


def facts(father=(), mother=(), *, parents=None, **overrides) -> ChildFacts:
    """A 9-year-old rural child living in 武义县; `father`/`mother` are their situations."""
    values = {
        "birth_date": BORN_9,
        "reference_date": REF,
        "hukou_type": "rural",
        "hukou_area_code": HERE,
        "current_area_code": HERE,
        "has_delegated_carer": True,
    }
    values.update(overrides)
    if parents is None:
        parents = (ParentFacts("father", tuple(father)), ParentFacts("mother", tuple(mother)))
    return ChildFacts(parents=parents, **values)


def sit(kind, started_on=None, ended_on=None, evidence="", outside=True) -> SituationFacts:
    return SituationFacts(kind, started_on, ended_on, outside, evidence)


def away(since=JAN_2024, **kw):
    return sit("working_away", since, **kw)


def dead(evidence="death_certificate"):
    return sit("deceased", D(2020, 3, 1), evidence=evidence)


def status(kind, evidence="court_judgment", since=JAN_2023, **kw):
    return sit(kind, since, evidence=evidence, **kw)


def codes(reasons) -> list[str]:
    return [r.code for r in reasons]


def born(age: int, *, days_before_birthday: int = 0) -> D:
    """Birth date of a child who is `age` on REF (or `days_before_birthday` short of turning it)."""
    day = REF.replace(year=REF.year - age)
    return day + datetime.timedelta(days=days_before_birthday)


def check(decision, eligible, rule_code, expected_codes):
    assert decision.eligible is eligible, [reasons.reason_text(r) for r in decision.reasons]
    assert decision.rule_code == rule_code
    assert set(expected_codes) <= set(codes(decision.reasons)), codes(decision.reasons)


# --- orphan (孤儿) -------------------------------------------------------------------------------

ORPHAN_CASES = [
    ("both dead", facts([dead()], [dead()]), True, "orphan.both_gone", ["age_under", "parent_deceased"]),
    (
        "dead by court declaration + missing declared by court",
        facts([dead("court_declaration")], [sit("missing", evidence="court_declaration")]),
        True,
        "orphan.both_gone",
        ["parent_deceased", "parent_missing"],
    ),
    ("one parent alive", facts([dead()], []), False, "orphan.parents", ["parent_not_gone"]),
    (
        "death without evidence",
        facts([dead("")], [dead()]),
        False,
        "orphan.parents",
        ["status_no_evidence"],
    ),
    (
        "death on a village statement only",
        facts([dead("village_statement")], [dead()]),
        False,
        "orphan.parents",
        ["status_wrong_evidence"],
    ),
    (
        "missing on a police report (not a court declaration)",
        facts([dead()], [sit("missing", D(2022, 1, 1), evidence="police_report")]),
        False,
        "orphan.parents",
        ["status_wrong_evidence"],
    ),
    ("no parents recorded", facts(parents=()), False, "orphan.parents", ["parent_not_recorded"]),
    ("17", facts([dead()], [dead()], birth_date=born(17)), True, "orphan.both_gone", ["age_under"]),
    ("turning 18 today", facts([dead()], [dead()], birth_date=born(18)), False, "orphan.age", ["age_over"]),
    (
        "18 in full-time study",
        facts([dead()], [dead()], birth_date=born(18), in_full_time_study=True),
        True,
        "orphan.both_gone",
        ["age_study"],
    ),
    (
        "one day before 18",
        facts([dead()], [dead()], birth_date=born(18, days_before_birthday=1)),
        True,
        "orphan.both_gone",
        ["age_under"],
    ),
]


@pytest.mark.parametrize("name,f,eligible,rule_code,expected", ORPHAN_CASES, ids=[c[0] for c in ORPHAN_CASES])
def test_orphan(name, f, eligible, rule_code, expected):
    check(rules.orphan(f), eligible, rule_code, expected)


def test_study_extension_can_be_switched_off():
    f = facts([dead()], [dead()], birth_date=born(18), in_full_time_study=True)
    no_extension = {**settings.SEEDLING_RULES, "study_extension": False}
    check(rules.orphan(f, no_extension), False, "orphan.age", ["age_over"])
    check(rules.de_facto_unsupported(f, no_extension), False, "de_facto_unsupported.age", ["age_over"])


# --- de facto unsupported (事实无人抚养儿童) ----------------------------------------------------

DF = "de_facto_unsupported"
DE_FACTO_CASES = [
    (
        "one dead + other imprisoned",
        facts([dead()], [status("imprisoned", "prison_certificate")]),
        True,
        f"{DF}.one_gone",
        ["parent_deceased", "status_qualifies"],
    ),
    (
        "both imprisoned",
        facts([status("imprisoned", "prison_certificate")], [status("imprisoned", "prison_certificate")]),
        True,
        f"{DF}.both_statuses",
        ["status_qualifies"],
    ),
    (
        "missing by court + other deported",
        facts([sit("missing", evidence="court_declaration")], [status("deported", "deportation_document")]),
        True,
        f"{DF}.one_gone",
        ["parent_missing"],
    ),
    ("both dead: an orphan instead", facts([dead()], [dead()]), False, f"{DF}.orphan", ["is_orphan"]),
    (
        "imprisoned + other at home",
        facts([status("imprisoned", "prison_certificate")], []),
        False,
        f"{DF}.parents",
        ["parent_no_status"],
    ),
    (
        "status without evidence",
        facts([dead()], [status("imprisoned", "")]),
        False,
        f"{DF}.parents",
        ["status_no_evidence"],
    ),
    (
        "released from prison",
        facts([dead()], [status("imprisoned", "prison_certificate", ended_on=D(2024, 10, 1))]),
        False,
        f"{DF}.parents",
        ["situation_ended"],
    ),
    (
        "lost contact exactly 6 months",
        facts([dead()], [status("lost_contact", "police_report", since=D(2024, 5, 1))]),
        True,
        f"{DF}.one_gone",
        ["status_long"],
    ),
    (
        "lost contact 5 months 30 days",
        facts([dead()], [status("lost_contact", "police_report", since=D(2024, 5, 2))]),
        False,
        f"{DF}.parents",
        ["status_too_short"],
    ),
    (
        "restricted liberty 4 months",
        facts([dead()], [status("restricted_liberty", "court_judgment", since=D(2024, 7, 1))]),
        False,
        f"{DF}.parents",
        ["status_too_short"],
    ),
    (
        "lacking capacity is not a qualifying status",
        facts([dead()], [status("lacks_capacity", "medical_diagnosis")]),
        False,
        f"{DF}.parents",
        ["parent_no_status"],
    ),
    (
        "18 in full-time study",
        facts(
            [dead()],
            [status("serious_illness", "medical_diagnosis")],
            birth_date=born(18),
            in_full_time_study=True,
        ),
        True,
        f"{DF}.one_gone",
        ["age_study"],
    ),
    (
        "18 not in study",
        facts([dead()], [status("serious_illness", "medical_diagnosis")], birth_date=born(18)),
        False,
        f"{DF}.age",
        ["age_over"],
    ),
]


@pytest.mark.parametrize(
    "name,f,eligible,rule_code,expected", DE_FACTO_CASES, ids=[c[0] for c in DE_FACTO_CASES]
)
def test_de_facto_unsupported(name, f, eligible, rule_code, expected):
    check(rules.de_facto_unsupported(f), eligible, rule_code, expected)


@pytest.mark.parametrize(
    "kind",
    [
        "severe_disability",
        "serious_illness",
        "imprisoned",
        "drug_rehab",
        "restricted_liberty",
        "lost_contact",
        "guardianship_revoked",
        "deported",
    ],
)
def test_every_qualifying_status_counts_with_evidence(kind):
    """Statuses of 民发〔2019〕62号 and 〔2020〕125号 (the timed ones running 10 months here)."""
    with_evidence = facts([dead()], [status(kind, "other", since=D(2024, 1, 1))])
    without = facts([dead()], [status(kind, "", since=D(2024, 1, 1))])
    assert rules.de_facto_unsupported(with_evidence).eligible
    decision = rules.de_facto_unsupported(without)
    assert not decision.eligible
    assert Reason("status_no_evidence", {"parent": "mother", "kind": kind}) in decision.reasons


def test_restricted_liberty_threshold_is_configurable():
    f = facts([dead()], [status("restricted_liberty", since=D(2024, 7, 1))])  # 4 months
    assert not rules.de_facto_unsupported(f).eligible
    assert rules.de_facto_unsupported(f, {**settings.SEEDLING_RULES, "restricted_liberty_months": 3}).eligible


# --- children in difficulty (困境儿童) and disabled children -----------------------------------

SIMPLE_CASES = [
    ("difficulty_poverty", facts(family_economic_difficulty=True), True, "facts", ["economic_difficulty"]),
    ("difficulty_poverty", facts(), False, "facts", ["no_economic_difficulty"]),
    ("difficulty_poverty", facts(family_economic_difficulty=True, birth_date=born(18)), False, "age", []),
    ("difficulty_guardianship", facts(guardianship_failure=True), True, "facts", ["guardianship_failure"]),
    ("difficulty_guardianship", facts(), False, "facts", ["no_guardianship_failure"]),
    (
        "difficulty_disability",
        facts(disability_type="physical", disability_grade=2, disability_difficulty=True),
        True,
        "facts",
        ["disabled", "disability_difficulty"],
    ),
    (
        "difficulty_disability",
        facts(disability_type="physical", disability_grade=2),
        False,
        "facts",
        ["no_disability_difficulty"],
    ),
    ("difficulty_disability", facts(disability_difficulty=True), False, "disability", ["not_disabled"]),
    (
        "disabled",
        facts(disability_type="intellectual", disability_grade=4),
        True,
        "certificate",
        ["disabled"],
    ),
    ("disabled", facts(disability_type="hearing", disability_grade=1), True, "certificate", ["disabled"]),
    ("disabled", facts(), False, "disability", ["not_disabled"]),
    ("disabled", facts(disability_type="visual", disability_grade=5), False, "disability", ["not_disabled"]),
    (
        "disabled",
        facts(disability_type="visual", disability_grade=3, birth_date=born(18), in_full_time_study=True),
        False,
        "age",
        ["age_over"],
    ),
]


@pytest.mark.parametrize("category,f,eligible,branch,expected", SIMPLE_CASES)
def test_difficulty_and_disability(category, f, eligible, branch, expected):
    check(rules.RULES[category](f), eligible, f"{category}.{branch}", expected)


# --- rural left-behind children (农村留守儿童) -------------------------------------------------

LB2, LB1 = "left_behind_both", "left_behind_one"
LEFT_BEHIND_CASES = [
    ("both away 10 months", facts([away()], [away()]), LB2, True, "both_away", ["parent_away"]),
    ("both away: not one-parent", facts([away()], [away()]), LB1, False, "parents", ["both_away"]),
    (
        "exactly 6 months",
        facts([away()], [away(D(2024, 5, 1))]),
        LB2,
        True,
        "both_away",
        ["parent_away"],
    ),
    (
        "5 months 30 days",
        facts([away()], [away(D(2024, 5, 2))]),
        LB2,
        False,
        "parents",
        ["parent_away_short"],
    ),
    ("turning 16 today", facts([away()], [away()], birth_date=born(16)), LB2, False, "age", ["age_over"]),
    (
        "one day before 16",
        facts([away()], [away()], birth_date=born(16, days_before_birthday=1)),
        LB2,
        True,
        "both_away",
        ["age_under"],
    ),
    ("urban hukou", facts([away()], [away()], hukou_type="urban"), LB2, False, "hukou", ["hukou_not_rural"]),
    (
        "a parent came home",
        facts([away(ended_on=D(2024, 10, 15))], [away()]),
        LB2,
        False,
        "parents",
        ["situation_ended"],
    ),
    (
        "came home on the reference date",
        facts([away(ended_on=REF)], [away()]),
        LB2,
        False,
        "parents",
        ["situation_ended"],
    ),
    (
        "working within the county",
        facts([away(outside=False)], [away()]),
        LB2,
        False,
        "parents",
        ["away_in_county"],
    ),
    (
        "father away + mother lacks capacity",
        facts([away()], [status("lacks_capacity", "")]),
        LB1,
        True,
        "one_away",
        ["parent_lacks_capacity"],
    ),
    (
        "mother away + father seriously ill",
        facts([status("serious_illness", "")], [away()]),
        LB1,
        True,
        "one_away",
        ["parent_lacks_capacity"],
    ),
    (
        "father away + mother severely disabled",
        facts([away()], [status("severe_disability", "disability_certificate")]),
        LB1,
        True,
        "one_away",
        ["parent_lacks_capacity"],
    ),
    (
        "father away + mother at home",
        facts([away()], []),
        LB1,
        False,
        "parents",
        ["parent_has_capacity", "parent_not_away"],
    ),
    (
        "mother recovered from her illness",
        facts([away()], [status("serious_illness", "", ended_on=D(2024, 9, 1))]),
        LB1,
        False,
        "parents",
        ["situation_ended", "parent_has_capacity"],
    ),
    (
        "urban hukou, one away",
        facts([away()], [status("lacks_capacity", "")], hukou_type="urban"),
        LB1,
        False,
        "hukou",
        ["hukou_not_rural"],
    ),
    (
        "an earlier short stint and a current long one",
        facts([away(D(2022, 1, 1), ended_on=D(2022, 3, 1)), away(D(2024, 2, 1))], [away()]),
        LB2,
        True,
        "both_away",
        ["situation_ended", "parent_away"],
    ),
    ("both parents dead", facts([dead()], [dead()]), LB2, False, "parents", ["parent_not_away"]),
    (
        "father away + mother dead",
        facts([away()], [dead()]),
        LB1,
        True,
        "one_away",
        ["parent_lacks_capacity"],
    ),
    (
        "mother away + father imprisoned",
        facts([status("imprisoned", "prison_certificate")], [away()]),
        LB1,
        True,
        "one_away",
        ["parent_lacks_capacity"],
    ),
]


@pytest.mark.parametrize(
    "name,f,category,eligible,branch,expected", LEFT_BEHIND_CASES, ids=[c[0] for c in LEFT_BEHIND_CASES]
)
def test_left_behind(name, f, category, eligible, branch, expected):
    check(rules.RULES[category](f), eligible, f"{category}.{branch}", expected)


def test_person_without_guardianship_capacity_lacks_capacity():
    f = facts(parents=(ParentFacts("father", (away(),)), ParentFacts("mother", (), capacity="none")))
    check(rules.left_behind_one(f), True, "left_behind_one.one_away", ["parent_capacity_none"])


def test_away_months_threshold_comes_from_the_argument():
    f = facts([away(D(2024, 7, 1))], [away(D(2024, 7, 1))])  # 4 months
    assert not rules.left_behind_both(f).eligible
    decision = rules.left_behind_both(f, {**settings.SEEDLING_RULES, "away_months": 3})
    assert decision.eligible
    assert (
        Reason("parent_away", {"parent": "father", "since": "2024-07-01", "months": 4, "min": 3})
        in decision.reasons
    )


@pytest.mark.parametrize(
    "overrides,warning_codes",
    [
        ({}, []),
        ({"has_delegated_carer": False}, ["no_delegated_carer"]),
        ({"lives_alone": True}, ["lives_alone"]),
        ({"has_delegated_carer": False, "lives_alone": True}, ["no_delegated_carer", "lives_alone"]),
    ],
)
def test_left_behind_warns_without_carer_or_living_alone(overrides, warning_codes):
    decision = rules.left_behind_both(facts([away()], [away()], **overrides))
    assert decision.eligible
    assert codes(decision.warnings) == warning_codes


def test_no_warning_when_not_left_behind():
    decision = rules.left_behind_both(facts([away()], [], has_delegated_carer=False, lives_alone=True))
    assert not decision.eligible and decision.warnings == []


# --- migrant children (流动儿童) ---------------------------------------------------------------

MIGRANT_CASES = [
    ("across county 7 months", {"resident_since": D(2024, 4, 1)}, True, "across_county", ["other_county"]),
    ("exactly 6 months", {"resident_since": D(2024, 5, 1)}, True, "across_county", ["resident_long"]),
    ("5 months 30 days", {"resident_since": D(2024, 5, 2)}, False, "residence", ["resident_short"]),
    ("no start date", {}, False, "residence", ["resident_since_missing"]),
    (
        "same county, other village",
        {"hukou_area_code": "330723100200", "resident_since": D(2020, 1, 1)},
        False,
        "hukou_area",
        ["same_county"],
    ),
    (
        "hukou recorded at county level",
        {"hukou_area_code": "330723", "resident_since": D(2020, 1, 1)},
        False,
        "hukou_area",
        ["same_county"],
    ),
    (
        "hukou only to the province",
        {"hukou_area_code": "33", "resident_since": D(2020, 1, 1)},
        False,
        "hukou_area",
        ["hukou_area_imprecise"],
    ),
    (
        "hukou not recorded",
        {"hukou_area_code": "", "resident_since": D(2020, 1, 1)},
        False,
        "hukou_area",
        ["hukou_area_missing"],
    ),
    (
        "turning 16 today",
        {"resident_since": D(2020, 1, 1), "birth_date": born(16)},
        False,
        "age",
        ["age_over"],
    ),
]


@pytest.mark.parametrize(
    "name,overrides,eligible,branch,expected", MIGRANT_CASES, ids=[c[0] for c in MIGRANT_CASES]
)
def test_migrant(name, overrides, eligible, branch, expected):
    f = facts(**{"hukou_area_code": OTHER_COUNTY + "100204", **overrides})
    check(rules.migrant(f), eligible, f"migrant.{branch}", expected)


def test_migrant_months_threshold_comes_from_the_argument():
    f = facts(hukou_area_code=OTHER_COUNTY, resident_since=D(2024, 8, 1))  # 3 months
    assert not rules.migrant(f).eligible
    assert rules.migrant(f, {**settings.SEEDLING_RULES, "migrant_months": 3}).eligible


# --- all categories together -------------------------------------------------------------------


def test_evaluate_all_gives_one_decision_per_category_and_they_overlap():
    f = facts([away()], [away()], disability_type="physical", disability_grade=1, disability_difficulty=True)
    decisions = rules.evaluate_all(f, settings.SEEDLING_RULES)
    assert [d.category for d in decisions] == list(rules.RULES)
    held = {d.category for d in decisions if d.eligible}
    assert held == {"left_behind_both", "difficulty_disability", "disabled"}


def test_a_closed_file_holds_no_category():
    f = facts([dead()], [dead()], status="deceased", family_economic_difficulty=True)
    decisions = rules.evaluate_all(f)
    assert not any(d.eligible for d in decisions)
    assert all(d.reasons[0] == Reason("file_inactive", {"status": "deceased"}) for d in decisions)


# --- months and ages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start,end,months",
    [
        (D(2024, 1, 1), D(2024, 7, 1), 6),
        (D(2024, 1, 1), D(2024, 6, 30), 5),
        (D(2024, 8, 31), D(2025, 2, 28), 6),  # no 31 February: the month ends on the 28th
        (D(2024, 8, 31), D(2025, 2, 27), 5),
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2024, 5, 1), D(2024, 4, 1), 0),
    ],
)
def test_full_months(start, end, months):
    assert rules.full_months(start, end) == months


dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31))


@given(birth=dates, ref=dates, months=st.integers(min_value=0, max_value=240))
def test_left_behind_never_at_or_over_the_age_limit(birth, ref, months):
    """Whatever the dates and however long the parents are away: 16 or older is never left-behind."""
    since = rules.add_months(ref, -months)
    f = facts([away(since)], [away(since)], birth_date=birth, reference_date=ref)
    if rules.age_on(birth, ref) >= settings.SEEDLING_RULES["left_behind_max_age"]:
        assert not rules.left_behind_both(f).eligible
        assert not rules.left_behind_one(f).eligible
        assert not rules.migrant(f).eligible
    elif birth <= ref:
        assert rules.left_behind_both(f).eligible == (months >= settings.SEEDLING_RULES["away_months"])


@given(start=dates, end=dates, n=st.integers(min_value=0, max_value=600))
def test_months_are_reached_exactly_on_the_same_day_later(start, end, n):
    assert (rules.full_months(start, end) >= n) == (rules.add_months(start, n) <= end or n == 0)


PARENT_SITUATIONS = st.lists(
    st.builds(
        SituationFacts,
        kind=st.sampled_from(["deceased", "missing", "imprisoned", "lost_contact", "working_away"]),
        started_on=st.sampled_from([None, D(2020, 1, 1), D(2024, 10, 1)]),
        ended_on=st.sampled_from([None, D(2024, 6, 1)]),
        evidence_type=st.sampled_from(["", "death_certificate", "court_declaration", "prison_certificate"]),
    ),
    max_size=3,
)


@given(father=PARENT_SITUATIONS, mother=PARENT_SITUATIONS)
def test_an_orphan_is_never_also_de_facto_unsupported(father, mother):
    f = facts(father, mother)
    assert not (rules.orphan(f).eligible and rules.de_facto_unsupported(f).eligible)


# --- reasons are sentences -------------------------------------------------------------------


def test_reasons_render_as_sentences_and_survive_json():
    decision = rules.left_behind_both(facts([away()], [away(D(2024, 3, 1))]))
    stored = json.loads(json.dumps([r.to_json() for r in decision.reasons]))
    with translation.override("zh-hans"):
        texts = [reasons.reason_text(r) for r in stored]
        assert texts == [reasons.reason_text(r) for r in decision.reasons]
    assert texts == [
        "儿童 9 周岁，未满 16 周岁",
        "农村户籍",
        "父亲自 2024-01-01 起在县外务工，已 10 个月（≥ 6 个月）",
        "母亲自 2024-03-01 起在县外务工，已 8 个月（≥ 6 个月）",
    ]


def test_reason_text_names_codes_by_their_labels():
    reason = Reason(
        "status_wrong_evidence",
        {
            "parent": "mother",
            "kind": "missing",
            "evidence": "police_report",
            "needed": ["court_declaration"],
        },
    )
    with translation.override("zh-hans"):
        text = reasons.reason_text(reason)
    assert (
        text == "母亲失踪（法院宣告），证明材料须为法院宣告死亡/失踪判决（现为公安机关出具的报警回执或证明）"
    )


def test_every_reason_code_renders():
    sample = {
        "age": 9,
        "limit": 16,
        "parent": "father",
        "kind": "imprisoned",
        "evidence": "prison_certificate",
        "needed": ["death_certificate", "court_declaration"],
        "since": "2024-01-01",
        "until": "2024-10-01",
        "months": 7,
        "min": 6,
        "hukou": "urban",
        "type": "visual",
        "grade": 2,
        "code": "33",
        "county": "330723",
        "hukou_county": "331081",
        "status": "moved",
    }
    for code in reasons.REASON_TEXTS:
        text = reasons.reason_text(Reason(code, sample))
        assert "%(" not in text and text != code


def test_unknown_reason_code_is_shown_as_is():
    assert reasons.reason_text({"code": "from_a_newer_version", "params": {}}) == "from_a_newer_version"
