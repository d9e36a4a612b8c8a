"""Eligibility rules for the child categories (类别认定规则), DOMAIN.md section 2.

Pure functions over plain frozen facts: no database, no clock. The reference date is part of the
facts and the thresholds are an argument (the caller passes settings.SEEDLING_RULES), so a rule gives
the same decision for the same input anywhere: page, review queue, nightly job, tests.

Every decision carries its reasons, for and against ("父亲自 2024-01-01 起在县外务工，已 10 个月"),
as codes with plain JSON-ready parameters; registry.reasons renders them in the user's language.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings

from .choices import Category, Evidence, Hukou, Relation, Situation

Date = datetime.date


@dataclass(frozen=True)
class Reason:
    """Why a rule applies or not: a code (see REASON_TEXTS) and JSON-ready parameters (dates as ISO)."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: Mapping) -> "Reason":
        return cls(str(data.get("code", "")), dict(data.get("params") or {}))


@dataclass(frozen=True)
class SituationFacts:
    """One continuous period of a parent's situation (short home visits do not split it)."""

    kind: str
    started_on: Date | None = None
    ended_on: Date | None = None
    outside_county: bool = True
    evidence_type: str = ""


@dataclass(frozen=True)
class ParentFacts:
    relation: str  # "father" or "mother"
    situations: Sequence[SituationFacts] = ()
    capacity: str = "full"  # Person.capacity: "none" means no guardianship capacity


@dataclass(frozen=True)
class ChildFacts:
    birth_date: Date
    reference_date: Date
    hukou_type: str = ""
    hukou_area_code: str = ""
    current_area_code: str = ""
    resident_since: Date | None = None
    in_full_time_study: bool = False
    lives_alone: bool = False
    has_delegated_carer: bool = False
    disability_type: str = ""
    disability_grade: int | None = None
    disability_difficulty: bool = False
    family_economic_difficulty: bool = False
    guardianship_failure: bool = False
    parents: Sequence[ParentFacts] = ()
    status: str = "active"  # Child.status: a file that is not active holds no category


@dataclass(frozen=True)
class Decision:
    category: str
    eligible: bool
    rule_code: str
    reasons: list[Reason] = field(default_factory=list)
    warnings: list[Reason] = field(default_factory=list)


# --- dates --------------------------------------------------------------------------------------


