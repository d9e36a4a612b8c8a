"""Every write to a child's file (一人一档) goes through these functions.

Each one validates with the same rules whatever the entry path (page, API, import, demo data),
checks the area scope, writes, reindexes search, refreshes category proposals and logs, in one
transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.crypto import blind_index, encrypt_text
from seedling.core.locking import save_versioned
from seedling.core.scope import user_may

from . import categories, duplicates, idnumber, search
from .models import Child, Person, PersonSituation
from .names import pinyin_of
from .signals import child_relocated
from .validation import check_child, check_situation, clean_id_number, clean_name, clean_phone

CHILD_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "no_id_reason",
    "ethnic_group",
    "hukou_type",
    "hukou_area",
    "area",
    "address",
    "resident_since",
    "lives_alone",
    "school",
    "grade",
    "in_full_time_study",
    "health",
    "health_notes",
    "disability_type",
    "disability_grade",
    "disability_difficulty",
    "family_economic_difficulty",
    "economic_difficulty_basis",
    "guardianship_failure",
    "guardianship_failure_notes",
    "status",
    "status_changed_on",
    "director",
    "supervisor",
)
PERSON_FIELDS = (
    "relation",
    "name",
    "phone",
    "is_guardian",
    "is_delegated_carer",
    "lives_with_child",
    "health",
    "capacity",
    "notes",
)
SITUATION_FIELDS = (
    "kind",
    "started_on",
    "ended_on",
    "place",
    "outside_county",
    "evidence_type",
    "evidence_ref",
    "notes",
)


def id_hash(number: str) -> str:
    """Blind index of an identity number: the same for a child and a person, so either finds the other."""
    return blind_index(number, purpose="id_number")


def _set_id_number(record, facts: idnumber.IdFacts | None) -> None:
    if facts is None:
        record.id_number_cipher = record.id_number_hash = record.id_number_mask = record.id_number_last4 = ""
        return
    record.id_number_cipher = encrypt_text(facts.number, context=record.id_context)
    record.id_number_hash = id_hash(facts.number)
    record.id_number_mask = idnumber.mask(facts.number)
    record.id_number_last4 = facts.number[-4:]


def _unknown_fields(fields: dict, allowed: tuple) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")


def _require(user, action: str, area_code: str) -> None:
    if not user_may(user, action, area_code):
        raise PermissionDenied(_("您没有权限在该区域进行此操作。"))


@transaction.atomic
def child_create(
    *, user, fields: dict, id_number: str = "", duplicate_reason: str = "", today: datetime.date | None = None
) -> Child:
    """Register a child. Raises ValidationError (field → message), DuplicateIdBlocked, PossibleDuplicates."""
    _unknown_fields(fields, CHILD_FIELDS)
    today = today or clock.today()
    errors: dict[str, str] = {}
    values = dict(fields)
    values["name"] = clean_name(values.get("name", ""), errors)
    facts = clean_id_number(id_number, errors, today=today)
    check_child(values, facts, errors, today)
    if errors:
        raise ValidationError(errors)
    _require(user, Action.ADD, values["area"].code)
    values["name_pinyin"] = pinyin_of(values["name"])
    duplicates.entry_check(
        user=user,
        name=values["name"],
        name_pinyin=values["name_pinyin"],
        birth_date=values["birth_date"],
        id_hash=id_hash(facts.number) if facts else "",
        reason=duplicate_reason,
    )
    child = Child(**values, created_by=user, duplicate_override_reason=duplicate_reason[:300])
    _set_id_number(child, facts)
    child.save()
    search.index_child(child)
    audit_log(user=user, action="create", obj=child)
    if duplicate_reason:
        audit_log(user=user, action="duplicate_override", obj=child, reason=duplicate_reason)
    categories.proposals_refresh(child=child, user=user, today=today)
    return child


@transaction.atomic
def child_update(
    *,
    user,
    child: Child,
    expected_version: int,
    fields: dict,
    id_number: str | None = None,
    today: datetime.date | None = None,
) -> Child:
    """Edit a child's file; refuses a stale save (StaleEdit). `id_number=None` keeps the stored one."""
    _unknown_fields(fields, CHILD_FIELDS)
    today = today or clock.today()
    _require(user, Action.CHANGE, child.area_id)
    errors: dict[str, str] = {}
    values = {name: getattr(child, name) for name in CHILD_FIELDS}
    values.update(fields)
    values["name"] = clean_name(values.get("name", ""), errors)
    if id_number is None:
        number = child.reveal_id_number()
        facts = idnumber.parse(number) if number else None
    else:
        facts = clean_id_number(id_number, errors, today=today)
    check_child(values, facts, errors, today)
    if errors:
        raise ValidationError(errors)
    if values["area"].code != child.area_id:
        # Moving a file out of one's own area is a transfer (the receiving side accepts), not an edit.
        _require(user, Action.CHANGE, values["area"].code)
    if facts is not None and id_hash(facts.number) != child.id_number_hash:
        duplicates.entry_check(
            user=user,
            name=values["name"],
            name_pinyin=pinyin_of(values["name"]),
            birth_date=values["birth_date"],
            id_hash=id_hash(facts.number),
            exclude_pk=child.pk,
            reason="-",
        )
    changed = sorted(n for n in CHILD_FIELDS if getattr(child, n) != values[n])
    for name, value in values.items():
        setattr(child, name, value)
    child.name_pinyin = pinyin_of(child.name)
    if id_number is not None:
        if (facts and id_hash(facts.number)) != (child.id_number_hash or None):
            changed.append("id_number")
        _set_id_number(child, facts)
    save_versioned(child, expected_version=expected_version)
    search.index_child(child)
    audit_log(user=user, action="change", obj=child, detail={"fields": changed})
    categories.proposals_refresh(child=child, user=user, today=today)
    return child


