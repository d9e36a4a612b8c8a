"""Writing checked rows: what registry.services.child_register does for one child, done for a batch.

The form's path costs about 25 ms a child (a dozen queries, one row at a time); a county's roster
would take an hour. Here a batch is a few raw bulk inserts (exchange.bulk), with the same rows the
form writes:
- the child, parents and carer, and the parents' situations, identity numbers encrypted with a
  blind index and a mask (registry.services._set_id_number), pinyin (registry.names.pinyin_of),
  each with its change-history row (simple_history: "+", the importing user, the same moment);
- the village's director and the township's supervisor responsible (services._auto_responsible);
- the search keys (registry.search.child_tokens, written like search.index_children_bulk does);
- the category proposals registry.categories.proposals_refresh makes for a new file: the rules are
  evaluated on the row's facts (registry.rules.evaluate_all) and each eligible category becomes a
  pending proposal with the same facts snapshot and reasons (a new child holds no category and has
  no earlier decision, so nothing else of proposals_refresh applies);
- the access log: a "create" row for the child, each person and each situation, like the form, and
  "duplicate_override" with the reason for a row that went on despite a possible-duplicate warning.
The caller holds the transaction: the whole file is saved, or nothing.
"""

import datetime
from functools import lru_cache
from types import SimpleNamespace

from django.utils import timezone

from seedling.core.models import AccessLog
from seedling.registry import search
from seedling.registry.facts import facts_snapshot
from seedling.registry.models import CategoryProposal, Child, Person, PersonSituation
from seedling.registry.names import pinyin_of
from seedling.registry.services import CHILD_FIELDS, _auto_responsible, _set_id_number

from .bulk import RawTable, new_uuid, reserve_ids
from .rules import RowDraft

_ID_ATTRS = ("id_number_cipher", "id_number_hash", "id_number_mask", "id_number_last4")
_LABELS = {m: m._meta.label_lower for m in (Child, Person, PersonSituation)}


def _token_order(row: tuple) -> tuple:
    return row[2], row[1], row[0]


@lru_cache(maxsize=20_000)
def _pinyin(name: str) -> str:
    return pinyin_of(name)


@lru_cache(maxsize=5_000)  # a name's keys are many (every reading): the common names are enough
def _name_keys(name: str) -> frozenset[str]:
    return frozenset(search.child_tokens(SimpleNamespace(name=name), ()))


def _identity(context: str, facts) -> dict:
    holder = SimpleNamespace(id_context=context)
    _set_id_number(holder, facts)
    return {a: getattr(holder, a) for a in _ID_ATTRS}


