"""Search from the selector (registry.search.search_children): p50/p95/p99 per kind of query.

Goal (issue 4): p95 ≤ 10 ms. Yardstick in the same run: an indexed equality lookup (a child by its
identity-number blind index), timed the same way. Queries are drawn from children the user can see:
a county officer (the biggest county) and a village director (its biggest village).
"""

import random

from bench.harness import Context, Result, bench_users, fmt_ms, percentiles, timed

GOAL_MS = 10.0
KINDS = {
    "name2": "2-char name",
    "name3": "3-char name",
    "start2": "first 2 chars of a 3-char name",
    "initials": "pinyin initials",
    "pinyin": "full pinyin",
    "typed2": "first 2 letters of the pinyin (typing)",
    "id": "whole ID number",
    "last4": "ID last four",
}


def _queries(children: list, kind: str) -> list[str]:
    out = []
    for c in children:
        letters = c.name_pinyin.split()
        if kind == "name2" and len(c.name) == 2 or kind == "name3" and len(c.name) == 3:
            out.append(c.name)
        elif kind == "start2" and len(c.name) == 3:
            out.append(c.name[:2])
        elif kind == "initials" and letters:
            out.append("".join(s[0] for s in letters))
        elif kind == "pinyin" and letters:
            out.append("".join(letters))
        elif kind == "typed2" and letters and len(letters[0]) >= 2:
            out.append(letters[0][:2])
        elif kind == "id" and c.id_number_cipher:
            out.append(c.reveal_id_number())
        elif kind == "last4" and c.id_number_last4:
            out.append(c.id_number_last4)
    return out


def run(ctx: Context) -> list[Result]:
    from seedling.core.scope import area_q
    from seedling.registry.models import Child
    from seedling.registry.search import search_children

    users = bench_users(ctx)
    rng = random.Random(ctx.seed)
    per_kind = 60 if ctx.quick else 300
    scopes = {
        "county": Child.objects.filter(area_q("area", ctx.state["county"])),
        "director": Child.objects.filter(area_id=ctx.state["village"]),
    }
    results: list[Result] = []
    # The yardstick: the same loop over an indexed equality lookup.
    sample = list(scopes["county"].exclude(id_number_hash="").values_list("id_number_hash", flat=True)[:2000])
    hashes = [rng.choice(sample) for _ in range(per_kind)]
    yard = percentiles(timed(lambda h: Child.objects.filter(id_number_hash=h).first(), hashes))
    yardstick = f"indexed lookup p95 {yard['p95']:.2f} ms"
    results.append(
        Result(
            benchmark="search",
            case="yardstick: indexed equality lookup (Child by id_number_hash)",
            result=fmt_ms(yard),
            figures=yard,
        )
    )
    print(f"yardstick {fmt_ms(yard)}", flush=True)
    for who, scope in scopes.items():
        pks = list(scope.values_list("pk", flat=True))
        picked = Child.objects.filter(pk__in=rng.sample(pks, min(len(pks), 1500)))
        children = list(picked.only("pk", "name", "name_pinyin", "id_number_cipher", "id_number_last4"))
        rng.shuffle(children)
        user = users[who]
        for kind, label in KINDS.items():
            queries = _queries(children, kind)
            if not queries:
                continue
            queries = [rng.choice(queries) for _ in range(per_kind)]
            found = []

            def one(q, user=user, found=found):
                found.append(len(search_children(user=user, query=q)))

            p = percentiles(timed(one, queries))
            hits = sum(found) / len(found)
            results.append(
                Result(
                    benchmark="search",
                    case=f"{label}, {'county officer' if who == 'county' else 'village director'}",
                    result=fmt_ms(p),
                    goal=f"p95 ≤ {GOAL_MS:g} ms",
                    met=p["p95"] <= GOAL_MS,
                    yardstick=yardstick,
                    note=f"{len(pks):,} children in scope; {hits:.1f} results per query on average",
                    figures={**p, "scope": len(pks), "hits": hits, "yardstick": yard},
                )
            )
            print(f"{who:8} {label:32} {fmt_ms(p)}  hits {hits:.1f}", flush=True)
    return results
