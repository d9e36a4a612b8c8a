"""Merge two files of one child (合并重复档案) field by field, and undo a merge (撤销合并).

Merging keeps one file (the survivor) with the values chosen field by field; the other file's
family members, situations, categories and the records other apps keep about the child (visits,
cases, reports, assessments) move to the survivor. The merged file keeps its status, points at
the survivor (`merged_into`) and drops out of lists, search and the identity-number index.

A MergeRecord keeps the survivor's fields before and after, the merged file's identity fields and
every row moved or ended, so `child_unmerge` puts everything back. Both are logged on both files
(access log action "change", detail {"merge": ...} / {"unmerge": ...}).

Two files with two different valid identity numbers are never merged: they are two children
(twins, siblings) until someone corrects a number.
"""

import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core import clock
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.core.scope import user_may
from seedling.registry import categories, idnumber, search
from seedling.registry.models import (
    CategoryAssignment,
    CategoryProposal,
    Child,
    DuplicateCandidate,
    MergeRecord,
    SearchToken,
)
from seedling.registry.names import pinyin_of
from seedling.registry.services import CHILD_FIELDS
from seedling.registry.validation import check_child, clean_name

ID_FIELDS = ("id_number_cipher", "id_number_hash", "id_number_mask", "id_number_last4")
RESTORED = (*CHILD_FIELDS, "name_pinyin", *ID_FIELDS)
MERGE_END_REASON = "与重复档案合并"  # stored text, matched on unmerge: not translated
# Rows that are not moved: derived (rebuilt by their app), history (stays where it was written), the
# queue itself, and rows the merge handles on its own.
NOT_MOVED = {
    "registry.searchtoken",
    "registry.categoryproposal",
    "registry.duplicatecandidate",
    "registry.mergerecord",
    "fieldwork.childvisitstatus",
    "inbox.task",
}


def _refresh_derived(*children: Child, user, today) -> None:
    """Rebuild what other apps derive from a file's rows (visit due dates and their tasks)."""
    if apps.is_installed("seedling.fieldwork"):
        from seedling.fieldwork.status import visit_status_recompute

        for child in children:
            visit_status_recompute(child=child, today=today, user=user)


def merge_refusal(a: Child, b: Child) -> str:
    """Why these two files cannot be merged ("" when they can)."""
    if a.pk == b.pk:
        return _("不能把档案与自身合并。")
    if a.merged_into_id or b.merged_into_id:
        return _("其中一份档案已合并到其他档案。")
    if a.id_number_hash and b.id_number_hash and a.id_number_hash != b.id_number_hash:
        return _(
            "两份档案的身份证号都有效且不同，是两名儿童（如双胞胎、兄弟姐妹），不能合并。"
            "如确属同一儿童，请先核实并更正错误的身份证号。"
        )
    return ""


def _dump(child: Child, name: str):
    field = Child._meta.get_field(name)
    value = getattr(child, field.attname)
    return value.isoformat() if isinstance(value, datetime.date) else value


def _load(child: Child, name: str, value) -> None:
    field = Child._meta.get_field(name)
    setattr(child, field.attname, value if field.is_relation else field.to_python(value))


def _snapshot(child: Child) -> dict:
    return {name: _dump(child, name) for name in RESTORED}


def _movable_models() -> list[type[models.Model]]:
    """Models of every app holding rows of a child's file under a `child` foreign key."""
    out = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in NOT_MOVED or model.__name__.startswith("Historical"):
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "child"), None)
        if field is not None and field.is_relation and field.related_model is Child and not field.primary_key:
            out.append(model)
    return out


def _require_both(user, a: Child, b: Child) -> None:
    if not (user_may(user, Action.CHANGE, a.area_id) and user_may(user, Action.CHANGE, b.area_id)):
        raise PermissionDenied(_("您没有权限修改这两份档案。"))


