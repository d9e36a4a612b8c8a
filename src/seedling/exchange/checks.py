"""The checks of a batch of rows that need the database: villages, area scope, duplicates.

Per batch, not per row: one query finds the villages a batch names, one the identity numbers already
registered, one the registered children with the same name or pinyin. The duplicate rules are the
entry check's (registry.duplicates): the same identity number on another child's file blocks (the
same message, and another area's file is not disclosed); the same name or the same pinyin under any
reading with a birth date within SEEDLING_DUPLICATE_BIRTH_WINDOW_DAYS, or with month and day swapped,
among the files the user can view, warns. Within the file the same holds between rows.
"""

import datetime
import re
from collections import defaultdict
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.scope import area_q, collapse_prefixes, user_may
from seedling.geo.models import Division
from seedling.registry.duplicates import DuplicateIdBlocked
from seedling.registry.models import Child, SearchToken
from seedling.registry.names import compact, pinyin_readings
from seedling.registry.search import FULL_NAME, PINYIN, READINGS, _token, _token_scope
from seedling.registry.services import id_hash

from .rules import RowDraft, row_check
from .seen import SeenRows

_DIGITS = re.compile(r"^\d{2,12}$")
_VILLAGE_SUFFIXES = (
    "村民委员会",
    "居民委员会",
    "社区居委会",
    "社区居民委员会",
    "村委会",
    "居委会",
    "委员会",
    "社区",
    "村",
    "居",
)
_TOWN_SUFFIXES = ("街道办事处", "街道", "镇", "乡")
_LEVEL_LENGTHS = (2, 4, 6, 9, 12)
QUERY_CHUNK = 2000


def significant_code(code: str) -> str:
    """330723101000 → 330723101: the stored prefix of a code written padded with zeros."""
    for length in _LEVEL_LENGTHS:
        if len(code) >= length and not code[length:].strip("0"):
            return code[:length]
    return code


def _strip(name: str, suffixes) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _birth_keys(birth: datetime.date) -> tuple[int, int, int, int]:
    window = settings.SEEDLING_DUPLICATE_BIRTH_WINDOW_DAYS
    try:
        swapped = birth.replace(month=birth.day, day=birth.month).toordinal()
    except ValueError:
        swapped = -1
    ordinal = birth.toordinal()
    return ordinal, ordinal - window, ordinal + window, swapped


@lru_cache(maxsize=20_000)
def name_tokens(name: str) -> frozenset[str]:
    """The search keys the entry check compares: the whole name, and its pinyin under every reading.

    Cached: names repeat across a county's roster, and the readings are the costly part.
    """
    whole = compact(name)
    if not whole:
        return frozenset()
    tokens = {_token(FULL_NAME, whole)}
    tokens |= {_token(PINYIN, "".join(r)) for r in pinyin_readings(name, READINGS)}
    return frozenset(tokens)


