"""Province-scale synthetic data as raw rows (`seedling generate`): batches of children → table rows.

The children, families and situations come from the demo generator (VillageFamilies), unchanged;
this module turns them into rows the way the services would (encrypted identity numbers, blind
index, mask, pinyin, search keys, categories from the eligibility rules) but without the ORM, so
a million children fit in minutes (DESIGN.md: ~5k rows/s through the ORM, ~500k rows/s raw).

Determinism: batch `n` draws from Random(f"{seed}:{n}") and its rows get ids reserved in advance
(`Batch.child_base` / `person_base`), so the same seed gives the same data whatever the number of
worker processes and whichever batch is written first.

Categories: the eligibility rules are pure (rules.evaluate_all), so each child's decisions are
computed from the same facts registry.facts.child_facts would read back from the database. They
are skipped only for children whose generated facts cannot make any rule apply (`may_hold_category`):
both parents at home or one away with the other at home and able, no poverty, disability,
guardianship failure or migration. A test compares a sample with evaluate_all on the stored file.
"""

import datetime
import hashlib
import hmac
import json
import random
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from seedling.registry import idnumber, search
from seedling.registry.choices import PARENT_RELATIONS
from seedling.registry.facts import facts_snapshot
from seedling.registry.names import pinyin_of
from seedling.registry.phone import normalize_phone
from seedling.registry.reasons import reasons_text
from seedling.registry.rules import ChildFacts, ParentFacts, SituationFacts, evaluate_all

from .families import Context, VillageFamilies
from .people import ChildSpec, IdMaker, Village

PERSON_STRIDE = 6  # person ids reserved per child (a file has at most 4 generated family members)
ID_STRIPES = 50  # sequence numbers of an identity number split among batches (see StripedIds)
PENDING_SHARE = 0.03  # eligible categories left as pending proposals in the review queue
# Scenarios in which no category rule can apply unless a flag says otherwise (see may_hold_category).
QUIET = {"both_parents_home", "one_parent_away", "away_in_county", "divorced", "away_recently",
         "parents_returned"}  # fmt: skip
VISIT_METHODS = ("home", "home", "home", "home", "home", "home", "home", "home", "phone", "school")
VISIT_YEARS = 3  # visits spread over the last three years (or since birth)


@dataclass(frozen=True)
class Staff:
    """User ids of the responsible people, by area code, and the generator's own account."""

    directors: dict[str, int]  # village code → director
    supervisors: dict[str, int]  # township code → supervisor
    county_officers: dict[str, int]  # county code → county reviewer
    generator: int

    def subset(self, batch: "Batch") -> "Staff":
        """Only the people of the batch's villages (what a worker process needs to be sent)."""
        codes = [v.code for v, _n in batch.villages]
        return Staff(
            directors={c: self.directors[c] for c in codes},
            supervisors={c[:9]: self.supervisors[c[:9]] for c in codes},
            county_officers={c[:6]: self.county_officers[c[:6]] for c in codes},
            generator=self.generator,
        )

    def reviewer(self, area_code: str, category: str) -> int:
        from seedling.registry.management.commands.demo_data import COUNTY_DECIDES

        if category in COUNTY_DECIDES:
            return self.county_officers[area_code[:6]]
        return self.supervisors[area_code[:9]]


@dataclass
class Batch:
    number: int
    villages: list[tuple[Village, int]]
    child_base: int  # first child id of the batch
    person_base: int  # first person id of the batch
    seed: int
    today: datetime.date
    visits_per_child: int = 0
    origins: dict = field(default_factory=dict)

    @property
    def children(self) -> int:
        return sum(n for _v, n in self.villages)


