"""The eligibility rules' plain input (rules.ChildFacts) built from a child's file, and its JSON snapshot.

The snapshot is what a proposal or an assignment keeps as "the facts the decision rested on": ages,
dates, codes of situations and evidence; never a name, an identity number or an address.
"""

import datetime

from .choices import PARENT_RELATIONS, Capacity
from .models import Child
from .rules import ChildFacts, ParentFacts, SituationFacts, age_on

_CAPACITY_ORDER: list[str] = [Capacity.FULL.value, Capacity.LIMITED.value, Capacity.NONE.value]


def child_facts(*, child: Child, today: datetime.date) -> ChildFacts:
    """The facts of `child` on `today`; uses prefetched persons and situations when present."""
    parents: dict[str, ParentFacts] = {}
    has_carer = False
    for person in child.persons.all():
        has_carer = has_carer or person.is_delegated_carer
        if person.relation not in PARENT_RELATIONS:
            continue
        situations = tuple(
            SituationFacts(
                kind=s.kind,
                started_on=s.started_on,
                ended_on=s.ended_on,
                outside_county=s.outside_county,
                evidence_type=s.evidence_type,
            )
            for s in person.situations.all()
        )
        # Two rows for one parent (entered twice) merge: every situation counts, the weakest capacity wins.
        earlier = parents.get(person.relation)
        if earlier is not None:
            situations = tuple(earlier.situations) + situations
            capacity = max(earlier.capacity, person.capacity, key=_capacity_rank)
        else:
            capacity = person.capacity
        parents[person.relation] = ParentFacts(person.relation, situations, capacity)
    return ChildFacts(
        birth_date=child.birth_date,
        reference_date=today,
        hukou_type=child.hukou_type,
        hukou_area_code=child.hukou_area_id or "",
        current_area_code=child.area_id or "",
        resident_since=child.resident_since,
        in_full_time_study=child.in_full_time_study,
        lives_alone=child.lives_alone,
        has_delegated_carer=has_carer,
        disability_type=child.disability_type,
        disability_grade=child.disability_grade,
        disability_difficulty=child.disability_difficulty,
        family_economic_difficulty=child.family_economic_difficulty,
        guardianship_failure=child.guardianship_failure,
        parents=tuple(parents[r] for r in sorted(parents)),
        status=child.status,
    )


def _capacity_rank(value: str) -> int:
    return _CAPACITY_ORDER.index(value) if value in _CAPACITY_ORDER else 0


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def facts_snapshot(facts: ChildFacts) -> dict:
    """The facts as plain JSON: ages, dates, codes (county-level area codes only), no personal names."""
    return {
        "reference_date": _iso(facts.reference_date),
        "age": age_on(facts.birth_date, facts.reference_date),
        "status": facts.status,
        "hukou_type": facts.hukou_type,
        "hukou_county": facts.hukou_area_code[:6],
        "current_county": facts.current_area_code[:6],
        "resident_since": _iso(facts.resident_since),
        "in_full_time_study": facts.in_full_time_study,
        "lives_alone": facts.lives_alone,
        "has_delegated_carer": facts.has_delegated_carer,
        "disability_type": facts.disability_type,
        "disability_grade": facts.disability_grade,
        "disability_difficulty": facts.disability_difficulty,
        "family_economic_difficulty": facts.family_economic_difficulty,
        "guardianship_failure": facts.guardianship_failure,
        "parents": [
            {
                "relation": p.relation,
                "capacity": p.capacity,
                "situations": [
                    {
                        "kind": s.kind,
                        "started_on": _iso(s.started_on),
                        "ended_on": _iso(s.ended_on),
                        "outside_county": s.outside_county,
                        "evidence_type": s.evidence_type,
                    }
                    for s in p.situations
                ],
            }
            for p in facts.parents
        ],
    }
