"""`seedling demo_data`: demo users and ~5,200 children with families in 武义县, 温岭市 and 通州区.

Children, family members and situations are written in batches (the ORM one row at a time would take
minutes) through the same checks as the services (validation, encrypted identity numbers, history
rows, search keys); only the per-row access-log rows are left out: one row records the whole load.
Categories then come from the eligibility rules: proposals_refresh for every child, and most
proposals confirmed by the reviewer a real county would use; some stay pending in the review queue.
"""

import datetime
import importlib
import random
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from seedling.accounts import demo
from seedling.accounts.models import Membership, User
from seedling.accounts.roles import Role
from seedling.core.audit import audit_log
from seedling.core.scope import area_q
from seedling.geo.models import Division
from seedling.registry import categories, search, services, synthetic
from seedling.registry.choices import ETHNIC_GROUPS
from seedling.registry.facts import child_facts
from seedling.registry.models import CategoryAssignment, CategoryProposal, Child, Person, PersonSituation
from seedling.registry.names import pinyin_of
from seedling.registry.rules import evaluate_all
from seedling.registry.synthetic.names import NamePicker
from seedling.registry.validation import (
    check_child,
    check_situation,
    clean_id_number,
    clean_name,
    clean_phone,
)

# county → (share of the children, villages pinned into the sample)
COUNTIES = {
    "330723": (0.45, [demo.VILLAGE_A, demo.VILLAGE_B, "330723100200"]),  # 武义县: 县前村 in 柳城畲族镇
    "331081": (0.35, ["331081100204"]),  # 温岭市: 横径村
    "110112": (0.20, ["110112209201"]),  # 北京市通州区: 于家务村 in 于家务回族乡
}
PINNED_WEIGHT = {demo.VILLAGE_A: 2.2, demo.VILLAGE_B: 2.0}  # the demo directors' villages are big
CHILDREN_PER_VILLAGE = 110
ORIGIN_PROVINCES = ["52", "51", "36", "34", "41", "43", "42", "53", "65"]
# Decided by county civil affairs (benefits follow); the others by the township supervisor.
COUNTY_DECIDES = {"orphan", "de_facto_unsupported", "difficulty_poverty", "difficulty_disability",
                  "difficulty_guardianship"}  # fmt: skip
EVIDENCE = {
    "orphan": "死亡证明（或宣告失踪判决）已核验",
    "de_facto_unsupported": "父母状况证明材料已核验",
    "difficulty_poverty": "低保（低边）认定材料已核验",
    "difficulty_disability": "残疾人证已核验",
    "disabled": "残疾人证已核验",
    "migrant": "居住证已核验",
}
BATCH = 500
# The workflow apps' demo parts, in order (visits need children; campaigns need schools and counsellors).
# Each module has an idempotent demo_ensure(); a module that does not exist (yet) is skipped.
DEMO_MODULES = [
    "seedling.fieldwork.demo",
    "seedling.schools.demo",
    "seedling.counselling.demo",
    "seedling.assessments.demo",
    "seedling.portal.demo",
    "seedling.research.demo",  # last: adds self-checks only if the others made none
]


class Command(BaseCommand):
    help = "Load the demo: demo users and children with families and categories (skipped when loaded)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=5200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--logins", action="store_true", help="only create demo users and print logins")

    def handle(self, *args, children, seed, today, logins, **options):
        if settings.PRODUCTION:  # demo users have a published password
            raise CommandError("demo_data refuses to run with SEEDLING_ENV=production")
        today = today or timezone.localdate()
        missing = [
            c for c in COUNTIES if not Division.objects.filter(code__startswith=c, level="village").exists()
        ]
        if missing:
            raise CommandError(
                f"villages of {', '.join(missing)} not loaded: run `seedling divisions_import --villages 33,11`"
            )
        users = demo.demo_users_ensure()
        if not logins:
            self._load(children, seed, today, users)
            self._workflow_demos()
        self.stdout.write(demo.logins_table())

    def _workflow_demos(self):
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            started = time.perf_counter()
            result = module.demo_ensure()
            self.stdout.write(f"{name}: {result or 'ok'} ({time.perf_counter() - started:.1f} s)")

    def _load(self, total, seed, today, users):
        in_demo = Q()
        for county in COUNTIES:
            in_demo |= area_q("area", county)
        existing = Child.objects.filter(in_demo).count()
        if existing:
            self.stdout.write(f"demo data already loaded ({existing} children); nothing to do")
            return
        clock = _Clock(self.stdout)
        rng = random.Random(seed)
        plan = self._plan(total, rng)
        specs = synthetic.generate(plan, seed=seed, today=today, origins=_origins())
        clock.lap(f"generated {len(specs)} children in {len(plan)} villages")
        staff = _Staff(users, rng)
        written = _write(specs, staff, today)
        clock.lap(f"wrote {written['children']} children, {written['persons']} family members, "
                  f"{written['situations']} situations, {written['tokens']} search keys")  # fmt: skip
        pending = _categories(specs, staff, rng, today)
        clock.lap(f"categories: {pending} proposals left pending for review")
        _parents_come_home(staff, today)
        audit_log(
            user=users["admin"], action="create", detail={"demo_data": {"children": len(specs), "seed": seed}}
        )
        self._summary(clock)

    def _plan(self, total: int, rng: random.Random) -> dict:
        plan = {}
        for county, (share, pinned) in COUNTIES.items():
            n = round(total * share) if county != list(COUNTIES)[-1] else total - sum(plan.values())
            if n <= 0:
                continue
            candidates = _villages(county)
            count = max(len(pinned) + 1, round(n / CHILDREN_PER_VILLAGE))
            if n < count:  # a tiny run: fewer villages than children, the demo villages first
                pinned, count = pinned[:n], n
            chosen = synthetic.choose_villages(candidates, rng=rng, count=count, pinned=pinned)
            weights = {v: PINNED_WEIGHT.get(v.code, 1.0) for v in chosen}
            plan.update(synthetic.split_children(n, weights, rng=rng))
        return plan

    def _summary(self, clock):
        held = Counter(
            CategoryAssignment.objects.filter(ended_on__isnull=True).values_list("category", flat=True)
        )
        total = Child.objects.count()
        self.stdout.write(f"children: {total}")
        for category, n in sorted(held.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"  {category:26} {n:5}  ({100 * n / total:.1f}%)")
        for code in (demo.VILLAGE_A, demo.VILLAGE_B):
            n = CategoryProposal.objects.filter(child__area_id=code, status="pending").count()
            self.stdout.write(f"pending proposals in {code}: {n}")
        clock.lap("demo data loaded", total=True)