def _move_rows(merged: Child, survivor: Child, user, today) -> tuple[dict, dict, list]:
    """Move the merged file's rows to the survivor; returns (moved, ended, superseded) for the undo."""
    ended = {}
    held = set(
        CategoryAssignment.objects.filter(child=survivor, ended_on__isnull=True).values_list(
            "category", flat=True
        )
    )
    # One open assignment per category and child: the merged file's copy of a category both hold ends.
    for row in CategoryAssignment.objects.filter(child=merged, ended_on__isnull=True, category__in=held):
        ended[str(row.pk)] = None
        row.ended_on, row.end_reason, row.ended_by = today, MERGE_END_REASON, user
        row.save(update_fields=["ended_on", "end_reason", "ended_by", "updated_at"])
    pending = CategoryProposal.objects.filter(child=merged, status=CategoryProposal.Status.PENDING)
    superseded = list(pending.values_list("pk", flat=True))
    pending.update(status=CategoryProposal.Status.SUPERSEDED)
    moved = {}
    for model in _movable_models():
        pks = list(model.objects.filter(child=merged).values_list("pk", flat=True))
        if not pks:
            continue
        try:
            with transaction.atomic():
                model.objects.filter(pk__in=pks).update(child=survivor)
        except IntegrityError:
            raise ValidationError(
                _("两份档案都有进行中的“%(what)s”，不能并入同一份档案；请先办结其中一份再合并。")
                % {"what": model._meta.verbose_name}
            ) from None
        moved[model._meta.label_lower] = pks
    return moved, ended, superseded


@transaction.atomic
def child_merge(
    *,
    user,
    candidate: DuplicateCandidate,
    keep: Child,
    choices: dict[str, str],
    versions: dict[int, int],
    today: datetime.date | None = None,
) -> MergeRecord:
    """Merge the candidate pair into `keep`; `choices` maps a field to "merged" to take the other file's value.

    Refused for two different valid identity numbers (two children), stale pages (`versions` are the
    versions the page showed) and users who may not change both files. The identity number is taken
    from whichever file has one.
    """
    today = today or clock.today()
    pair = {candidate.child_id, candidate.other_id}
    if keep.pk not in pair:
        raise ValueError("keep must be one of the pair")
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=pair).select_related("area")}
    survivor, merged = locked[keep.pk], locked[(pair - {keep.pk}).pop()]
    _require_both(user, survivor, merged)
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateCandidate.Status.PENDING:
        raise ValidationError({"status": _("这对档案已经处理过了。")})
    refusal = merge_refusal(survivor, merged)
    if refusal:
        raise ValidationError({"id_number": refusal})

    values = {
        name: getattr(merged if choices.get(name) == "merged" else survivor, name) for name in CHILD_FIELDS
    }
    id_source = survivor if survivor.id_number_hash else merged
    number = id_source.reveal_id_number()
    errors: dict[str, str] = {}
    values["name"] = clean_name(values["name"], errors)
    check_child(values, idnumber.parse(number, today=today) if number else None, errors, today)
    if errors:
        raise ValidationError(errors)
    if not user_may(user, Action.CHANGE, values["area"].code):
        raise PermissionDenied(_("您没有权限把档案放到该村（居）。"))

    before = {"child": _snapshot(survivor), "merged": _snapshot(merged)}
    for name, value in values.items():
        setattr(survivor, name, value)
    survivor.name_pinyin = pinyin_of(survivor.name)
    for name in ID_FIELDS:
        setattr(survivor, name, getattr(id_source, name))
        setattr(merged, name, "")
    merged.merged_into, merged.merged_at = survivor, timezone.now()
    save_versioned(merged, expected_version=versions.get(merged.pk, -1))
    save_versioned(survivor, expected_version=versions.get(survivor.pk, -1))
    moved, ended, superseded = _move_rows(merged, survivor, user, today)
    taken = sorted(
        n for n in CHILD_FIELDS if choices.get(n) == "merged" and before["child"][n] != _dump(survivor, n)
    )
    record = MergeRecord.objects.create(
        child=survivor, merged=merged, candidate=candidate, merged_by=user,
        choices={n: "merged" for n in taken},
        before={**before, "after": _snapshot(survivor), "moved": moved, "ended": ended, "superseded": superseded},
    )  # fmt: skip
    candidate.status, candidate.decided_by, candidate.decided_at = (
        DuplicateCandidate.Status.MERGED, user, timezone.now()
    )  # fmt: skip
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    SearchToken.objects.filter(child=merged).delete()
    search.index_child(survivor)
    detail = {
        "record": record.pk,
        "merged": merged.pk,
        "fields": taken,
        "moved": {k: len(v) for k, v in moved.items()},
    }
    audit_log(user=user, action="change", obj=survivor, detail={"merge": detail})
    audit_log(
        user=user, action="change", obj=merged, detail={"merge": {"record": record.pk, "into": survivor.pk}}
    )
    categories.proposals_refresh(child=survivor, user=user, today=today)
    _refresh_derived(survivor, merged, user=user, today=today)
    return record