def plan_batches(
    counts: dict[Village, int], *, seed: int, today, batch_size: int, child_base: int, person_base: int,
    visits_per_child: int = 0, origins=None,
) -> list[Batch]:  # fmt: skip
    """Villages in code order, grouped into batches of about `batch_size` children (a village is never split)."""
    batches: list[Batch] = []
    current: list[tuple[Village, int]] = []
    done = 0
    for village in sorted(counts, key=lambda v: v.code):
        current.append((village, counts[village]))
        if sum(n for _v, n in current) >= batch_size:
            batches.append(_batch(len(batches), current, done, child_base, person_base))
            done += batches[-1].children
            current = []
    if current:
        batches.append(_batch(len(batches), current, done, child_base, person_base))
    for batch in batches:
        batch.seed, batch.today, batch.visits_per_child = seed, today, visits_per_child
        batch.origins = dict(origins or {})
    return batches


def _batch(number, villages, done, child_base, person_base) -> Batch:
    return Batch(number, list(villages), child_base + done, person_base + done * PERSON_STRIDE, 0, None)


class StripedIds(IdMaker):
    """Identity numbers unique across batches made in parallel processes that share no state.

    Each batch draws the three-digit sequence from its own stripe of 10 (of 500 per sex), so two
    batches never produce the same number unless a stripe is full (then any free number is used).
    """

    def __init__(self, rng: random.Random, stripe: int):
        super().__init__(rng)
        self.stripe = stripe % ID_STRIPES

    def make(self, address_code: str, birth_date: datetime.date, sex: str) -> str:
        width = 500 // ID_STRIPES
        for _ in range(4 * width):
            sequence = 2 * (self.stripe * width + self.rng.randrange(width)) + (1 if sex == "M" else 0)
            number = idnumber.make(address_code, birth_date, sequence)
            if number not in self.used:
                self.used.add(number)
                return number
        return super().make(address_code, birth_date, sex)


def batch_specs(batch: Batch) -> list[ChildSpec]:
    """The children of a batch, as synthetic.generate makes them, from the batch's own random stream."""
    rng = random.Random(f"{batch.seed}:{batch.number}")
    ctx = Context(rng=rng, ids=StripedIds(rng, batch.number), today=batch.today, origins=batch.origins)
    specs: list[ChildSpec] = []
    for village, count in batch.villages:
        specs += VillageFamilies(ctx, village).children(count)
    return specs


# --- categories -----------------------------------------------------------------------------------


def may_hold_category(spec: ChildSpec) -> bool:
    """False only when no eligibility rule can apply to the generated facts (saves ~80% of evaluations)."""
    return not (
        spec.scenario in QUIET
        and not spec.family_economic_difficulty
        and not spec.disability_type
        and not spec.guardianship_failure
        and spec.resident_since is None
        and (spec.hukou_area_code or spec.area_code)[:6] == spec.area_code[:6]
    )


def spec_facts(spec: ChildSpec, today: datetime.date) -> ChildFacts:
    """What registry.facts.child_facts reads from the stored file, built from the spec."""
    parents: dict[str, ParentFacts] = {}
    for person in spec.persons:
        if person.relation not in PARENT_RELATIONS:
            continue
        situations = tuple(
            SituationFacts(s.kind, s.started_on, s.ended_on, s.outside_county, s.evidence_type)
            for s in person.situations
        )
        parents[person.relation] = ParentFacts(person.relation, situations, person.capacity)
    return ChildFacts(
        birth_date=spec.birth_date,
        reference_date=today,
        hukou_type=spec.hukou_type,
        hukou_area_code=spec.hukou_area_code or "",
        current_area_code=spec.area_code,
        resident_since=spec.resident_since,
        in_full_time_study=spec.in_full_time_study,
        has_delegated_carer=any(p.is_delegated_carer for p in spec.persons),
        disability_type=spec.disability_type,
        disability_grade=spec.disability_grade,
        disability_difficulty=spec.disability_difficulty,
        family_economic_difficulty=spec.family_economic_difficulty,
        guardianship_failure=spec.guardianship_failure,
        parents=tuple(parents[r] for r in sorted(parents)),
    )


def eligible_decisions(spec: ChildSpec, today: datetime.date):
    """(facts, the eligible decisions of the rules) for a generated child; ([], ...) for quiet ones."""
    if not may_hold_category(spec):
        return None, []
    facts = spec_facts(spec, today)
    return facts, [d for d in evaluate_all(facts, settings.SEEDLING_RULES) if d.eligible]