class _Clock:
    def __init__(self, out):
        self.out, self.start = out, time.monotonic()
        self.last = self.start

    def lap(self, what: str, total: bool = False):
        now = time.monotonic()
        self.out.write(f"[{now - (self.start if total else self.last):6.1f}s] {what}")
        self.last = now


def _villages(county: str) -> list:
    """Villages and residents' committees of a county, with their township and any minority named in it."""
    county_name = Division.objects.get(code=county).name
    minorities = {str(label): code for code, label in ETHNIC_GROUPS if code not in ("01", "97", "98")}
    out = []
    rows = Division.objects.filter(code__startswith=county, level="village", retired_in__isnull=True)
    for v in rows.select_related("parent").order_by("code"):
        minority = next((code for name, code in minorities.items() if name in v.parent.name), "")
        out.append(
            synthetic.Village(v.code, v.name, v.parent_id, v.parent.name, county, county_name,
                              urban=v.urban_rural == "urban", minority=minority)
        )  # fmt: skip
    return out


def _origins() -> dict[str, list[tuple[str, str]]]:
    """Counties (not city districts) that migrant families come from, six per province."""
    out = {}
    for province in ORIGIN_PROVINCES:
        rows = Division.objects.filter(level="county", code__startswith=province, retired_in__isnull=True)
        counties = [(d.code, d.name) for d in rows.order_by("code") if d.name.endswith(("县", "市"))]
        if counties:
            out[province] = counties[:6]
    return out


class _Staff:
    """The responsible people: a director per village, a supervisor per township, a county reviewer.

    The demo users fill their own places; everyone else is a staff account without a usable password.
    """

    def __init__(self, users: dict, rng: random.Random):
        self.names = NamePicker(rng, ("33",))
        self.known = {
            (Role.VILLAGE_DIRECTOR, demo.VILLAGE_A): users["director"],
            (Role.VILLAGE_DIRECTOR, demo.VILLAGE_B): users["director2"],
            (Role.TOWNSHIP_SUPERVISOR, demo.TOWNSHIP): users["supervisor"],
            (Role.COUNTY_OFFICER, demo.COUNTY): users["county"],
        }

    def get(self, role: str, code: str) -> User:
        key = (role, code)
        if key not in self.known:
            prefix = {Role.VILLAGE_DIRECTOR: "d", Role.TOWNSHIP_SUPERVISOR: "s", Role.COUNTY_OFFICER: "c"}[
                role
            ]
            user, created = User.objects.get_or_create(username=f"{prefix}{code}")
            if created:
                sex = self.names.rng.choice("MF")
                user.full_name = self.names.surname() + self.names.given(sex, "parent")
                user.set_unusable_password()
                user.save()
            Membership.objects.get_or_create(user=user, role=role, area_id=code)
            self.known[key] = user
        return self.known[key]

    def director(self, village: str) -> User:
        return self.get(Role.VILLAGE_DIRECTOR, village)

    def supervisor(self, village: str) -> User:
        return self.get(Role.TOWNSHIP_SUPERVISOR, village[:9])

    def reviewer(self, child: Child, category: str) -> User:
        if category in COUNTY_DECIDES:
            return self.get(Role.COUNTY_OFFICER, child.area_id[:6])
        return self.supervisor(child.area_id)