def child_reveal_id_number(*, user, child: Child, reason: str) -> str:
    """Show a full identity number: needs the reveal permission and a reason; always logged."""
    _require(user, Action.REVEAL, child.area_id)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请说明查看完整身份证号的理由。")})
    audit_log(user=user, action="reveal", obj=child, reason=reason)
    return child.reveal_id_number()


def _clean_person(values: dict, id_number: str | None, errors: dict, today) -> idnumber.IdFacts | None:
    values["name"] = clean_name(values.get("name", ""), errors)
    values["phone"] = clean_phone(values.get("phone", ""), errors)
    if not values.get("relation"):
        errors["relation"] = _("请选择与儿童的关系。")
    return clean_id_number(id_number or "", errors, today=today) if id_number is not None else None


@transaction.atomic
def person_create(*, user, child: Child, fields: dict, id_number: str = "", today=None) -> Person:
    """Add a parent, guardian, delegated carer or other family member to a child's file."""
    _unknown_fields(fields, PERSON_FIELDS)
    today = today or clock.today()
    _require(user, Action.CHANGE, child.area_id)
    errors: dict[str, str] = {}
    values = dict(fields)
    facts = _clean_person(values, id_number, errors, today)
    if errors:
        raise ValidationError(errors)
    person = Person(child=child, **values, name_pinyin=pinyin_of(values["name"]))
    _set_id_number(person, facts)
    person.save()
    search.index_child(child)
    audit_log(user=user, action="create", obj=person, child=child)
    categories.proposals_refresh(child=child, user=user, today=today)
    return person


@transaction.atomic
def person_update(
    *, user, person: Person, expected_version: int, fields: dict, id_number: str | None = None, today=None
) -> Person:
    _unknown_fields(fields, PERSON_FIELDS)
    today = today or clock.today()
    _require(user, Action.CHANGE, person.child.area_id)
    errors: dict[str, str] = {}
    values = {name: getattr(person, name) for name in PERSON_FIELDS}
    values.update(fields)
    facts = _clean_person(values, id_number, errors, today)
    if errors:
        raise ValidationError(errors)
    changed = sorted(n for n in PERSON_FIELDS if getattr(person, n) != values[n])
    for name, value in values.items():
        setattr(person, name, value)
    person.name_pinyin = pinyin_of(person.name)
    if id_number is not None:
        _set_id_number(person, facts)
        changed.append("id_number")
    save_versioned(person, expected_version=expected_version)
    search.index_child(person.child)
    audit_log(user=user, action="change", obj=person, child=person.child, detail={"fields": changed})
    categories.proposals_refresh(child=person.child, user=user, today=today)
    return person


@transaction.atomic
def situation_add(*, user, person: Person, fields: dict, today=None) -> PersonSituation:
    """Record a person's situation (working away since ..., imprisoned, deceased, ...) with evidence."""
    _unknown_fields(fields, SITUATION_FIELDS)
    today = today or clock.today()
    _require(user, Action.CHANGE, person.child.area_id)
    errors: dict[str, str] = {}
    if not fields.get("kind"):
        errors["kind"] = _("请选择状况。")
    check_situation(fields, errors, today)
    if errors:
        raise ValidationError(errors)
    situation = PersonSituation.objects.create(child=person.child, person=person, recorded_by=user, **fields)
    audit_log(user=user, action="create", obj=situation, child=person.child)
    categories.proposals_refresh(child=person.child, user=user, today=today)
    return situation


