"""Synthetic children for the demo and load tests (pure: no database, deterministic by seed).

    villages = choose_villages(candidates, rng=random.Random(1), count=20, pinned=[...])
    specs = generate({village: 150, ...}, seed=1, today=date.today(), origins={...})

Each ChildSpec carries the child's fields, a valid identity number matching birth date, sex and county
(or a reason for having none), and the family: parents, grandparents and their situations with
evidence. Writers (the demo_data command, the bulk generator) turn specs into rows.
"""

import datetime
import random
from collections.abc import Mapping

from .families import Context, VillageFamilies
from .names import COMPOUND_SURNAMES, SURNAMES, NamePicker
from .people import ChildSpec, IdMaker, PersonSpec, SituationSpec, Village

__all__ = [
    "COMPOUND_SURNAMES",
    "SURNAMES",
    "ChildSpec",
    "NamePicker",
    "PersonSpec",
    "SituationSpec",
    "Village",
    "choose_villages",
    "generate",
    "split_children",
]


def generate(
    plan: Mapping[Village, int],
    *,
    seed: int,
    today: datetime.date,
    origins: Mapping[str, list[tuple[str, str]]] | None = None,
) -> list[ChildSpec]:
    """Children for each village in `plan` (village → how many); the same seed gives the same specs.

    `origins` maps a province code to (county code, county name) pairs that migrant families come from.
    """
    rng = random.Random(seed)
    ctx = Context(rng=rng, ids=IdMaker(rng), today=today, origins=dict(origins or {}))
    children: list[ChildSpec] = []
    for village in sorted(plan, key=lambda v: v.code):
        children += VillageFamilies(ctx, village).children(plan[village])
    return children


def choose_villages(
    candidates: list[Village], *, rng: random.Random, count: int, pinned=(), rural_share: float = 0.85
) -> list[Village]:
    """`count` villages of the candidates, mostly rural, always including the `pinned` codes."""
    chosen = [v for v in candidates if v.code in set(pinned)]
    rest = [v for v in sorted(candidates, key=lambda v: v.code) if v not in chosen]
    rural = [v for v in rest if not v.urban]
    urban = [v for v in rest if v.urban]
    n_urban = min(len(urban), round((count - len(chosen)) * (1 - rural_share)))
    n_rural = min(len(rural), count - len(chosen) - n_urban)
    return chosen + rng.sample(rural, max(n_rural, 0)) + rng.sample(urban, max(n_urban, 0))


def split_children(total: int, weights: Mapping[Village, float], *, rng: random.Random) -> dict[Village, int]:
    """Share `total` children among villages by weight (±25% noise), at least one each, exactly `total`."""
    villages = sorted(weights, key=lambda v: v.code)
    raw = {v: weights[v] * rng.uniform(0.75, 1.25) for v in villages}
    scale = total / sum(raw.values())
    counts = {v: max(1, int(raw[v] * scale)) for v in villages}
    order = sorted(villages, key=lambda v: -raw[v])
    i = 0
    while sum(counts.values()) != total:
        village = order[i % len(order)]
        if sum(counts.values()) < total:
            counts[village] += 1
        elif counts[village] > 1:
            counts[village] -= 1
        i += 1
        if i > 100 * len(order) + total:
            break  # fewer children than villages: some keep their one
    return counts