def age_on(birth: Date, on: Date) -> int:
    """Full years of age (周岁) on a reference date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def add_months(day: Date, months: int) -> Date:
    """The same day `months` later; a day the month lacks falls back to its last day (31 Aug + 6 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return Date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def full_months(start: Date, end: Date) -> int:
    """Whole months from `start` to `end`: the largest n with add_months(start, n) <= end."""
    if end < start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    while n > 0 and add_months(start, n) > end:
        n -= 1
    return n


def _iso(day: Date | None) -> str:
    return day.isoformat() if day else ""


# --- shared checks ------------------------------------------------------------------------------

DEATH_EVIDENCE = (Evidence.DEATH_CERTIFICATE.value, Evidence.COURT_DECLARATION.value)
MISSING_EVIDENCE = (Evidence.COURT_DECLARATION.value,)
# 民发〔2019〕62号 and 〔2020〕125号: the statuses that make a parent unable to raise the child.
QUALIFYING = (
    Situation.SEVERE_DISABILITY,
    Situation.SERIOUS_ILLNESS,
    Situation.IMPRISONED,
    Situation.DRUG_REHAB,
    Situation.RESTRICTED_LIBERTY,
    Situation.LOST_CONTACT,
    Situation.GUARDIANSHIP_REVOKED,
    Situation.DEPORTED,
)
DURATION_THRESHOLD = {
    Situation.RESTRICTED_LIBERTY.value: "restricted_liberty_months",
    Situation.LOST_CONTACT.value: "lost_contact_months",
}
# A parent at home in one of these situations cannot look after the child: with the other parent away,
# the child is a one-parent left-behind child (单亲外出、另一方无监护能力). A dead, missing or imprisoned
# parent is as absent as one without capacity.
NO_CAPACITY = (
    Situation.LACKS_CAPACITY,
    Situation.SEVERE_DISABILITY,
    Situation.SERIOUS_ILLNESS,
    Situation.DECEASED,
    Situation.MISSING,
    Situation.IMPRISONED,
    Situation.DRUG_REHAB,
    Situation.RESTRICTED_LIBERTY,
    Situation.LOST_CONTACT,
    Situation.GUARDIANSHIP_REVOKED,
    Situation.DEPORTED,
)
PARENTS = (Relation.FATHER.value, Relation.MOTHER.value)


def _rules(thresholds: Mapping | None) -> Mapping:
    return settings.SEEDLING_RULES if thresholds is None else thresholds


def _parent(facts: ChildFacts, relation: str) -> ParentFacts | None:
    return next((p for p in facts.parents if p.relation == relation), None)


def _ended(s: SituationFacts, ref: Date) -> bool:
    return s.ended_on is not None and s.ended_on <= ref


def _current(p: ParentFacts, kinds, ref: Date, reasons: list[Reason]) -> list[SituationFacts]:
    """Situations of `kinds` going on at `ref`; an ended one is named in the reasons (a parent came home)."""
    found = []
    for s in p.situations:
        if s.kind not in kinds or (s.started_on and s.started_on > ref):
            continue
        if _ended(s, ref):
            reasons.append(
                Reason("situation_ended", {"parent": p.relation, "kind": s.kind, "until": _iso(s.ended_on)})
            )
        else:
            found.append(s)
    return found


def _age_check(facts: ChildFacts, limit: int, reasons: list[Reason], study_extension=False) -> bool:
    age = age_on(facts.birth_date, facts.reference_date)
    params = {"age": age, "limit": limit}
    if age < limit:
        reasons.append(Reason("age_under", params))
        return True
    if study_extension and facts.in_full_time_study:
        reasons.append(Reason("age_study", params))
        return True
    reasons.append(Reason("age_over", params))
    return False


def _gone(facts: ChildFacts, relation: str, reasons: list[Reason], name_alive: bool = True) -> bool:
    """Dead (death certificate or court declaration) or court-declared missing: cannot be found."""
    p = _parent(facts, relation)
    if p is None:
        reasons.append(Reason("parent_not_recorded", {"parent": relation}))
        return False
    ref = facts.reference_date
    found, gaps = None, []
    for s in _current(p, (Situation.DECEASED, Situation.MISSING), ref, reasons):
        needed = DEATH_EVIDENCE if s.kind == Situation.DECEASED else MISSING_EVIDENCE
        if s.evidence_type in needed:
            found = found or s
        elif not s.evidence_type:
            gaps.append(Reason("status_no_evidence", {"parent": relation, "kind": s.kind}))
        else:
            gaps.append(
                Reason(
                    "status_wrong_evidence",
                    {"parent": relation, "kind": s.kind, "evidence": s.evidence_type, "needed": list(needed)},
                )
            )
    if found is not None:
        code = "parent_deceased" if found.kind == Situation.DECEASED else "parent_missing"
        reasons.append(Reason(code, {"parent": relation, "evidence": found.evidence_type}))
        return True
    reasons.extend(gaps or ([Reason("parent_not_gone", {"parent": relation})] if name_alive else []))
    return False


def _qualifying(facts: ChildFacts, relation: str, t: Mapping, reasons: list[Reason]) -> bool:
    """At least one qualifying status (with typed evidence, and long enough where the law says so)."""
    p = _parent(facts, relation)
    if p is None:
        return False
    ref, ok, own = facts.reference_date, False, list[Reason]()
    for s in _current(p, QUALIFYING, ref, own):
        params: dict[str, object] = {"parent": relation, "kind": s.kind}
        if not s.evidence_type:
            own.append(Reason("status_no_evidence", params))
            continue
        params["evidence"] = s.evidence_type
        key = DURATION_THRESHOLD.get(s.kind)
        if key is None:
            own.append(Reason("status_qualifies", params))
            ok = True
            continue
        if s.started_on is None:
            own.append(Reason("status_no_start", params))
            continue
        months, need = full_months(s.started_on, ref), int(t[key])
        params.update(since=_iso(s.started_on), months=months, min=need)
        own.append(Reason("status_long" if months >= need else "status_too_short", params))
        ok = ok or months >= need
    reasons.extend(own or [Reason("parent_no_status", {"parent": relation})])
    return ok


def _first_failed(category: str, checks: Sequence[tuple[str, bool]], success: str) -> tuple[bool, str]:
    for name, passed in checks:
        if not passed:
            return False, f"{category}.{name}"
    return True, f"{category}.{success}"


# --- the rules ----------------------------------------------------------------------------------


def orphan(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """孤儿: under 18 (18+ in full-time study, configurable) and both parents dead or not findable."""
    t, reasons = _rules(thresholds), list[Reason]()
    age_ok = _age_check(facts, int(t["orphan_max_age"]), reasons, bool(t["study_extension"]))
    father = _gone(facts, Relation.FATHER, reasons)
    mother = _gone(facts, Relation.MOTHER, reasons)
    ok, code = _first_failed(Category.ORPHAN, [("age", age_ok), ("parents", father and mother)], "both_gone")
    return Decision(Category.ORPHAN.value, ok, code, reasons)


def de_facto_unsupported(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """事实无人抚养儿童 (民发〔2019〕62号, 〔2020〕125号): both parents have a qualifying status, or one
    is dead / court-declared missing and the other has one. An orphan is not also this category."""
    t, reasons = _rules(thresholds), list[Reason]()
    category = Category.DE_FACTO_UNSUPPORTED
    age_ok = _age_check(facts, int(t["unsupported_max_age"]), reasons, bool(t["study_extension"]))
    gone, status = {}, {}
    for relation in PARENTS:
        gone[relation] = _gone(facts, relation, reasons, name_alive=False)
        status[relation] = not gone[relation] and _qualifying(facts, relation, t, reasons)
    father, mother = PARENTS
    orphaned = gone[father] and gone[mother]
    if orphaned:
        reasons.append(Reason("is_orphan"))
    both = status[father] and status[mother]
    one_gone = (gone[father] and status[mother]) or (gone[mother] and status[father])
    checks = [("age", age_ok), ("orphan", not orphaned), ("parents", both or one_gone)]
    ok, code = _first_failed(category, checks, "")
    if ok:
        code += "both_statuses" if both else "one_gone"
    return Decision(category.value, ok, code, reasons)


def _simple(category: str, facts: ChildFacts, t: Mapping, flag: bool, yes: str, no: str) -> Decision:
    reasons: list[Reason] = []
    age_ok = _age_check(facts, int(t.get("child_max_age", 18)), reasons)
    reasons.append(Reason(yes if flag else no))
    ok, code = _first_failed(category, [("age", age_ok), ("facts", flag)], "facts")
    return Decision(category, ok, code, reasons)


def difficulty_poverty(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """困境儿童 (国发〔2016〕36号): family economic difficulty with living, medical care or schooling."""
    return _simple(
        Category.DIFFICULTY_POVERTY.value,
        facts,
        _rules(thresholds),
        facts.family_economic_difficulty,
        "economic_difficulty",
        "no_economic_difficulty",
    )


def difficulty_guardianship(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """困境儿童 (国发〔2016〕36号): absent or improper guardianship (abuse, abandonment, harm)."""
    return _simple(
        Category.DIFFICULTY_GUARDIANSHIP.value,
        facts,
        _rules(thresholds),
        facts.guardianship_failure,
        "guardianship_failure",
        "no_guardianship_failure",
    )


def _disability(facts: ChildFacts, reasons: list[Reason]) -> bool:
    if facts.disability_type and facts.disability_grade in (1, 2, 3, 4):
        reasons.append(Reason("disabled", {"type": facts.disability_type, "grade": facts.disability_grade}))
        return True
    reasons.append(Reason("not_disabled"))
    return False


def difficulty_disability(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """困境儿童 (国发〔2016〕36号): own disability with difficulty in rehabilitation, care or integration."""
    t, reasons = _rules(thresholds), list[Reason]()
    age_ok = _age_check(facts, int(t.get("child_max_age", 18)), reasons)
    disabled_ok = _disability(facts, reasons)
    hard = facts.disability_difficulty
    reasons.append(Reason("disability_difficulty" if hard else "no_disability_difficulty"))
    category = Category.DIFFICULTY_DISABILITY.value
    checks = [("age", age_ok), ("disability", disabled_ok), ("facts", hard)]
    ok, code = _first_failed(category, checks, "facts")
    return Decision(category, ok, code, reasons)


def disabled(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """残疾儿童: disability type and grade 1–4 as on the disability certificate (GB/T 26341)."""
    t, reasons = _rules(thresholds), list[Reason]()
    age_ok = _age_check(facts, int(t.get("child_max_age", 18)), reasons)
    disabled_ok = _disability(facts, reasons)
    category = Category.DISABLED.value
    ok, code = _first_failed(category, [("age", age_ok), ("disability", disabled_ok)], "certificate")
    return Decision(category, ok, code, reasons)


def _away(facts: ChildFacts, relation: str, t: Mapping, reasons: list[Reason]) -> bool:
    """Working away outside the county for `away_months` consecutive months or more, still away."""
    p = _parent(facts, relation)
    if p is None:
        reasons.append(Reason("parent_not_recorded", {"parent": relation}))
        return False
    ref, need, longest = facts.reference_date, int(t["away_months"]), None
    own: list[Reason] = []
    for s in _current(p, (Situation.WORKING_AWAY,), ref, own):
        if not s.outside_county:
            own.append(Reason("away_in_county", {"parent": relation}))
        elif s.started_on is None:
            own.append(Reason("status_no_start", {"parent": relation, "kind": s.kind}))
        elif longest is None or s.started_on < longest:
            longest = s.started_on
    if longest is not None:
        months = full_months(longest, ref)
        params = {"parent": relation, "since": _iso(longest), "months": months, "min": need}
        own.append(Reason("parent_away" if months >= need else "parent_away_short", params))
        reasons.extend(own)
        return months >= need
    reasons.extend(own or [Reason("parent_not_away", {"parent": relation})])
    return False


def _lacks_capacity(facts: ChildFacts, relation: str, reasons: list[Reason]) -> bool:
    p = _parent(facts, relation)
    if p is None:
        return False  # "parent_not_recorded" is already among the reasons
    own: list[Reason] = []
    for s in _current(p, NO_CAPACITY, facts.reference_date, own):
        own.append(Reason("parent_lacks_capacity", {"parent": relation, "kind": s.kind}))
    lacks = any(r.code == "parent_lacks_capacity" for r in own)
    if p.capacity == "none":
        own.append(Reason("parent_capacity_none", {"parent": relation}))
        lacks = True
    if not lacks:
        own.append(Reason("parent_has_capacity", {"parent": relation}))
    reasons.extend(own)
    return lacks


def _left_behind(facts: ChildFacts, t: Mapping, reasons: list[Reason]) -> tuple[bool, bool, dict]:
    age_ok = _age_check(facts, int(t["left_behind_max_age"]), reasons)
    rural = facts.hukou_type == Hukou.RURAL
    reasons.append(Reason("hukou_rural") if rural else Reason("hukou_not_rural", {"hukou": facts.hukou_type}))
    away = {relation: _away(facts, relation, t, reasons) for relation in PARENTS}
    return age_ok, rural, away


def _carer_warnings(facts: ChildFacts, t: Mapping) -> list[Reason]:
    """The record must name a delegated carer (委托照护人); a child under 16 must not live alone."""
    warnings = []
    if not facts.has_delegated_carer:
        warnings.append(Reason("no_delegated_carer"))
    if facts.lives_alone:
        warnings.append(Reason("lives_alone", {"limit": int(t["left_behind_max_age"])}))
    return warnings


def left_behind_both(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """农村留守儿童·双亲外出 (国发〔2016〕13号): under 16, rural hukou, both parents work away."""
    t, reasons = _rules(thresholds), list[Reason]()
    age_ok, rural, away = _left_behind(facts, t, reasons)
    category = Category.LEFT_BEHIND_BOTH.value
    checks = [("age", age_ok), ("hukou", rural), ("parents", all(away.values()))]
    ok, code = _first_failed(category, checks, "both_away")
    return Decision(category, ok, code, reasons, _carer_warnings(facts, t) if ok else [])


def left_behind_one(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """农村留守儿童·单亲外出 (国发〔2016〕13号): under 16, rural hukou, one parent works away and the
    other lacks guardianship capacity."""
    t, reasons = _rules(thresholds), list[Reason]()
    age_ok, rural, away = _left_behind(facts, t, reasons)
    other_lacks = False
    away_count = sum(away.values())
    if away_count == 2:
        reasons.append(Reason("both_away"))
    elif away_count == 1:
        other = next(r for r in PARENTS if not away[r])
        other_lacks = _lacks_capacity(facts, other, reasons)
    category = Category.LEFT_BEHIND_ONE.value
    checks = [("age", age_ok), ("hukou", rural), ("parents", away_count == 1 and other_lacks)]
    ok, code = _first_failed(category, checks, "one_away")
    return Decision(category, ok, code, reasons, _carer_warnings(facts, t) if ok else [])


def migrant(facts: ChildFacts, thresholds: Mapping | None = None) -> Decision:
    """流动儿童: under 16, living outside the county of household registration for 6 months or more."""
    t, reasons = _rules(thresholds), list[Reason]()
    age_ok = _age_check(facts, int(t["migrant_max_age"]), reasons)
    hukou, here = facts.hukou_area_code, facts.current_area_code[:6]
    if not hukou:
        reasons.append(Reason("hukou_area_missing"))
        across = False
    elif len(hukou) < 6:
        reasons.append(Reason("hukou_area_imprecise", {"code": hukou}))
        across = False
    else:
        across = hukou[:6] != here
        params: dict[str, object] = {"hukou_county": hukou[:6], "county": here}
        reasons.append(Reason("other_county" if across else "same_county", params))
    long_enough = False
    if facts.resident_since is None:
        reasons.append(Reason("resident_since_missing"))
    else:
        months, need = full_months(facts.resident_since, facts.reference_date), int(t["migrant_months"])
        long_enough = months >= need
        params = {"since": _iso(facts.resident_since), "months": months, "min": need}
        reasons.append(Reason("resident_long" if long_enough else "resident_short", params))
    category = Category.MIGRANT.value
    checks = [("age", age_ok), ("hukou_area", across), ("residence", long_enough)]
    ok, code = _first_failed(category, checks, "across_county")
    return Decision(category, ok, code, reasons)


RULES = {
    Category.ORPHAN.value: orphan,
    Category.DE_FACTO_UNSUPPORTED.value: de_facto_unsupported,
    Category.DIFFICULTY_POVERTY.value: difficulty_poverty,
    Category.DIFFICULTY_DISABILITY.value: difficulty_disability,
    Category.DIFFICULTY_GUARDIANSHIP.value: difficulty_guardianship,
    Category.LEFT_BEHIND_BOTH.value: left_behind_both,
    Category.LEFT_BEHIND_ONE.value: left_behind_one,
    Category.MIGRANT.value: migrant,
    Category.DISABLED.value: disabled,
}


def evaluate_all(facts: ChildFacts, thresholds: Mapping | None = None) -> list[Decision]:
    """Every category's decision, in the order of the Category list."""
    decisions = [rule(facts, thresholds) for rule in RULES.values()]
    if facts.status != "active":
        # A file that is closed (aged out, moved, deceased) holds no category, whatever the facts.
        inactive = Reason("file_inactive", {"status": facts.status})
        decisions = [
            replace(d, eligible=False, rule_code=f"{d.category}.file_status", reasons=[inactive, *d.reasons])
            for d in decisions
        ]
    return decisions