@transaction.atomic
def situation_end(
    *, user, situation: PersonSituation, ended_on: datetime.date, today=None
) -> PersonSituation:
    """A situation is over (a parent came home, was released): kept with its end date, never deleted."""
    today = today or clock.today()
    _require(user, Action.CHANGE, situation.child.area_id)
    errors: dict[str, str] = {}
    check_situation(
        {"kind": situation.kind, "started_on": situation.started_on, "ended_on": ended_on}, errors, today
    )
    if ended_on > today:
        errors["ended_on"] = _("结束日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    situation.ended_on = ended_on
    situation.save(update_fields=["ended_on", "updated_at"])
    audit_log(
        user=user, action="change", obj=situation, child=situation.child, detail={"fields": ["ended_on"]}
    )
    categories.proposals_refresh(child=situation.child, user=user, today=today)
    return situation


def _auto_responsible(area_code: str) -> dict:
    """The village's director and the township's supervisor become responsible for a new file."""
    from seedling.accounts.models import Membership
    from seedling.accounts.roles import Role

    director = Membership.objects.filter(
        role=Role.VILLAGE_DIRECTOR, area_id=area_code, is_active=True
    ).first()
    supervisor = Membership.objects.filter(
        role=Role.TOWNSHIP_SUPERVISOR, area_id=area_code[:9], is_active=True
    ).first()
    return {
        "director": director.user if director else None,
        "supervisor": supervisor.user if supervisor else None,
    }


@transaction.atomic
def child_register(
    *,
    user,
    fields: dict,
    id_number: str = "",
    family: list[dict] = (),
    duplicate_reason: str = "",
    today: datetime.date | None = None,
) -> Child:
    """Register a child with parents and carer in one step (一人一表): all of it is saved, or nothing.

    `family` items: {"prefix": form prefix, "person": PERSON_FIELDS values, "id_number": str,
    "situation": SITUATION_FIELDS values or None}. Errors come back keyed "<prefix>-<field>".
    """
    values = dict(fields)
    for key, value in _auto_responsible(values["area"].code if values.get("area") else "").items():
        values[key] = values.get(key) or value
    child = child_create(
        user=user, fields=values, id_number=id_number, duplicate_reason=duplicate_reason, today=today
    )
    for member in family:
        prefix = member["prefix"]
        try:
            person = person_create(
                user=user,
                child=child,
                fields=member["person"],
                id_number=member.get("id_number", ""),
                today=today,
            )
            if member.get("situation"):
                situation_add(user=user, person=person, fields=member["situation"], today=today)
        except ValidationError as exc:
            raise ValidationError({f"{prefix}-{k}": v for k, v in exc.message_dict.items()}) from exc
    return child


@transaction.atomic
def child_relocate(
    *,
    user,
    child: Child,
    area,
    reason: str,
    today: datetime.date | None = None,
    transfer_id: int | None = None,
) -> Child:
    """Move a child's file to another village: the last step of a transfer the receiving side accepted.

    Only the cases app's transfer service calls this, after checking the transfer: the receiving side
    may hold no CHANGE right at the old area, so only the new area is checked here. The file moves
    with the area scope (the sending side loses access, the receiving side gains it), its search keys
    move, the new village's director and township supervisor become responsible, proposals are
    re-evaluated and the move is logged with where from and where to.
    """
    today = today or clock.today()
    _require(user, Action.CHANGE, area.code)
    if area.level != "village" or area.retired_in is not None:
        raise ValidationError({"area": _("请选择迁入的村（居）委会。")})
    child = Child.objects.select_for_update().get(pk=child.pk)
    old = child.area_id
    if old == area.code:
        raise ValidationError({"area": _("迁入地与现居地相同。")})
    responsible = _auto_responsible(area.code)
    child.area = area
    child.director, child.supervisor = responsible["director"], responsible["supervisor"]
    save_versioned(child, expected_version=child.version)
    search.index_child(child)
    audit_log(
        user=user,
        action="change",
        obj=child,
        reason=reason,
        detail={"moved_from": old, "moved_to": area.code, "transfer": transfer_id},
    )
    categories.proposals_refresh(child=child, user=user, today=today)
    # Other apps move what they keep by area (open visit tasks, ...) to the new area.
    child_relocated.send(sender=Child, child=child, old_area=old, user=user)
    return child