# --- search keys, pinyin, identity numbers ----------------------------------------------------------


@lru_cache(maxsize=200_000)
def _name_keys(name: str) -> frozenset[str]:
    return frozenset(search._name_tokens(name))


@lru_cache(maxsize=200_000)
def _family_keys(name: str) -> frozenset[str]:
    return frozenset(search._token(search.FAMILY_GRAM, g) for g in search._grams(name or ""))


def search_keys(name: str, persons) -> set[str]:
    """search.child_tokens for a child's name and (name, normalised phone) pairs, with names cached.

    Names repeat a lot (a few hundred surnames times a few hundred given names), so caching the
    pinyin work makes the keys of a million children cost seconds instead of minutes.
    """
    keys = set(_name_keys(name))
    for person_name, phone in persons:
        keys |= _family_keys(person_name)
        if phone:
            keys.add(search._token(search.PHONE, phone))
    return keys


cached_pinyin = lru_cache(maxsize=200_000)(pinyin_of)


def id_columns(number: str, context: str) -> tuple[str, str, str, str]:
    """(cipher, blind index, mask, last four) as services._set_id_number stores them."""
    from seedling.core.crypto import encrypt_text

    if not number:
        return "", "", "", ""
    return encrypt_text(number, context=context), _blind_index(number), idnumber.mask(number), number[-4:]


@lru_cache(maxsize=1)
def _index_key():
    return hmac.new(bytes.fromhex(settings.SEEDLING_BLIND_INDEX_KEY), digestmod=hashlib.sha256)


def _blind_index(number: str) -> str:
    """services.id_hash (core.crypto.blind_index, purpose "id_number") from a keyed HMAC copied, not rebuilt."""
    mac = _index_key().copy()
    mac.update(f"id_number:{number}".encode())
    return mac.hexdigest()


# --- rows -------------------------------------------------------------------------------------------

CHILD_FIELDS = ("id", "created_at", "updated_at", "id_number_cipher", "id_number_hash", "id_number_mask",
                "id_number_last4", "uuid", "name", "name_pinyin", *ChildSpec.FIELDS[1:], "area",
                "hukou_area", "director", "supervisor", "created_by")  # fmt: skip
PERSON_FIELDS = ("id", "created_at", "updated_at", "id_number_cipher", "id_number_hash", "id_number_mask",
                 "id_number_last4", "uuid", "child", "relation", "name", "name_pinyin", "phone", "is_guardian",
                 "is_delegated_carer", "lives_with_child", "health", "capacity", "notes")  # fmt: skip
SITUATION_FIELDS = ("created_at", "updated_at", "child", "person", "recorded_by", "kind", "started_on",
                    "ended_on", "place", "outside_county", "evidence_type", "evidence_ref", "notes")  # fmt: skip
TOKEN_FIELDS = ("child", "area_code", "token")
ASSIGNMENT_FIELDS = ("created_at", "updated_at", "child", "category", "started_on", "reason", "evidence",
                     "rule_code", "facts", "reasons", "created_by")  # fmt: skip
PROPOSAL_FIELDS = ("created_at", "updated_at", "child", "category", "kind", "rule_code", "facts", "reasons",
                   "status", "proposed_by")  # fmt: skip
# Visits (fieldwork.Visit, when installed): what each generated visit carries; see visit_values.
VISIT_FIELDS = ("created_at", "updated_at", "child", "area_code", "visited_on", "visitor", "method")


@dataclass
class Rows:
    """Row tuples of one batch, in the order of the *_FIELDS above; `now` is the stored timestamp."""

    children: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    situations: list = field(default_factory=list)
    tokens: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    visits: list = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.__dict__.items()}


