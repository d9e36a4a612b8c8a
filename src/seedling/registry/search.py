"""Child search (儿童检索) and the name side of the duplicate check.

Contract:
- index_child(child) / index_children_bulk(children): rebuild the SearchToken rows of children.
- search_children(*, user, query, base=None, limit=50) -> list[Child]: area-scoped, best first.
- near_duplicates(*, user, name, name_pinyin, birth_date, exclude_pk=None) -> list[Child]

Search must narrow by an indexed key before it ranks (DESIGN.md, performance envelope: a trigram
scan over millions of names takes seconds; FTS5 trigram misses two-character names). Every key of a
child is a SearchToken row (token, area_code, child) under one b-tree index, so a query is an
index-only lookup of exact tokens or a token range, already limited to the user's area prefixes;
only then are at most CANDIDATES children read and ranked.

A token is a one-letter kind followed by the value, with no punctuation: a range over letters sorts
the same in the C, en_US and zh_CN collations, so the pinyin prefix range stays correct on any
PostgreSQL database as well as on SQLite.
"""

import datetime
import re
from collections import defaultdict
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from rapidfuzz import fuzz

from seedling.core.scope import area_q, collapse_prefixes, restrict

from . import idnumber
from .models import Child, Person, SearchToken
from .names import compact, initials, is_han, normalize_latin, pinyin_readings, split_name
from .phone import InvalidPhone, normalize_phone

NAME_GRAM = "c"  # the child's name: each Han character and each pair of neighbouring characters
FULL_NAME = "f"  # the child's whole name, separators removed
PINYIN = "p"  # the whole name's pinyin, every reading, no spaces: pzhangwei
GIVEN = "g"  # the given name's pinyin (each part of a middle-dot name), every reading
INITIALS = "i"  # first letters of the syllables, every reading: izw
FAMILY_GRAM = "n"  # family members' and carers' names, as NAME_GRAM
PHONE = "t"  # family members' and carers' normalised phone numbers

CANDIDATES = 500  # children read and ranked per search at most
TOKEN_MAX = 64  # SearchToken.token max_length
READINGS = 32  # readings of one name indexed at most (heteronyms multiply)
BATCH = 1000

_ID_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")
_LAST4 = re.compile(r"^[0-9]{3}[0-9X]$")
_PHONE_SHAPE = re.compile(r"^\+?[0-9\s\-()（）]+$")


def _token(kind: str, value: str) -> str:
    return (kind + value)[:TOKEN_MAX]


def _grams(text: str) -> set[str]:
    """Han characters and pairs of neighbouring Han characters of `text` (separators removed)."""
    chars = compact(text)
    grams = {c for c in chars if is_han(c)}
    grams |= {a + b for a, b in zip(chars, chars[1:], strict=False) if is_han(a) and is_han(b)}
    return grams


def _query_grams(text: str) -> set[str]:
    """What a typed Han query must match: all its pairs, or the character itself if it is one."""
    chars = "".join(c for c in compact(text) if is_han(c))
    if len(chars) == 1:
        return {chars}
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _name_tokens(name: str) -> set[str]:
    tokens = {_token(NAME_GRAM, g) for g in _grams(name)}
    if compact(name):
        tokens.add(_token(FULL_NAME, compact(name)))
    for reading in pinyin_readings(name, READINGS):
        tokens.add(_token(PINYIN, "".join(reading)))
        tokens.add(_token(INITIALS, initials(reading)))
    split = split_name(name)
    givens = [split.given] if split.surname else (list(split.parts) if len(split.parts) > 1 else [])
    for given in givens:
        for reading in pinyin_readings(given, READINGS, with_surname=False):
            tokens.add(_token(GIVEN, "".join(reading)))
    return tokens


def child_tokens(child: Child, persons) -> set[str]:
    """Every search key of a child; `persons` are (name, phone) pairs of the file's family and carers."""
    return _name_tokens(child.name) | family_tokens(persons)


def family_tokens(persons) -> set[str]:
    """The keys a child is found by through its family: names of members and carers, their phones."""
    tokens: set[str] = set()
    for name, phone in persons:
        tokens |= {_token(FAMILY_GRAM, g) for g in _grams(name or "")}
        try:
            number = normalize_phone(phone or "")
        except InvalidPhone:
            number = ""
        if number:
            tokens.add(_token(PHONE, number))
    return tokens


