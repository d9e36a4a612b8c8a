"""One roster row → the child, parents and carer the registration form would save, with every problem.

Pure functions (no database): the divisions a row names are looked up per batch by the caller and
passed in. The checks are the registry's own (registry.validation, registry.services' person
cleaning, registry.rules), so a row is refused for exactly what the form refuses, with the same
message; an import adds one rule of its own (DOMAIN.md §2): a left-behind child's row must name the
delegated carer (委托照护人).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

from seedling.registry import rules as eligibility
from seedling.registry.choices import Capacity, Category, Health, Situation
from seedling.registry.services import _clean_person
from seedling.registry.validation import check_child, check_situation, clean_id_number, clean_name

from . import values
from .columns import COLUMNS
from .values import CellError

ERROR, WARNING = "error", "warning"
MEMBERS = ("father", "mother", "carer")
# Child fields read straight from a column of the same name, with the kind of value.
_CHILD_TEXT = {"address": 200, "school": 100}
_MEMBER_FIELDS = ("name", "id_number", "phone", "situation", "since", "place", "relation")


class RowDraft:
    """A row read from the file: the values the registry services take, and problems by column."""

    __slots__ = ("number", "fields", "id_number", "id_facts", "area_text", "hukou_code", "members")
    __slots__ += ("problems", "facts", "decisions", "warned", "digest")

    def __init__(self, number: int):
        self.number = number
        self.fields: dict = {}
        self.id_number = ""
        self.id_facts = None
        self.area_text = ""
        self.hukou_code = ""
        self.members: list[
            dict
        ] = []  # {"prefix", "person": PERSON_FIELDS, "id_number", "id_facts", "situation"}
        self.problems: list[tuple[str, str, str]] = []  # (column key, message, level)
        self.facts = None  # registry.rules.ChildFacts once checked
        self.decisions: list = []  # registry.rules.evaluate_all(facts): the carer check and the proposals
        self.warned = False
        self.digest = ""  # blind index of the identity number, once checked

    def error(self, key: str, message: str) -> None:
        self.problems.append((key, str(message), ERROR))

    def warn(self, key: str, message: str) -> None:
        self.problems.append((key, str(message), WARNING))
        self.warned = True

    @property
    def has_errors(self) -> bool:
        return any(level == ERROR for _k, _m, level in self.problems)


def _converters() -> dict:
    """Column key → how its cell is read (exchange.values), choice tables looked up once per file."""
    convert: dict = {}
    for column in COLUMNS:
        key, kind = column.key, column.kind
        if kind == "choice":
            if key.endswith("_situation"):
                convert[key] = values.situation
            else:
                convert[key] = values.choice_reader("relation" if key == "carer_relation" else key)
        elif kind == "date":
            convert[key] = values.date
        elif kind == "month_date":
            convert[key] = values.month_date
        elif kind == "bool":
            convert[key] = values.boolean
        elif kind == "id":
            convert[key] = values.id_number
        elif kind == "code":
            convert[key] = values.code
        else:
            convert[key] = values.text
    return convert


def row_reader(positions: dict) -> Callable[[int, list], RowDraft]:
    """A function reading one row of a file whose header is `positions` (column key → position).

    Each cell is read into its stored form; a cell that cannot be read is a problem on its column.
    Worked out once per file: an import reads every cell of up to a million rows.
    """
    convert = _converters()
    plan = [(key, position, convert[key]) for key, position in positions.items()]

    def read(number: int, cells: list) -> RowDraft:
        row = RowDraft(number)
        raw: dict = {}
        touched: set = set()
        width = len(cells)
        for key, position, reader in plan:
            if position < width:
                cell = cells[position]
                if cell is None or cell == "":
                    continue
                touched.add(key)
                try:
                    raw[key] = reader(cell)
                except CellError as exc:
                    row.error(key, str(exc))
        _assemble(row, raw, touched)
        return row

    return read


def _assemble(row: RowDraft, raw: dict, touched: set) -> None:
    get = raw.get
    grade = get("disability_grade")
    row.fields = fields = {
        "name": get("name") or "",
        "no_id_reason": get("no_id_reason") or "",
        "sex": get("sex") or "",
        "ethnic_group": get("ethnic_group") or "01",
        "hukou_type": get("hukou_type") or "",
        "grade": get("grade") or "",
        "health": get("health") or Health.HEALTHY,
        "disability_type": get("disability_type") or "",
        "disability_grade": int(grade) if grade else None,
        "birth_date": get("birth_date"),
        "resident_since": get("resident_since"),
        "in_full_time_study": bool(get("in_full_time_study")),
        "lives_alone": bool(get("lives_alone")),
        "family_economic_difficulty": bool(get("family_economic_difficulty")),
    }
    for key, limit in _CHILD_TEXT.items():
        text = get(key) or ""
        if len(text) > limit:
            row.error(key, _("不能超过 %(n)d 个字。") % {"n": limit})
        fields[key] = text[:limit]
    row.id_number = get("id_number") or ""
    row.area_text = get("area") or ""
    row.hukou_code = get("hukou_code") or ""
    for prefix in MEMBERS:
        if any(f"{prefix}_{f}" in touched for f in _MEMBER_FIELDS):
            _member(row, prefix, raw)


def _member(row: RowDraft, prefix: str, raw: dict) -> None:
    get = raw.get
    person = {"relation": prefix, "name": get(f"{prefix}_name") or "", "phone": get(f"{prefix}_phone") or ""}
    situation = None
    if prefix == "carer":
        person["relation"] = get("carer_relation") or ""
        person.update(
            is_delegated_carer=True, lives_with_child=True, health=Health.HEALTHY, capacity=Capacity.FULL
        )
    else:
        person["is_guardian"] = True
        kind = get(f"{prefix}_situation") or ""
        if kind:
            place = get(f"{prefix}_place") or ""
            if len(place) > 100:
                row.error(f"{prefix}_place", _("不能超过 %(n)d 个字。") % {"n": 100})
            situation = {
                "kind": kind,
                "started_on": get(f"{prefix}_since"),
                "place": place[:100],
                "outside_county": True,  # the form's default; the rules count time away outside the county
                "evidence_type": "",
            }
    number = get(f"{prefix}_id_number") or ""
    row.members.append({"prefix": prefix, "person": person, "id_number": number, "situation": situation})


# --- the registry's checks, once the row's divisions are known -----------------------------------

# Where the registry's field errors belong in the file.
_CHILD_ERROR_COLUMN = {"hukou_area": "hukou_code"}
_MEMBER_ERROR_COLUMN = {"started_on": "since", "ended_on": "since", "kind": "situation"}


def row_check(row: RowDraft, *, area, hukou_area, today: datetime.date) -> None:
    """The registration form's checks on the row (same rules, same messages), then the carer rule.

    `area` and `hukou_area` are the Division rows the row names (None when not found: already a
    problem on the column). On success `row.facts` holds the eligibility rules' input.
    """
    errors: dict[str, str] = {}
    fields = row.fields
    fields["name"] = clean_name(fields["name"], errors)
    facts = clean_id_number(row.id_number, errors, today=today)
    written_birth, written_sex = fields["birth_date"], fields["sex"]
    fields["area"] = area
    fields["hukou_area"] = hukou_area or area
    if area is not None or not row.area_text:
        check_child(fields, facts, errors, today)
    else:  # the village column already holds the problem; check the rest without the area
        probe = dict(fields, area=_ANY_VILLAGE)
        check_child(probe, facts, errors, today)
        fields.update({k: probe[k] for k in ("birth_date", "sex", "no_id_reason")})
    unreadable = {key for key, _m, _l in row.problems}  # "missing" would only repeat "cannot read"
    if "id_number" in errors or "id_number" in unreadable:
        # A mistyped number is the problem; "no number: give a reason" and "birth date missing"
        # would only repeat it.
        errors.pop("no_id_reason", None)
        if written_birth is None:
            errors.pop("birth_date", None)
        if not written_sex:
            errors.pop("sex", None)
    row.id_facts = facts
    for key, message in errors.items():
        column = _CHILD_ERROR_COLUMN.get(key, key)
        if column not in unreadable:
            row.error(column, message)
    for member in row.members:
        _check_member(row, member, today)
    if not row.has_errors:
        row.facts = child_facts(row, today)
        # Evaluated once: the carer rule reads the left-behind decisions, the writer proposes the rest.
        row.decisions = eligibility.evaluate_all(row.facts, settings.SEEDLING_RULES)
        _check_carer(row)


class _AnyVillage:
    """Stands in for a village not found, so the other facts of the row are still checked."""

    level = "village"
    retired_in = None
    code = ""


_ANY_VILLAGE = _AnyVillage()


def _check_member(row: RowDraft, member: dict, today: datetime.date) -> None:
    prefix = member["prefix"]
    errors: dict[str, str] = {}
    person = member["person"]
    member["id_facts"] = _clean_person(person, member["id_number"], errors, today)
    situation = member["situation"]
    if situation is not None:
        check_situation(situation, errors, today)
    unreadable = {key for key, _m, _l in row.problems}
    for key, message in errors.items():
        column = f"{prefix}_{_MEMBER_ERROR_COLUMN.get(key, key)}"
        if column not in unreadable:
            row.error(column, message)


def child_facts(row: RowDraft, today: datetime.date) -> eligibility.ChildFacts:
    """The eligibility rules' input for the row, as registry.facts builds it from a saved file."""
    fields = row.fields
    parents = []
    has_carer = False
    for member in row.members:
        person = member["person"]
        has_carer = has_carer or bool(person.get("is_delegated_carer"))
        if member["prefix"] == "carer":
            continue
        s = member["situation"]
        situations = ()
        if s is not None:
            situations = (
                eligibility.SituationFacts(
                    kind=s["kind"],
                    started_on=s["started_on"],
                    ended_on=None,
                    outside_county=s["outside_county"],
                    evidence_type=s["evidence_type"],
                ),
            )
        parents.append(eligibility.ParentFacts(member["prefix"], situations, Capacity.FULL))
    area, hukou = fields["area"], fields["hukou_area"]
    return eligibility.ChildFacts(
        birth_date=fields["birth_date"],
        reference_date=today,
        hukou_type=fields["hukou_type"],
        hukou_area_code=hukou.code if hukou is not None else "",
        current_area_code=area.code if area is not None else "",
        resident_since=fields["resident_since"],
        in_full_time_study=fields["in_full_time_study"],
        lives_alone=fields["lives_alone"],
        has_delegated_carer=has_carer,
        disability_type=fields["disability_type"],
        disability_grade=fields["disability_grade"],
        disability_difficulty=False,
        family_economic_difficulty=fields["family_economic_difficulty"],
        guardianship_failure=False,
        parents=tuple(sorted(parents, key=lambda p: p.relation)),
        status="active",
    )


def _check_carer(row: RowDraft) -> None:
    """A left-behind child (国发〔2016〕13号) must have a delegated carer on file (DOMAIN.md §2)."""
    facts = row.facts
    if facts.has_delegated_carer or not any(
        s.kind == Situation.WORKING_AWAY for p in facts.parents for s in p.situations
    ):
        return  # left-behind means a parent works away
    left_behind = {Category.LEFT_BEHIND_BOTH, Category.LEFT_BEHIND_ONE}
    if any(d.eligible for d in row.decisions if d.category in left_behind):
        row.error("carer_name", _("留守儿童须填写委托照护人（姓名、与儿童关系、联系电话）。"))