class RosterWriter:
    """Saves batches of checked rows for one import; `source` (ip, path, job) goes into the access log."""

    def __init__(self, *, user, today: datetime.date, reason: str = "", source: dict | None = None):
        self.user, self.today = user, today
        self.reason = (reason or "").strip()
        source = source or {}
        self.ip, self.path, self.job = (
            source.get("ip"),
            (source.get("path") or "")[:300],
            source.get("job", ""),
        )
        self._responsible: dict[str, tuple] = {}
        self._tables: dict | None = None
        self.written = 0
        self._ranges: list[list[int]] = []  # ids of the children written, as [first, last] runs

    def holds(self, child_id: int) -> bool:
        """Whether this import wrote the child (ids are reserved in runs, so a few ranges hold them)."""
        return any(first <= child_id <= last for first, last in self._ranges)

    def _remember(self, ids: list[int]) -> None:
        for child_id in ids:
            if self._ranges and self._ranges[-1][1] + 1 == child_id:
                self._ranges[-1][1] = child_id
            else:
                self._ranges.append([child_id, child_id])

    def _table(self, key: str) -> RawTable:
        if self._tables is None:
            self._tables = {
                "child": RawTable(Child),
                "child_history": RawTable(Child.history.model, with_pk=False),
                "person": RawTable(Person),
                "person_history": RawTable(Person.history.model, with_pk=False),
                "situation": RawTable(PersonSituation),
                "situation_history": RawTable(PersonSituation.history.model, with_pk=False),
                "proposal": RawTable(CategoryProposal, with_pk=False),
                "log": RawTable(AccessLog, with_pk=False),
            }
        return self._tables[key]

    def _people_in_charge(self, area_code: str) -> tuple:
        if area_code not in self._responsible:
            found = _auto_responsible(area_code)
            self._responsible[area_code] = tuple(
                u.pk if u else None for u in (found["director"], found["supervisor"])
            )
        return self._responsible[area_code]

    def write(self, rows: list[RowDraft]) -> int:
        """Save the rows (all checked, none with errors) and everything that comes with a new file."""
        if not rows:
            return 0
        now = timezone.now()
        user_id = self.user.pk
        stamp = {"created_at": now, "updated_at": now}
        history = {"history_date": now, "history_type": "+", "history_user_id": user_id}
        child_ids = reserve_ids(Child, len(rows))
        self._remember(child_ids)
        children, persons, situations, kept = [], [], [], []
        for row, child_id in zip(rows, child_ids, strict=True):
            fields = row.fields
            area = fields["area"]
            director, supervisor = self._people_in_charge(area.code)
            child = {k: v for k, v in fields.items() if k in CHILD_FIELDS and k not in ("area", "hukou_area")}
            child.update(
                stamp,
                id=child_id,
                uuid=new_uuid(),
                area_id=area.code,
                hukou_area_id=fields["hukou_area"].code if fields["hukou_area"] is not None else None,
                name_pinyin=_pinyin(fields["name"]),
                director_id=director,
                supervisor_id=supervisor,
                created_by_id=user_id,
                duplicate_override_reason=self.reason[:300] if row.warned else "",
                **_identity(Child.id_context, row.id_facts),
            )
            children.append(child)
            for member in row.members:
                person = dict(member["person"], **stamp)
                person.update(
                    child_id=child_id,
                    uuid=new_uuid(),
                    name_pinyin=_pinyin(person["name"]),
                    **_identity(Person.id_context, member.get("id_facts")),
                )
                persons.append(person)
                if member["situation"] is not None:
                    kept.append((person, member["situation"]))
        for person, person_id in zip(persons, reserve_ids(Person, len(persons)), strict=True):
            person["id"] = person_id
        for (person, fields), situation_id in zip(kept, reserve_ids(PersonSituation, len(kept)), strict=True):
            situation = dict(fields, **stamp)
            situation.update(id=situation_id, child_id=person["child_id"], person_id=person["id"])
            situation["recorded_by_id"] = user_id
            situations.append(situation)

        for key, batch in (("child", children), ("person", persons), ("situation", situations)):
            self._table(key).insert(batch)
            self._table(f"{key}_history").insert([{**r, **history} for r in batch])
        self._index(children, persons)
        self._propose(rows, children, now)
        self._log(rows, children, persons, situations, now)
        self.written += len(children)
        return len(children)

    def _index(self, children: list[dict], persons: list[dict]) -> None:
        family: dict[int, list] = {c["id"]: [] for c in children}
        for person in persons:
            family[person["child_id"]].append((person["name"], person["phone"]))
        tokens = []
        for child in children:
            # search.child_tokens is the name's keys plus the family's: the name's part is cached
            # (names repeat across a roster, their readings are the costly part).
            keys = _name_keys(child["name"]) | search.family_tokens(family[child["id"]])
            tokens += [(child["id"], child["area_id"], t) for t in keys]
        # In index order: appending to the (token, area, child) b-tree beats inserting at random places.
        tokens.sort(key=_token_order)
        search._insert(tokens)

    def _propose(self, rows: list[RowDraft], children: list[dict], now) -> None:
        proposals = []
        for row, child in zip(rows, children, strict=True):
            snapshot = None
            for d in row.decisions:  # evaluate_all(row.facts), worked out when the row was checked
                if not d.eligible:  # a new file holds no category: only assignments are proposed
                    continue
                snapshot = snapshot or facts_snapshot(row.facts)
                reasons = [r.to_json() for r in d.reasons] + [
                    {**w.to_json(), "warning": True} for w in d.warnings
                ]
                proposals.append(
                    {
                        "created_at": now,
                        "updated_at": now,
                        "child_id": child["id"],
                        "category": d.category,
                        "kind": CategoryProposal.Kind.ASSIGN.value,
                        "rule_code": d.rule_code,
                        "facts": snapshot,
                        "reasons": reasons,
                        "proposed_by_id": self.user.pk,
                    }
                )
        self._table("proposal").insert(proposals)

    def _entry(self, action: str, model, pk: int, child: dict, now, reason: str = "") -> dict:
        return {
            "at": now,
            "user_id": self.user.pk,
            "username": self.user.username,
            "action": action,
            "object_type": _LABELS[model],
            "object_id": str(pk),
            "child_id": child["id"],
            "area_code": child["area_id"],
            "reason": reason[:500],
            "ip": self.ip,
            "path": self.path,
            "detail": {"import": self.job} if self.job else {},
        }

    def _log(self, rows, children, persons, situations, now) -> None:
        by_id = {c["id"]: c for c in children}
        entries = []
        for row, child in zip(rows, children, strict=True):
            entries.append(self._entry("create", Child, child["id"], child, now))
            if row.warned and self.reason:
                entries.append(self._entry("duplicate_override", Child, child["id"], child, now, self.reason))
        entries += [self._entry("create", Person, p["id"], by_id[p["child_id"]], now) for p in persons]
        entries += [
            self._entry("create", PersonSituation, s["id"], by_id[s["child_id"]], now) for s in situations
        ]
        self._table("log").insert(entries)