@transaction.atomic
def child_unmerge(
    *, user, record: MergeRecord, reason: str, today: datetime.date | None = None
) -> MergeRecord:
    """Undo a merge: the merged file comes back with its identity number and everything that moved.

    A field of the survivor edited since the merge keeps its new value (listed in the log as kept).
    """
    today = today or clock.today()
    record = MergeRecord.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None:
        raise ValidationError({"record": _("这次合并已经撤销。")})
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请说明撤销合并的理由。")})
    locked = {
        c.pk: c for c in Child.objects.select_for_update().filter(pk__in=[record.child_id, record.merged_id])
    }
    survivor, merged = locked[record.child_id], locked[record.merged_id]
    _require_both(user, survivor, merged)
    old, after = record.before["child"], record.before["after"]
    kept = []
    for name in (*CHILD_FIELDS, "name_pinyin"):
        if old[name] != after[name]:
            if _dump(survivor, name) == after[name]:
                _load(survivor, name, old[name])
            else:
                kept.append(name)
    if survivor.id_number_hash == after["id_number_hash"]:
        for name in ID_FIELDS:
            _load(survivor, name, old[name])
    for name in ID_FIELDS:
        _load(merged, name, record.before["merged"][name])
    merged.merged_into, merged.merged_at = None, None
    save_versioned(survivor, expected_version=survivor.version)
    save_versioned(merged, expected_version=merged.version)
    for label, pks in record.before.get("moved", {}).items():
        apps.get_model(label).objects.filter(pk__in=pks, child=survivor).update(child=merged)
    CategoryAssignment.objects.filter(
        pk__in=[int(pk) for pk in record.before.get("ended", {})], end_reason=MERGE_END_REASON
    ).update(ended_on=None, end_reason="", ended_by=None)
    for pk in record.before.get("superseded", []):
        try:
            with transaction.atomic():
                CategoryProposal.objects.filter(pk=pk).update(status=CategoryProposal.Status.PENDING)
        except IntegrityError:
            pass  # a newer proposal for the same change is pending: it stands
    record.undone_at, record.undone_by, record.undo_reason = timezone.now(), user, reason[:300]
    record.save(update_fields=["undone_at", "undone_by", "undo_reason", "updated_at"])
    if record.candidate_id:
        DuplicateCandidate.objects.filter(pk=record.candidate_id).update(
            status=DuplicateCandidate.Status.PENDING,
            decided_by=None,
            decided_at=None,
            updated_at=timezone.now(),
        )
    search.index_child(survivor)
    search.index_child(merged)
    for child, other in ((survivor, merged), (merged, survivor)):
        detail = {"unmerge": {"record": record.pk, "other": other.pk, "kept": kept}}
        audit_log(user=user, action="change", obj=child, detail=detail, reason=reason)
    categories.proposals_refresh(child=survivor, user=user, today=today)
    categories.proposals_refresh(child=merged, user=user, today=today)
    _refresh_derived(survivor, merged, user=user, today=today)
    return record
