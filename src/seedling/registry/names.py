"""Chinese names: surname/given split, display pinyin, and every reading for search (DOMAIN.md §7).

- Compound surnames (欧阳, 司马, 诸葛 ...) are split off as one surname.
- Surnames read other than their common reading (曾 zēng, 单 shàn, 仇 qiú ...) get the surname
  reading first; the common reading stays too, because people type it.
- Given-name characters with several readings (heteronyms) get every reading, so a user typing the
  right pinyin finds the child; the number of combinations is capped.
- Names of Uyghur, Tibetan and other groups use the middle dot (阿卜杜拉·艾买提): it separates parts,
  there is no surname.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin

_COMPOUND_SURNAMES = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 夏侯 司徒 司空 宇文 端木 独孤 南宫 西门 "
    "轩辕 万俟 澹台 单于 太史 申屠 公冶 濮阳 淳于 呼延 赫连 钟离 闻人 百里 东郭 左丘 拓跋 第五 亓官 "
    "司寇 仲孙 鲜于 闾丘 乐正 公羊 梁丘 谷梁 宗政 羊舌 微生 公西 漆雕 壤驷 巫马 东门 子车 颛孙 "
    "公良 南门 夹谷 宰父 段干 东里"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES.split())

# Surname readings that differ from (or are not first among) a character's common readings.
SURNAME_READINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "曾": (("zeng",),),
    "单": (("shan",),),
    "仇": (("qiu",),),
    "解": (("xie",),),
    "区": (("ou",),),
    "朴": (("piao",),),
    "查": (("zha",),),
    "盖": (("ge",),),
    "覃": (("qin",),),
    "黑": (("he",),),
    "缪": (("miao",),),
    "翟": (("zhai",),),
    "乐": (("yue",), ("le",)),
    "召": (("shao",),),
    "种": (("chong",),),
    "秘": (("bi",),),
    "冼": (("xian",),),
    "员": (("yun",),),
    "句": (("gou",),),
    "阚": (("kan",),),
    "隗": (("wei",),),
    "折": (("she",),),
    "祭": (("zhai",),),
    "宿": (("su",),),
    "逄": (("pang",),),
    "贲": (("ben",),),
    "繁": (("po",),),
    "能": (("nai",),),
    "蕃": (("pi",),),
    "任": (("ren",),),
    "那": (("na",),),
    "卜": (("bu",),),
    "薄": (("bo",),),
    "柏": (("bai",),),
    "尉迟": (("yu", "chi"),),
    "万俟": (("mo", "qi"),),
    "长孙": (("zhang", "sun"),),
    "单于": (("chan", "yu"),),
    "澹台": (("tan", "tai"),),
    "乐正": (("yue", "zheng"),),
    "令狐": (("ling", "hu"),),
    "钟离": (("zhong", "li"),),
}

SEPARATORS = "·•．.・ "
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_SPLIT = re.compile(r"[·•．.・\s]+")
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]|[A-Za-z]+")


def is_han(char: str) -> bool:
    return bool(_HAN.match(char))


def compact(name: str) -> str:
    """The name without separators (middle dot, spaces): the form searched and compared."""
    return _SPLIT.sub("", unicodedata.normalize("NFKC", name or ""))


@dataclass(frozen=True)
class NameParts:
    surname: str  # "" for names with a middle dot or a single character
    given: str  # the given name ("" when the name is only one character)
    parts: tuple[str, ...]  # middle-dot parts (one part for ordinary names)


def split_name(name: str) -> NameParts:
    """张小明 → (张, 小明); 欧阳娜娜 → (欧阳, 娜娜); 阿卜杜拉·艾买提 → no surname, parts (阿卜杜拉, 艾买提)."""
    parts = tuple(p for p in _SPLIT.split((name or "").strip()) if p)
    if len(parts) != 1:
        return NameParts("", "", parts)
    whole = parts[0]
    if not is_han(whole[0]) or len(whole) < 2:
        return NameParts("", whole, parts)
    if len(whole) >= 3 and whole[:2] in COMPOUND_SURNAMES:
        return NameParts(whole[:2], whole[2:], parts)
    return NameParts(whole[0], whole[1:], parts)


def _syllable_variants(syllable: str) -> list[str]:
    # ü is "v" in pypinyin's NORMAL style (吕 lv); many people type "u" (lu), so index both.
    return [syllable, syllable.replace("v", "u")] if "v" in syllable else [syllable]


def _dedupe(items) -> list:
    return list(dict.fromkeys(items))


@lru_cache(maxsize=20_000)
def _char_readings(char: str) -> tuple[str, ...]:
    return tuple(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


@lru_cache(maxsize=50_000)
def _han_run_options(run: str) -> tuple[tuple[str, ...], ...]:
    in_context = pinyin(run, style=Style.NORMAL, heteronym=True)
    if len(in_context) != len(run):  # pypinyin merged something: fall back to one character at a time
        in_context = [_char_readings(c) for c in run]
    options = []
    for char, phrase_readings in zip(run, in_context, strict=True):
        both = _dedupe([*phrase_readings, *_char_readings(char)])
        readings = [r for r in both if r and r.isascii() and r.isalpha()]
        options.append(tuple(_dedupe(v for r in readings for v in _syllable_variants(r))))
    return tuple(options)


def _han_options(run: str) -> list[list[str]]:
    """Readings of each character of a run of Han characters, the reading in context first.

    Cached: imports index many children whose given names repeat, and pypinyin is the slow part.
    """
    return [list(o) for o in _han_run_options(run)]


def _options(text: str) -> list[list[str]]:
    """Per position (a Han character or a run of Latin letters), the readings; default first."""
    options: list[list[str]] = []
    han_run = ""
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if is_han(piece):
            han_run += piece
            continue
        if han_run:
            options.extend(_han_options(han_run))
            han_run = ""
        options.append([piece.lower()])
    if han_run:
        options.extend(_han_options(han_run))
    return [o for o in options if o]


def _surname_options(surname: str) -> list[list[str]]:
    """Options for the surname's characters: the surname reading first, then the common ones."""
    options = _han_options(surname)
    for reading in reversed(SURNAME_READINGS.get(surname, ())):
        for i, syllable in enumerate(reading):
            options[i] = _dedupe([syllable, *options[i]])
    return options


