"""Comparison features of two child records, each reduced to a level (pure: no database).

A record is what a file says about the child's identity: name, sex, birth date, identity number,
village and the names of parents or guardians. `prepare` derives, once per record, what every
comparison needs (simplified characters, readings of each character, the parts of the name);
`compare` turns a pair into one level per feature, which registry.linkage.scoring weighs.

Levels of the name fit Chinese names: the same characters; traditional and simplified forms of the
same characters (張偉/张伟); the same sound written with other characters (子涵/梓涵: input methods
offer homophones first); similar-looking characters (己/已, 未/末); neighbouring sounds of
southern speech (n/l, zh/z, an/ang); the given name's characters in swapped order (浩明/明浩); one
character simply different (浩然/浩宇: the pattern of siblings, weighed against a match).
"""

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin

from seedling.registry.names import compact, is_han, name_options, split_name

from .chars import fuzzy_syllable, lookalike, simplified

ID_SEQUENCE = range(14, 17)  # positions of the sequence number in an 18-character identity number
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_LATIN = re.compile(r"[A-Za-z]+")


@dataclass(slots=True)
class Record:
    """What one file says about who the child is; `key` identifies the file (a pk, a row number)."""

    key: object
    name: str
    sex: str = ""
    birth_date: datetime.date | None = None
    id_number: str = ""
    area_code: str = ""
    guardians: tuple[str, ...] = ()  # names of parents and guardians


@dataclass(frozen=True, slots=True, eq=False)
class NameInfo:
    raw: str  # the name as typed (the cache key of comparisons)
    plain: str  # separators removed
    name: str  # simplified
    latin: bool  # typed in pinyin letters, not characters
    surname: str
    given: str
    surname_py: str  # default reading, no separators: "zhang"
    given_py: str
    full_py: str  # surname_py + given_py (or the typed letters)
    surname_readings: tuple[frozenset[str], ...]
    given_readings: tuple[frozenset[str], ...]


@dataclass(slots=True)
class Prepared:
    key: object
    name: NameInfo
    sex: str
    birth: datetime.date | None
    birth_digits: str  # YYYYMMDD
    id_number: str
    id_valid: bool
    area: str
    guardians: frozenset[str]
    guardians_py: frozenset[str]


@lru_cache(maxsize=20_000)
def char_readings(char: str) -> frozenset[str]:
    """Every toneless reading of one character (ü typed as u and as v)."""
    readings = set()
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0]:
        if reading.isascii() and reading.isalpha():
            readings.add(reading)
            readings.add(reading.replace("v", "u"))
    return frozenset(readings) or frozenset({char})


@lru_cache(maxsize=20_000)
def _fuzzy(readings: frozenset[str]) -> frozenset[str]:
    return frozenset(fuzzy_syllable(r) for r in readings)


@lru_cache(maxsize=200_000)
def name_info(raw: str) -> NameInfo:
    """Analyse a name once: simplified form, surname and given name, readings of each character."""
    plain = compact(raw)
    name = simplified(plain)
    if plain and not any(is_han(c) for c in plain):
        words = [w.lower() for w in _LATIN.findall(raw or "")]
        surname_py = words[0] if len(words) > 1 else ""
        given_py = "".join(words[1:]) if len(words) > 1 else "".join(words)
        return NameInfo(
            raw, plain, name.lower(), True, "", "", surname_py, given_py, surname_py + given_py, (), ()
        )
    parts = split_name(simplified((raw or "").strip()))
    surname = parts.surname
    given = compact(parts.given) if parts.surname else name
    options = name_options(name)
    default = [o[0].replace("v", "u") for o in options]
    cut = len(surname)
    surname_py, given_py = "".join(default[:cut]), "".join(default[cut:])
    return NameInfo(
        raw=raw,
        plain=plain,
        name=name,
        latin=False,
        surname=surname,
        given=given,
        surname_py=surname_py,
        given_py=given_py,
        full_py=surname_py + given_py,
        surname_readings=tuple(char_readings(c) for c in surname),
        given_readings=tuple(char_readings(c) for c in given),
    )


