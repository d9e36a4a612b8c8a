"""Reads of the duplicate queue and of merges, always through the area scope.

A pair is visible only to a user who may view BOTH files: the queue never tells a director about a
child outside their village, not even that a file elsewhere looks like one of theirs.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from seedling.core.audit import audit_log
from seedling.core.scope import area_q, restrict
from seedling.registry.models import Child, DuplicateCandidate, MergeRecord
from seedling.registry.services import CHILD_FIELDS

from . import records, scoring


def _visible_children(user, action: str) -> QuerySet:
    return restrict(Child.objects.all(), user, action).values("pk")


def duplicate_queue(*, user, status: str = DuplicateCandidate.Status.PENDING, area: str = "") -> QuerySet:
    """Pairs the user may see (both files in scope), highest score first; merged files left out."""
    qs = restrict(DuplicateCandidate.objects.all(), user, "view").filter(
        other__in=_visible_children(user, "view")
    )
    if status:
        qs = qs.filter(status=status)
    if status == DuplicateCandidate.Status.PENDING:
        qs = qs.filter(child__merged_into__isnull=True, other__merged_into__isnull=True)
    if area:
        qs = qs.filter(area_q("child__area", area) | area_q("other__area", area))
    return qs.select_related("child", "child__area", "other", "other__area").order_by("-score", "pk")


def candidate_get(*, user, pk: int) -> DuplicateCandidate:
    """One pair the user may see, or 404 (existence outside the scope is not revealed)."""
    candidate = duplicate_queue(user=user, status="").filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


def candidate_open(*, user, pk: int) -> DuplicateCandidate:
    """Open a pair to compare the two files: both reads are written to the access log."""
    candidate = candidate_get(user=user, pk=pk)
    for child in (candidate.child, candidate.other):
        audit_log(user=user, action="view", obj=child, detail={"duplicate": candidate.pk})
    return candidate


def explain(candidate: DuplicateCandidate) -> scoring.Score:
    """The stored score with its parts, for the page (feature → level → weight, in words)."""
    return scoring.score_from_json(candidate.parts, candidate.context)


@dataclass
class FieldRow:
    name: str
    label: str
    left: str
    right: str
    differs: bool


def _display(child: Child, name: str) -> str:
    field = Child._meta.get_field(name)
    value = getattr(child, name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(child, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def merge_rows(candidate: DuplicateCandidate) -> list[FieldRow]:
    """Each field of the two files side by side (identity numbers masked), differing ones marked."""
    a, b = candidate.child, candidate.other
    rows = []
    for name in CHILD_FIELDS:
        left, right = _display(a, name), _display(b, name)
        label = str(Child._meta.get_field(name).verbose_name)
        rows.append(FieldRow(name, label, left, right, left != right))
    return rows


def family_of(child: Child) -> tuple[str, ...]:
    """Names of the parents and guardians on a file (shown beside the score's guardians part)."""
    return records.guardians_of([child.pk]).get(child.pk, ())


def merge_list(*, user) -> QuerySet:
    """Merges of files the user may view (survivor and merged file), newest first."""
    return (
        restrict(MergeRecord.objects.all(), user, "view")
        .filter(merged__in=_visible_children(user, "view"))
        .select_related("child", "merged", "merged_by", "undone_by")
        .order_by("-created_at", "-pk")
    )


def merge_get(*, user, pk: int) -> MergeRecord:
    """One merge of files the user may view, or 404."""
    record = merge_list(user=user).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record