def _combinations(options: list[list[str]], limit: int) -> list[list[str]]:
    """Readings in order of how many positions deviate from the default (first) reading, up to `limit`.

    A plain cartesian product would spend the whole budget on the last characters' variants and
    never vary the first ones; this way every single alternative reading is indexed before pairs.
    """
    n = len(options)
    result: list[list[str]] = []
    for changed in range(n + 1):
        for positions in itertools.combinations(range(n), changed):
            if any(len(options[p]) < 2 for p in positions):
                continue
            choices = [options[p][1:] if p in positions else options[p][:1] for p in range(n)]
            for combo in itertools.product(*choices):
                result.append(list(combo))
                if len(result) >= limit:
                    return result
    return result


def name_options(name: str, *, with_surname: bool = True) -> list[list[str]]:
    """Per position readings of a whole name (surname readings applied when `with_surname`)."""
    split = split_name(name)
    if with_surname and split.surname:
        options = _surname_options(split.surname) + _options(split.given)
    else:
        options = [o for part in split.parts for o in _options(part)]
    return [o for o in options if o]


def pinyin_readings(name: str, limit: int = 32, *, with_surname: bool = True) -> list[list[str]]:
    """Every reading of the name as syllable lists, the display reading first: 曾伟 → [[zeng, wei], [ceng, wei]]."""
    options = name_options(name, with_surname=with_surname)
    if not options:
        return []
    return _combinations(options, max(1, limit))


def pinyin_of(name: str) -> str:
    """Display reading, syllables separated by spaces: 张伟 → 'zhang wei', 曾伟 → 'zeng wei'."""
    readings = pinyin_readings(name, limit=1)
    return " ".join(readings[0]) if readings else ""


def initials(reading: list[str]) -> str:
    """zhang wei → 'zw' (first letter of each syllable, as people type them)."""
    return "".join(s[0] for s in reading if s)


def normalize_latin(text: str) -> str:
    """A typed pinyin query in the indexed form: lower case, no tone marks, no spaces or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z]", "", plain)