def batch_rows(batch: Batch, specs: list[ChildSpec], staff: Staff, now, *, with_visits: bool) -> Rows:
    """Every row of a batch's children; `now` is created_at/updated_at as the database takes it."""
    from seedling.registry.management.commands.demo_data import EVIDENCE

    rng = random.Random(f"{batch.seed}:{batch.number}:rows")  # uuids, dates: not the specs' stream
    today = batch.today
    rows = Rows()
    person_id = batch.person_base
    for offset, spec in enumerate(specs):
        child_id = batch.child_base + offset
        area = spec.area_code
        director = staff.directors[area]
        rows.children.append((
            child_id, now, now, *id_columns(spec.id_number, "child.id_number"), _uuid(rng), spec.name,
            cached_pinyin(spec.name), *(getattr(spec, f) for f in ChildSpec.FIELDS[1:]), area,
            spec.hukou_area_code, director, staff.supervisors[area[:9]], staff.generator,
        ))  # fmt: skip
        keyed = []
        for person in spec.persons:
            phone = normalize_phone(person.phone)
            keyed.append((person.name, phone))
            rows.persons.append((
                person_id, now, now, *id_columns(person.id_number, "person.id_number"), _uuid(rng), child_id,
                person.relation, person.name, cached_pinyin(person.name), phone, person.is_guardian,
                person.is_delegated_carer, person.lives_with_child, person.health, person.capacity, person.notes,
            ))  # fmt: skip
            for s in person.situations:
                rows.situations.append((now, now, child_id, person_id, director, s.kind, s.started_on, s.ended_on,
                                        s.place, s.outside_county, s.evidence_type, s.evidence_ref, s.notes))  # fmt: skip
            person_id += 1
        if person_id > batch.person_base + PERSON_STRIDE * (offset + 1):
            raise RuntimeError("a generated file has more family members than PERSON_STRIDE reserves")
        rows.tokens += [(child_id, area, key) for key in search_keys(spec.name, keyed)]
        facts, decisions = eligible_decisions(spec, today)
        if decisions:
            snapshot = json.dumps(facts_snapshot(facts), ensure_ascii=False)
        for d in decisions:
            reasons = [r.to_json() for r in d.reasons] + [
                {**w.to_json(), "warning": True} for w in d.warnings
            ]
            stored = json.dumps(reasons, ensure_ascii=False)
            if rng.random() < PENDING_SHARE:
                rows.proposals.append((now, now, child_id, d.category, "assign", d.rule_code, snapshot, stored,
                                       "pending", director))  # fmt: skip
                continue
            text = reasons_text(r.to_json() for r in d.reasons)
            rows.assignments.append((
                now, now, child_id, d.category, _started(rng, spec.birth_date, today), _clip(text),
                EVIDENCE.get(d.category, "村（居）委会走访核实"), d.rule_code, snapshot, stored,
                staff.reviewer(area, d.category),
            ))  # fmt: skip
        if with_visits:
            rows.visits += visit_values(rng, child_id, area, spec.birth_date, director, now, batch)
    return rows


def visit_values(rng: random.Random, child_id, area, birth, director, now, batch: Batch) -> list[tuple]:
    """VISIT_FIELDS of a child's visits: spread over the last VISIT_YEARS years (not before birth)."""
    today = batch.today.toordinal()
    start = max(birth.toordinal(), today - round(365.25 * VISIT_YEARS))
    span = today - start + 1
    draw, methods, day = rng.random, VISIT_METHODS, datetime.date.fromordinal
    # random() rather than randrange(): ten million draws, and randrange costs ten times more.
    days = sorted(start + int(draw() * span) for _ in range(batch.visits_per_child))
    return [(now, now, child_id, area, day(d), director, methods[int(draw() * len(methods))]) for d in days]


def _uuid(rng: random.Random) -> str:
    """A version-4 UUID from the batch's random stream, as 32 hex digits (what both databases accept)."""
    bits = (rng.getrandbits(128) & ~(0xF000 << 64) & ~(0xC000 << 48)) | (0x4000 << 64) | (0x8000 << 48)
    return f"{bits:032x}"


def _started(rng: random.Random, birth: datetime.date, today: datetime.date) -> datetime.date:
    """When the category was recognised: within the last two years, not before birth."""
    return max(birth, today - datetime.timedelta(days=rng.randrange(730)))


def _clip(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
