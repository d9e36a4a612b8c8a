"""Children's files as linkage records, and the candidates of one file found through the indexes.

Identity numbers are decrypted here, only in memory and only to compare them digit by digit (the
blind index finds equal numbers, not numbers one digit apart); they are never logged or stored.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import Q

from seedling.core.crypto import decrypt_text
from seedling.core.scope import area_q
from seedling.registry import search
from seedling.registry.choices import PARENT_RELATIONS
from seedling.registry.models import Child, Person, SearchToken
from seedling.registry.names import compact, is_han, normalize_latin, pinyin_readings

from .features import Record

CHILD_COLUMNS = ("pk", "name", "sex", "birth_date", "id_number_cipher", "area_id")
BATCH = 5000
CANDIDATES_MAX = 2000  # files read to compare with one new file, at most


def _number(cipher: str) -> str:
    return decrypt_text(cipher, context=Child.id_context) if cipher else ""


def guardians_of(child_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Names of parents and guardians on each file (those whose names say who the family is)."""
    out: dict[int, list[str]] = defaultdict(list)
    rows = Person.objects.filter(child_id__in=list(child_ids)).filter(
        Q(relation__in=PARENT_RELATIONS) | Q(is_guardian=True)
    )
    for child_id, name in rows.order_by("child_id", "pk").values_list("child_id", "name"):
        if name not in out[child_id]:
            out[child_id].append(name)
    return {k: tuple(v) for k, v in out.items()}


def _records(rows: list[tuple]) -> list[Record]:
    guardians = guardians_of(r[0] for r in rows)
    return [
        Record(key=pk, name=name, sex=sex, birth_date=birth, id_number=_number(cipher), area_code=area,
               guardians=guardians.get(pk, ()))
        for pk, name, sex, birth, cipher, area in rows
    ]  # fmt: skip


def records_of(children) -> list[Record]:
    """Records of a queryset or list of children."""
    if isinstance(children, list):
        rows = [(c.pk, c.name, c.sex, c.birth_date, c.id_number_cipher, c.area_id) for c in children]
    else:
        rows = list(children.values_list(*CHILD_COLUMNS))
    return _records(rows)


def records_in_area(area_prefix: str, *, batch: int = BATCH) -> Iterator[Record]:
    """Records of every file in an area (merged files left out), read in batches of `batch`."""
    qs = Child.objects.filter(area_q("area", area_prefix), merged_into__isnull=True).order_by("pk")
    rows = qs.values_list(*CHILD_COLUMNS).iterator(chunk_size=batch)
    while chunk := list(islice(rows, batch)):
        yield from _records(chunk)


def _swapped(day: datetime.date) -> datetime.date | None:
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


def candidate_ids(child: Child) -> set[int]:
    """Files that share a blocking key with `child`, found through indexes (registry.linkage.blocking).

    The same identity number anywhere; the same or month-and-day-swapped birth date anywhere (every
    name error, moves); the same pinyin under any reading in the county (any birth-date error).
    """
    condition = Q(birth_date__in=[d for d in (child.birth_date, _swapped(child.birth_date)) if d])
    if child.id_number_hash:
        condition |= Q(id_number_hash=child.id_number_hash)
    found = set(
        Child.objects.filter(condition, merged_into__isnull=True)
        .exclude(pk=child.pk)
        .values_list("pk", flat=True)[:CANDIDATES_MAX]
    )
    readings = {"".join(r) for r in pinyin_readings(child.name, search.READINGS)}
    if not any(is_han(c) for c in compact(child.name)):
        readings.add(normalize_latin(child.name))  # typed in letters: the letters are the pinyin
    tokens = sorted((search.PINYIN + r)[: search.TOKEN_MAX] for r in readings if r)
    if tokens:
        same_sound = list(
            SearchToken.objects.filter(area_q("area_code", child.area_id[:6]), token__in=tokens)
            .exclude(child_id=child.pk)
            .values_list("child_id", flat=True)[:CANDIDATES_MAX]
        )
        found |= set(
            Child.objects.filter(pk__in=same_sound, merged_into__isnull=True).values_list("pk", flat=True)
        )
    return found