def id_valid(number: str) -> bool:
    """Shape and check character of GB 11643 (the date is not re-checked: only the pair is compared)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = 0
    for char, weight in zip(number, _WEIGHTS, strict=False):
        total += (ord(char) - 48) * weight
    return _CHECK[total % 11] == number[17]


def prepare(record: Record) -> Prepared:
    """Derive once what every comparison of this record needs."""
    number = (record.id_number or "").strip().upper()
    guardians, guardians_py = _guardian_sets(
        record.guardians if isinstance(record.guardians, tuple) else tuple(record.guardians)
    )
    birth = record.birth_date
    return Prepared(
        key=record.key,
        name=name_info(record.name or ""),
        sex=record.sex or "",
        birth=birth,
        birth_digits=f"{birth.year:04d}{birth.month:02d}{birth.day:02d}" if birth else "",
        id_number=number,
        id_valid=id_valid(number),
        area=record.area_code or "",
        guardians=guardians,
        guardians_py=guardians_py,
    )


@lru_cache(maxsize=500_000)
def _guardian_sets(names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(simplified names, their readings) of parents and guardians; cached: parents' names recur."""
    infos = [name_info(g) for g in names if g]
    simple = frozenset(i.name for i in infos if i.name)
    return simple, frozenset(name_info(g).full_py for g in simple)


# --- one feature at a time; each returns a level -------------------------------------------------


@lru_cache(maxsize=200_000)
def _char_relation(a: str, ra: frozenset, b: str, rb: frozenset) -> str:
    if a == b:
        return "same"
    if lookalike(a, b):  # before sound: 王/玉 share a rare reading, but the slip is of the eye
        return "lookalike"
    if ra & rb:
        return "homophone"
    if _fuzzy(ra) & _fuzzy(rb):
        return "near_sound"
    return "other"


def _chars_level(a: str, ra: tuple, b: str, rb: tuple) -> str:
    """Level of two equally long runs of characters, compared position by position."""
    relations = [_char_relation(x, rx, y, ry) for x, rx, y, ry in zip(a, ra, b, rb, strict=True)]
    kinds = set(relations) - {"same"}
    if not kinds:
        return "same"
    if kinds == {"homophone"}:
        return "homophone"
    if "other" not in kinds:
        return "lookalike" if "lookalike" in kinds else "near_sound"
    if relations.count("other") == 1 and len(kinds) == 1 and len(a) >= 2:
        return "one_char"
    return "differ"


def surname_level(a: NameInfo, b: NameInfo) -> str:
    if a.latin or b.latin:
        if not a.surname_py or not b.surname_py:
            return "missing"
        return "homophone" if a.surname_py == b.surname_py else "differ"
    if not a.surname or not b.surname:
        return "missing"
    if len(a.surname) != len(b.surname):
        return "differ"
    level = _chars_level(a.surname, a.surname_readings, b.surname, b.surname_readings)
    return "differ" if level == "one_char" else level


def given_level(a: NameInfo, b: NameInfo) -> str:
    """same, variant, homophone, lookalike, near_sound, swapped, partial, one_char, differ, missing."""
    if a.latin or b.latin:
        # Letters cannot be cut into syllables reliably: only the whole reading is compared.
        same = a.full_py == b.full_py or (a.given_py and a.given_py == b.given_py)
        return "homophone" if same else "differ"
    x, y = a.given, b.given
    if not x or not y:
        return "missing"
    if x == y:
        return "variant" if a.plain != b.plain and a.name == b.name else "same"
    if len(x) == len(y):
        level = _chars_level(x, a.given_readings, y, b.given_readings)
        if level in ("one_char", "differ") and len(x) >= 2 and sorted(x) == sorted(y):
            return "swapped"
        return level
    if x in y or y in x:
        return "partial"
    return "differ"