def _insert(rows: list[tuple[int, str, str]]) -> None:
    """Write (child_id, area_code, token) rows raw: the ORM's per-object cost is most of an import.

    DESIGN.md: raw bulk insert runs at ~500k rows/s (SQLite executemany, PostgreSQL COPY).
    """
    if not rows:
        return
    meta = SearchToken._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(f).column) for f in ("child", "area_code", "token"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 -- names only
                for row in rows:
                    copy.write_row(row)
        else:
            # The raw sqlite3 cursor: Django's wrapper rewrites the placeholders of every row.
            cursor.connection.cursor().executemany(f"INSERT INTO {table} ({columns}) VALUES (?, ?, ?)", rows)  # noqa: S608


@transaction.atomic
def index_child(child: Child) -> None:
    """Rebuild one child's search keys, under the child's current area (a moved file moves its keys)."""
    # Two writers reindexing the same child at once would both insert: take the child's row lock first.
    list(Child.objects.select_for_update().filter(pk=child.pk).values_list("pk", flat=True))
    persons = Person.objects.filter(child=child).values_list("name", "phone")
    SearchToken.objects.filter(child=child).delete()
    _insert([(child.pk, child.area_id, t) for t in sorted(child_tokens(child, persons))])


def index_children_bulk(children, *, batch_size: int = BATCH) -> int:
    """Rebuild the search keys of many children (imports, reindexing) in batches; returns rows written."""
    written = 0
    iterator = iter(children)
    while chunk := list(islice(iterator, batch_size)):
        ids = [c.pk for c in chunk]
        persons = defaultdict(list)
        for child_id, name, phone in Person.objects.filter(child_id__in=ids).values_list(
            "child_id", "name", "phone"
        ):
            persons[child_id].append((name, phone))
        rows = [(c.pk, c.area_id, t) for c in chunk for t in sorted(child_tokens(c, persons[c.pk]))]
        SearchToken.objects.filter(child_id__in=ids).delete()
        _insert(rows)
        written += len(rows)
    return written


def index_rebuild_all(*, batch_size: int = BATCH) -> int:
    """Rebuild every child's search keys (after a change of the token scheme)."""
    children = Child.objects.only("pk", "name", "area").order_by("pk").iterator(chunk_size=batch_size)
    return index_children_bulk(children, batch_size=batch_size)


# --- reading -------------------------------------------------------------------------------------


def _token_scope(user) -> Q | None:
    """The user's view scope on SearchToken's own area_code column (None: the user sees nothing).

    Filtering the token's copy of the area keeps the lookup inside the (token, area_code, child) index;
    the children found are still passed through core.scope.restrict before anything is returned.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    prefixes = collapse_prefixes(user.area_prefixes("view"))
    if not prefixes:
        return None
    condition = Q()
    if "" in prefixes:
        return condition
    for prefix in prefixes:
        # A village is a whole code: equality lets the (area_code, token, child) index read only the
        # village's tokens, where a range over the token would walk the province's (BENCHMARKS.md).
        condition |= Q(area_code=prefix) if len(prefix) == 12 else area_q("area_code", prefix)
    return condition


def _village_scope(user) -> Q | None:
    """The user's scope for a token range: a county's or township's villages one by one.

    A range of tokens (a pinyin prefix) under a county filtered by an area range walks the
    province's part of the range in the (token, area_code, child) index (240,000 keys for "zh");
    `area_code IN (the villages)` instead seeks the (area_code, token, child) index once per village
    and reads only the scope's own keys. Province- and city-wide scopes keep the area range.
    """
    from seedling.geo.models import Division  # geo is below registry; imported here, where it is used

    if user is None or not user.is_authenticated or not user.is_active:
        return None
    prefixes = collapse_prefixes(user.area_prefixes("view"))
    if not prefixes:
        return None
    if "" in prefixes:
        return Q()
    condition = Q()
    for prefix in prefixes:
        if len(prefix) == 12:
            condition |= Q(area_code=prefix)
        elif len(prefix) in (6, 9):
            villages = Division.objects.filter(area_q("code", prefix), level=Division.Level.VILLAGE)
            condition |= Q(area_code__in=villages.values("code"))
        else:
            condition |= area_q("area_code", prefix)
    return condition


def _upper_bound(prefix: str) -> str | None:
    """The smallest lower-case string above every string starting with `prefix` (letters only)."""
    stripped = prefix.rstrip("z")
    return stripped[:-1] + chr(ord(stripped[-1]) + 1) if stripped else None


def _exact(scope: Q, tokens) -> list[tuple[int, str]]:
    return list(
        SearchToken.objects.filter(scope, token__in=list(tokens)).values_list("child_id", "token")[
            :CANDIDATES
        ]
    )


def _prefix(scope: Q, token: str) -> list[tuple[int, str]]:
    """Tokens starting with `token`, shortest (the exact match) first: a b-tree range, never LIKE '%x%'."""
    qs = SearchToken.objects.filter(scope, token__gte=token)
    upper = _upper_bound(token)
    if upper is not None:
        qs = qs.filter(token__lt=upper)
    return list(qs.order_by("token").values_list("child_id", "token")[:CANDIDATES])


def _all_of(scope: Q, tokens: set[str]) -> list[int]:
    """Children holding every one of `tokens` (all pairs of characters of the query)."""
    if len(tokens) == 1:  # no grouping needed: the scan can stop at the cap
        return [child_id for child_id, _t in _exact(scope, tokens)]
    return list(
        SearchToken.objects.filter(scope, token__in=list(tokens))
        .values("child_id")
        .annotate(hits=Count("token"))  # a child's tokens are unique (index_child writes a set)
        .filter(hits__gte=len(tokens))  # >=: a stray duplicate row must not hide the child
        .values_list("child_id", flat=True)[:CANDIDATES]
    )


def _add(tiers: dict[int, int], child_ids, tier: int) -> None:
    for child_id in child_ids:
        if tiers.get(child_id, 99) > tier:
            tiers[child_id] = tier


def _han_candidates(scope: Q, text: str) -> dict[int, int]:
    """child id → tier: 0 exact name, 1 name starts with the query, 2 name contains it, 4 family name.

    Steps run best tier first and stop once CANDIDATES children are found: later ones rank below.
    """
    tiers: dict[int, int] = {}
    wanted = _query_grams(text)
    steps = [
        (0, lambda: (c for c, _t in _exact(scope, [_token(FULL_NAME, text)]))),
        (2, lambda: _all_of(scope, {_token(NAME_GRAM, g) for g in wanted})),
        (4, lambda: _all_of(scope, {_token(FAMILY_GRAM, g) for g in wanted})),
    ]
    for tier, step in steps:
        if wanted and len(tiers) < CANDIDATES:
            _add(tiers, step(), tier)
    return tiers


def _latin_candidates(scope: Q, text: str, ranges: Q | None = None) -> dict[int, int]:
    """child id → tier: 0 whole pinyin, 1 pinyin prefix, 2 given-name pinyin, 3 its prefix, 4 initials.

    `ranges` is the scope for the prefix ranges (_village_scope), `scope` when not given.
    """
    tiers: dict[int, int] = {}
    ranges = scope if ranges is None else ranges
    whole, given = _token(PINYIN, text), _token(GIVEN, text)
    if len(text) >= 2:  # one letter is no useful prefix: it would only read a long range
        for child_id, token in _prefix(ranges, whole):
            _add(tiers, [child_id], 0 if token == whole else 1)
        if len(tiers) < CANDIDATES:
            for child_id, token in _prefix(ranges, given):
                _add(tiers, [child_id], 2 if token == given else 3)
    if len(tiers) < CANDIDATES:
        _add(tiers, (c for c, _t in _exact(scope, [_token(INITIALS, text)])), 4)
    return tiers


def _id_candidates(number: str) -> dict[int, int]:
    from .services import id_hash  # services imports this module

    digest = id_hash(number)
    tiers: dict[int, int] = {}
    _add(tiers, Child.objects.filter(id_number_hash=digest).values_list("pk", flat=True)[:CANDIDATES], 0)
    # A parent's or carer's number finds their child; the scope is applied to the children found.
    persons = Person.objects.filter(id_number_hash=digest)
    _add(tiers, persons.values_list("child_id", flat=True)[:CANDIDATES], 1)
    return tiers


def _last4_candidates(user, last4: str) -> dict[int, int]:
    children = restrict(Child.objects.filter(id_number_last4=last4), user, "view")
    return dict.fromkeys(children.values_list("pk", flat=True)[:CANDIDATES], 0)


def _phone_query(text: str) -> str:
    if not _PHONE_SHAPE.match(text):
        return ""
    try:
        return normalize_phone(text)
    except InvalidPhone:
        return ""


def _candidates(user, scope: Q, query: str) -> tuple[dict[int, int], str, str]:
    """(child id → tier, what kind of query, the normalised query) for the typed text."""
    text = query.strip()
    number = idnumber.normalize(text)
    if _ID_SHAPE.match(number):
        return _id_candidates(number), "id", number
    if _LAST4.match(number):
        return _last4_candidates(user, number), "id", number
    phone = _phone_query(text)
    if phone:
        return dict.fromkeys((c for c, _t in _exact(scope, [_token(PHONE, phone)])), 0), "phone", phone
    if any(is_han(c) for c in text):
        han = "".join(c for c in compact(text) if is_han(c))
        return _han_candidates(scope, han), "han", han
    latin = normalize_latin(text)
    if latin:
        return _latin_candidates(scope, latin, _village_scope(user)), "latin", latin
    return {}, "", ""


def _rank_key(row: tuple, tier: int, kind: str, text: str) -> tuple:
    pk, name, name_pinyin = row
    # Stored names are already clean (validation.clean_name) and name_pinyin is ours: no normalising.
    if kind == "han":
        plain = name.replace("·", "").replace(" ", "")
        if tier == 2:  # the name holds every pair of the query: is it the start, or inside?
            tier = 1 if plain.startswith(text) else 2
        score = fuzz.ratio(plain, text)
    elif kind == "latin":
        score = fuzz.ratio(name_pinyin.replace(" ", ""), text)
    else:
        score = 0
    return (tier, -score, name, pk)


def search_children(*, user, query: str, base=None, limit: int = 50) -> list[Child]:
    """Children the user may view matching `query`, best first (issue: 儿童检索).

    The query may be a Chinese name or part of one, full pinyin (with or without spaces), pinyin
    initials, an identity number (whole, or its last four characters), a family member's or
    carer's name or phone number. `base` is an unsliced Child queryset (list filters) to intersect.
    """
    scope = _token_scope(user)
    if scope is None or not (query or "").strip():
        return []
    tiers, kind, text = _candidates(user, scope, query)
    if not tiers:
        return []
    qs = base if base is not None else Child.objects.select_related("area")
    qs = restrict(qs.filter(pk__in=list(tiers)), user, "view")
    # Rank on three columns, then load whole files (and base's prefetches) for the top `limit` only.
    rows = qs.order_by().values_list("pk", "name", "name_pinyin")
    top = [row[0] for row in sorted(rows, key=lambda r: _rank_key(r, tiers[r[0]], kind, text))[:limit]]
    # One id list per query: with both lists PostgreSQL multiplies their selectivities, expects one row
    # and walks the county's area index instead of the primary key.
    final = base if base is not None else Child.objects.select_related("area")
    children = {c.pk: c for c in restrict(final, user, "view").filter(pk__in=top)}
    return [children[pk] for pk in top if pk in children]


def _birth_condition(birth_date: datetime.date) -> Q:
    """Born within the window of `birth_date`, or on the day with month and day swapped (typing slip)."""
    window = datetime.timedelta(days=settings.SEEDLING_DUPLICATE_BIRTH_WINDOW_DAYS)
    condition = Q(birth_date__gte=birth_date - window, birth_date__lte=birth_date + window)
    try:
        swapped = birth_date.replace(month=birth_date.day, day=birth_date.month)
    except ValueError:
        return condition
    return condition | Q(birth_date=swapped)


def near_duplicates(*, user, name, name_pinyin, birth_date, exclude_pk=None, limit: int = 20) -> list[Child]:
    """Files the user can view that may be the same child: same name or same pinyin, near birth date.

    Same pinyin under any reading catches homophones typed with another character (张伟/章伟).
    """
    scope = _token_scope(user)
    if scope is None or not compact(name or "") or birth_date is None:
        return []
    tokens = {_token(FULL_NAME, compact(name))}
    tokens |= {_token(PINYIN, "".join(r)) for r in pinyin_readings(name, READINGS)}
    if normalize_latin(name_pinyin or ""):
        tokens.add(_token(PINYIN, normalize_latin(name_pinyin)))
    matches = SearchToken.objects.filter(scope, token__in=sorted(tokens)).values("child_id")
    qs = restrict(Child.objects.filter(_birth_condition(birth_date), pk__in=matches), user, "view")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    found = list(qs.select_related("area").order_by("pk")[: limit * 5])
    same = compact(name)
    found.sort(key=lambda c: (compact(c.name) != same, abs((c.birth_date - birth_date).days), c.pk))
    return found[:limit]