def _write(specs, staff: _Staff, today) -> Counter:
    codes = {s.area_code for s in specs} | {s.hukou_area_code for s in specs if s.hukou_area_code}
    divisions = Division.objects.in_bulk(codes)
    counts: Counter = Counter()
    for start in range(0, len(specs), BATCH):
        with transaction.atomic():
            counts += _write_batch(specs[start : start + BATCH], divisions, staff, today)
    return counts


def _write_batch(specs, divisions, staff: _Staff, today) -> Counter:
    children = [_child(spec, divisions, staff, today) for spec in specs]
    children = bulk_create_with_history(children, Child, batch_size=BATCH, default_change_reason="demo_data")
    persons, situations = [], []
    for child, spec in zip(children, specs, strict=True):
        for p in spec.persons:
            persons.append((_person(child, p, today), p))
    saved = bulk_create_with_history(
        [p for p, _ in persons], Person, batch_size=2000, default_change_reason="demo_data"
    )
    for person, (_, spec) in zip(saved, persons, strict=True):
        for s in spec.situations:
            errors: dict = {}
            check_situation(s.fields(), errors, today)
            if errors:
                raise CommandError(f"generated situation failed validation: {sorted(errors)}")
            situations.append(
                PersonSituation(
                    child_id=person.child_id,
                    person=person,
                    recorded_by=staff.director(person.child.area_id),
                    **s.fields(),
                )
            )
    bulk_create_with_history(situations, PersonSituation, batch_size=2000, default_change_reason="demo_data")
    tokens = search.index_children_bulk(children)
    return Counter(children=len(children), persons=len(saved), situations=len(situations), tokens=tokens)


def _child(spec, divisions, staff: _Staff, today) -> Child:
    """A Child row checked by the same rules as services.child_create (no names in errors)."""
    errors: dict = {}
    values = spec.fields()
    values["name"] = clean_name(values["name"], errors)
    values["area"] = divisions[spec.area_code]
    values["hukou_area"] = divisions.get(spec.hukou_area_code) if spec.hukou_area_code else None
    facts = clean_id_number(spec.id_number, errors, today=today)
    check_child(values, facts, errors, today)
    if errors:
        raise CommandError(f"generated child failed validation: {sorted(errors)}")
    director = staff.director(spec.area_code)
    child = Child(
        **values,
        name_pinyin=pinyin_of(values["name"]),
        director=director,
        supervisor=staff.supervisor(spec.area_code),
        created_by=director,
    )
    services._set_id_number(child, facts)
    return child


def _person(child: Child, spec, today) -> Person:
    errors: dict = {}
    values = spec.fields()
    values["name"] = clean_name(values["name"], errors)
    values["phone"] = clean_phone(values["phone"], errors)
    facts = clean_id_number(spec.id_number, errors, today=today)
    if errors:
        raise CommandError(f"generated family member failed validation: {sorted(errors)}")
    person = Person(child=child, **values, name_pinyin=pinyin_of(values["name"]))
    services._set_id_number(person, facts)
    return person


def _categories(specs, staff: _Staff, rng: random.Random, today) -> int:
    """Run the eligibility rules for every child; confirm most proposals, leave some for the queue."""
    pending = 0
    demo_villages = {demo.VILLAGE_A, demo.VILLAGE_B}
    ids = list(
        Child.objects.filter(area_id__in={s.area_code for s in specs})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        chunk = Child.objects.filter(pk__in=ids[start : start + BATCH]).prefetch_related(
            "persons__situations"
        )
        with transaction.atomic():
            for child in chunk.order_by("pk"):
                # A new file holds no category and awaits no proposal: with nothing eligible, a refresh
                # would find nothing to do. Most children are skipped at the cost of a pure evaluation.
                if not any(d.eligible for d in evaluate_all(child_facts(child=child, today=today))):
                    continue
                keep_share = 0.6 if child.area_id in demo_villages else 0.03
                proposals = categories.proposals_refresh(
                    child=child, user=staff.director(child.area_id), today=today
                )
                for proposal in proposals:
                    if rng.random() < keep_share:
                        pending += 1
                        continue
                    categories.proposal_confirm(
                        user=staff.reviewer(child, proposal.category),
                        proposal=proposal,
                        note="经入户走访核实",
                        evidence=EVIDENCE.get(proposal.category, "村（居）委会走访核实"),
                        today=today,
                    )
    return pending


def _parents_come_home(staff: _Staff, today) -> None:
    """A few parents of the demo villages came home last month: the rules propose ending left-behind."""
    for village in (demo.VILLAGE_A, demo.VILLAGE_B):
        held = CategoryAssignment.objects.filter(
            child__area_id=village, category="left_behind_both", ended_on__isnull=True
        ).order_by("child_id")[:3]
        for assignment in held:
            away = PersonSituation.objects.filter(
                child_id=assignment.child_id,
                person__relation="father",
                kind="working_away",
                ended_on__isnull=True,
            ).first()
            if away is not None:
                services.situation_end(
                    user=staff.director(village),
                    situation=away,
                    ended_on=today - datetime.timedelta(days=20),
                    today=today,
                )