class BatchChecker:
    """Checks batches of one file for one user; remembers villages and earlier rows between batches."""

    def __init__(self, *, user, today: datetime.date, seen: SeenRows, registered_up_to=None, own=None):
        self.user, self.today, self.seen = user, today, seen
        # Children this import has saved (in its own transaction) are not "already registered":
        # `own(pk)` says whether it wrote a child; `registered_up_to` (the largest child id when the
        # import began) bounds the name check's register: new ids are larger, so the bound is read in
        # the (token, area_code, child) index itself and the import's own children are never joined.
        self.registered_up_to, self.own = registered_up_to, own or (lambda pk: False)
        self.add_prefixes = collapse_prefixes(user.area_prefixes(Action.ADD))
        self._divisions: dict[str, Division | None] = {}
        self._by_name: dict[str, list[Division]] | None = None
        self._token_scope = _token_scope(user)

    # --- divisions ------------------------------------------------------------------------------

    def _load(self, codes) -> None:
        wanted = {c for c in codes if c and c not in self._divisions}
        if not wanted:
            return
        found = {d.code: d for d in Division.objects.filter(code__in=wanted)}
        for code in wanted:
            self._divisions[code] = found.get(code)

    def _villages_by_name(self) -> dict[str, list[Division]]:
        """Villages where the user may register children, by name with and without 村委会, 社区...;
        also under township name + village name (履坦镇寺后村)."""
        if self._by_name is not None:
            return self._by_name
        condition = None
        for prefix in self.add_prefixes:
            q = area_q("code", prefix)
            condition = q if condition is None else condition | q
        by_name: dict[str, list[Division]] = defaultdict(list)
        if condition is not None:
            villages = Division.objects.filter(
                condition, level=Division.Level.VILLAGE, retired_in__isnull=True
            )
            for village in villages.select_related("parent"):
                base = _strip(village.name, _VILLAGE_SUFFIXES)
                town = _strip(village.parent.name, _TOWN_SUFFIXES) if village.parent_id else ""
                keys = {village.name, base}
                if town:
                    keys |= {town + base, village.parent.name + village.name, village.parent.name + base}
                for key in keys:
                    by_name[key].append(village)
        self._by_name = dict(by_name)
        return self._by_name

    def _village(self, row: RowDraft) -> Division | None:
        text = row.area_text
        if not text:
            return None
        if _DIGITS.match(text):
            code = significant_code(text)
            division = self._divisions.get(code)
            if division is None:
                row.error("area", _("区划代码 %(code)s 不存在。") % {"code": text})
            return division
        name = re.sub(r"\s+", "", text)
        index = self._villages_by_name()
        matches = index.get(name) or index.get(_strip(name, _VILLAGE_SUFFIXES)) or []
        unique = {d.code: d for d in matches}
        if len(unique) == 1:
            return next(iter(unique.values()))
        if unique:
            codes = "、".join(sorted(unique)[:3])
            row.error(
                "area",
                _("您的辖区内有多个名为“%(name)s”的村（居）（%(codes)s）：请填写区划代码。")
                % {"name": text, "codes": codes},
            )
        else:
            row.error(
                "area",
                _("在您的辖区内没有找到名为“%(name)s”的村（居）：请填写 12 位区划代码。") % {"name": text},
            )
        return None

    # --- the batch ------------------------------------------------------------------------------

    def check(self, rows: list[RowDraft]) -> None:
        """Every check of the registration form on each row, then the duplicate checks of the batch."""
        codes = set()
        for row in rows:
            if _DIGITS.match(row.area_text):
                codes.add(significant_code(row.area_text))
            if row.hukou_code:
                codes.add(significant_code(row.hukou_code))
        self._load(codes)
        for row in rows:
            area = self._village(row)
            hukou = None
            if row.hukou_code:
                hukou = self._divisions.get(significant_code(row.hukou_code))
                if hukou is None:
                    row.error("hukou_code", _("区划代码 %(code)s 不存在。") % {"code": row.hukou_code})
            row_check(row, area=area, hukou_area=hukou, today=self.today)
            if area is not None and not any(area.code.startswith(p) for p in self.add_prefixes):
                row.error("area", _("您没有权限在该区域进行此操作。"))
        self._same_ids(rows)
        self._near_names(rows)

    def _same_ids(self, rows: list[RowDraft]) -> None:
        numbered = {row.number: row for row in rows}
        hashes = {}
        for row in rows:
            if row.id_facts is not None:
                row.digest = hashes[row.number] = id_hash(row.id_facts.number)
        pairs = self.seen.same_ids([(int(h[:15], 16), n) for n, h in hashes.items()])
        for number, earlier in pairs:
            numbered[number].error(
                "id_number", _("与第 %(n)d 行的身份证号相同：同一儿童只能登记一次。") % {"n": earlier}
            )
            if earlier in numbered:
                numbered[earlier].error(
                    "id_number", _("与第 %(n)d 行的身份证号相同：同一儿童只能登记一次。") % {"n": number}
                )
        by_hash = defaultdict(list)
        for number, digest in hashes.items():
            by_hash[digest].append(numbered[number])
        digests = list(by_hash)
        for start in range(0, len(digests), QUERY_CHUNK):
            chunk = digests[start : start + QUERY_CHUNK]
            for digest, area_code, pk in Child.objects.filter(id_number_hash__in=chunk).values_list(
                "id_number_hash", "area_id", "pk"
            ):
                if self.own(pk):
                    continue  # an earlier row of this file: already reported as a duplicate within it
                visible = user_may(self.user, Action.VIEW, area_code)
                for row in by_hash.pop(digest, ()):
                    row.error("id_number", str(DuplicateIdBlocked(None, visible)))

    def _near_names(self, rows: list[RowDraft]) -> None:
        """Warnings for possible duplicates among the files the user can view and earlier rows."""
        wanted: dict[str, list[RowDraft]] = defaultdict(list)
        probes = []
        keys: dict[int, tuple] = {}
        for row in rows:
            birth = row.fields.get("birth_date")
            if birth is None or not row.fields.get("name"):
                continue
            ordinal, low, high, swapped = keys[row.number] = _birth_keys(birth)
            for token in name_tokens(row.fields["name"]):
                wanted[token].append(row)
                probes.append((hash(token), ordinal, low, high, swapped, row.number))
        numbered = {row.number: row for row in rows}
        for number, earlier, count in self.seen.near_names(probes):
            if count == 1:
                message = _("可能与文件第 %(n)d 行是同一儿童（姓名相同或同音，出生日期相近）。") % {
                    "n": earlier
                }
            else:
                message = _(
                    "可能与文件第 %(n)d 行等 %(count)d 行是同一儿童（姓名相同或同音，出生日期相近）。"
                ) % {
                    "n": earlier,
                    "count": count,
                }
            numbered[number].warn("name", message)
        if self._token_scope is None or not wanted:
            return
        found: dict[int, set[int]] = defaultdict(set)  # row number → registered child ids near it
        for token, child_id, birth in self._registered(list(wanted)):
            day = (
                birth if isinstance(birth, datetime.date) else datetime.date.fromisoformat(birth)
            ).toordinal()
            for row in wanted[token]:
                _ordinal, low, high, swapped = keys[row.number]
                if low <= day <= high or day == swapped:
                    found[row.number].add(child_id)
        if not found:
            return
        ids = sorted({pk for pks in found.values() for pk in pks})
        shown = {
            pk: (name, birth, village, digest)
            for pk, name, birth, village, digest in Child.objects.filter(pk__in=ids).values_list(
                "pk", "name", "birth_date", "area__name", "id_number_hash"
            )
        }
        for number, child_ids in sorted(found.items()):
            row = numbered[number]
            near = [
                f"{name}（{birth.isoformat()}，{village}）"
                for name, birth, village, digest in (shown[pk] for pk in sorted(child_ids) if pk in shown)
                if digest != (row.digest or None)  # the same number is an error already, not a warning
            ]
            if near:
                who = "、".join(near[:3])
                if len(near) > 3:
                    who = _("%(who)s 等 %(n)d 名") % {"who": who, "n": len(near)}
                row.warn(
                    "name",
                    _("可能与已登记的儿童重复：%(who)s。如确认不是同一人，导入时请填写理由。") % {"who": who},
                )

    def _registered(self, tokens: list[str]):
        """(token, child id, birth date) of the registered children the user can view holding a key.

        Read through a plain cursor: a common name (张伟 among a million children) brings back many
        rows, and the ORM's per-row conversion would cost more than the query.
        """
        for start in range(0, len(tokens), QUERY_CHUNK):
            hits = SearchToken.objects.filter(
                self._token_scope, token__in=tokens[start : start + QUERY_CHUNK]
            )
            if self.registered_up_to is not None:
                hits = hits.filter(child_id__lte=self.registered_up_to)
            sql, params = hits.values_list("token", "child_id", "child__birth_date").query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                yield from cursor.fetchall()