def birth_level(a: Prepared, b: Prepared) -> str:
    """same, swapped (month and day), one_digit, near (within two months: lunar date), differ, missing."""
    if a.birth is None or b.birth is None:
        return "missing"
    if a.birth == b.birth:
        return "same"
    x, y = a.birth, b.birth
    if x.year == y.year and x.month == y.day and x.day == y.month:
        return "swapped"
    if _one_typo(a.birth_digits, b.birth_digits):
        return "one_digit"
    if abs((x - y).days) <= 62:
        return "near"
    return "differ"


def _one_typo(x: str, y: str) -> bool:
    """One character wrong, or two neighbouring characters swapped."""
    diff = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]]


def id_level(a: Prepared, b: Prepared) -> str:
    """same, typo (one digit off), typo_sequence (one digit of the sequence number), differ, missing.

    Two different valid numbers mean two children; twins' numbers often differ in one digit of the
    sequence number only, so that case is its own level (see `compare`). The check character catches
    every single-digit typo, so a number one digit off another is itself valid only when the check
    character was recomputed or the child was registered twice (一人多号).
    """
    x, y = a.id_number, b.id_number
    if not x or not y:
        return "missing"
    if x == y:
        return "same"
    if not (a.id_valid and b.id_valid):
        return "differ_invalid"
    diff = [i for i, (p, q) in enumerate(zip(x[:17], y[:17], strict=True)) if p != q]
    if not (len(diff) == 1 or _one_typo(x[:17], y[:17])):
        return "differ"
    return "typo_sequence" if any(i in ID_SEQUENCE for i in diff) else "typo"


def sex_level(a: Prepared, b: Prepared) -> str:
    if not a.sex or not b.sex:
        return "missing"
    return "same" if a.sex == b.sex else "differ"


def area_level(a: Prepared, b: Prepared) -> str:
    """village, township, county, elsewhere, missing (12-digit village codes)."""
    if not a.area or not b.area:
        return "missing"
    if a.area == b.area:
        return "village"
    if a.area[:9] == b.area[:9]:
        return "township"
    if a.area[:6] == b.area[:6]:
        return "county"
    return "elsewhere"


def guardians_level(a: Prepared, b: Prepared) -> str:
    """both, one, one_other_differs, differ, missing: parents' and guardians' names in common.

    A name counts as shared when the characters or the sound agree (a homophone typed for the
    mother's name). One common parent's name alone is weak (张伟 is the commonest name in China);
    both parents' names together mark a family.
    """
    if not a.guardians or not b.guardians:
        return "missing"
    shared = len(a.guardians & b.guardians)
    if shared < min(len(a.guardians), len(b.guardians)):
        shared = max(shared, len(a.guardians_py & b.guardians_py))
    if shared >= 2:
        return "both"
    if shared == 1:
        return "one" if min(len(a.guardians), len(b.guardians)) == 1 else "one_other_differs"
    return "differ"


FEATURES = ("id", "surname", "given", "birth", "sex", "area", "guardians")


_NAME_PAIRS: dict[tuple[str, str], tuple[str, str]] = {}
NAME_PAIRS_MAX = 3_000_000


def name_levels(a: NameInfo, b: NameInfo) -> tuple[str, str]:
    """(surname level, given-name level); cached: the same pairs of names recur across a register."""
    key = (a.raw, b.raw)
    levels = _NAME_PAIRS.get(key)
    if levels is None:
        if len(_NAME_PAIRS) >= NAME_PAIRS_MAX:
            _NAME_PAIRS.clear()
        levels = _NAME_PAIRS[key] = (surname_level(a, b), given_level(a, b))
    return levels


def compare(a: Prepared, b: Prepared) -> tuple[str, ...]:
    """One level per feature, in the order of FEATURES.

    One interaction is kept: numbers one digit apart in the sequence number are twins' numbers
    unless the whole name is the same (twins never share a name), so that case is its own level.
    """
    number = id_level(a, b)
    surname, given = name_levels(a.name, b.name)
    if number == "typo_sequence" and given in ("same", "variant") and surname in ("same", "missing"):
        number = "typo_sequence_same_name"
    return (
        number,
        surname,
        given,
        birth_level(a, b),
        sex_level(a, b),
        area_level(a, b),
        guardians_level(a, b),
    )
