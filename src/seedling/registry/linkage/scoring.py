"""Score of a candidate pair: a Fellegi–Sunter sum of log-likelihood weights, every part shown (pure).

Each feature's level adds log2(m / u): m is how often true duplicates show that level, u how often
two different children in the same block do. The weights below were estimated on the ground-truth
generator (bench/quality/estimate.py, training seed 101, 200,000 records), rounded, then fixed here;
the benchmark evaluates them on other seeds at the threshold fixed in advance in settings
(SEEDLING_DUPLICATE_THRESHOLD).

Shared family facts are not independent evidence. Siblings and twins share parents, surname,
village and (twins) the birth date, so adding those up would make twins look like one child twice.
The score is therefore conditional on the family: once the files may be of one family (context
"family": both parents' names agree, or the only name one file gives; or no parents' names but
the same surname in the same village or township), every other feature is weighed by how it tells
one child from a brother or sister (estimated on pairs of that context only): there, the village
and surname say nothing, a different given name or a different valid identity number says "another
child of this family". Otherwise (context "open"), features are weighed against unrelated children.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import features
from .features import FEATURES, Prepared, compare

# The queue's threshold, fixed before any evaluation run: the best F1 on the training seed
# (bench/quality/estimate.py prints F1 at every half point: flat from 1.0 to 2.0, falling after
# 2.0); the top of the flat part leans to precision, because a wrong merge costs more than a missed
# pair. Settings may override it: SEEDLING_DUPLICATE_THRESHOLD.
DEFAULT_THRESHOLD = 2.0

CONTEXT_FEATURE = "guardians"
FAMILY_LEVELS = frozenset({"both", "one"})
NEAR_AREAS = frozenset({"village", "township"})

# log2(m/u), estimated by bench/quality/estimate.py --n 200000 --seed 101 and rounded. Set by
# reasoning instead of the estimate (marked *): within a family the village says nothing about which
# child a file is (children of a family live together, and a moved file is as likely any of them),
# and a different given name is what tells siblings apart; "id same" counts the same everywhere;
# numbers one digit apart in the sequence number with any difference in the name are twins' numbers
# (as strong as two different numbers); within a family one different character of the given name
# is the twins' and siblings' pattern (as strong as a different given name);
# two different valid numbers stay strong evidence of two children where the sample was thin; a
# missing ID or missing parents' names is no evidence either way (in the generator only second files
# lose them, so the estimate rewards a gap: a real register has gaps in first files too).
WEIGHTS: dict[str, dict[str, dict[str, float]]] = {
    "all": {
        "guardians": {"both": 6.3, "one": 6.2, "missing": 0.0, "one_other_differs": -5.2, "differ": -10.5},
    },
    "family": {
        "id": {
            "same": 14.5,  # *
            "typo": 9.2,
            "typo_sequence_same_name": 7.3,
            "missing": 0.0,  # *
            "typo_sequence": -12.2,  # *
            "differ": -12.2,
        },
        "surname": {"same": 0.0, "homophone": 1.7, "lookalike": 4.7, "near_sound": 5.3, "differ": -3.6},
        "given": {
            "same": 0.7,
            "variant": 2.5,
            "swapped": 8.3,
            "lookalike": 7.8,
            "near_sound": 3.0,
            "homophone": 0.7,
            "one_char": -8.0,  # *
            "differ": -8.0,  # *
            "partial": -5.9,
        },
        "birth": {"same": 1.0, "swapped": 8.4, "one_digit": 4.3, "near": 2.6, "differ": -8.4},
        "sex": {"same": 0.4, "differ": -5.1},
        "area": {"village": 0.0, "township": 0.0, "county": 0.0, "elsewhere": 0.0},  # *
    },
    "open": {
        "id": {
            "same": 14.5,  # *
            "typo": 9.9,
            "typo_sequence_same_name": 8.8,
            "missing": 0.0,  # *
            "typo_sequence": -10.0,  # *
            "differ": -10.0,  # *
        },
        "surname": {"same": 0.8, "homophone": 1.8, "lookalike": 6.3, "near_sound": 4.8, "differ": -7.4},
        "given": {
            "same": 0.2,
            "variant": 4.3,
            "swapped": 7.6,
            "lookalike": 7.7,
            "near_sound": 5.6,
            "homophone": 1.0,
            "one_char": 0.4,
            "differ": -3.5,
            "partial": 0.4,
        },
        "birth": {"same": 0.8, "swapped": 6.3, "one_digit": 1.6, "near": -1.2, "differ": -7.1},
        "sex": {"same": 0.3, "differ": -6.2},
        "area": {"village": 5.7, "township": 1.1, "county": -1.4, "elsewhere": -0.1},
    },
}


def context_of(levels: dict[str, str]) -> str:
    """The context: "family" when the two files may be of one family, else "open".

    One family: the parents' names agree; or a file gives no parents' names and the children share
    surname and village or township (a twin's file without parents must not pass for its sibling's).
    """
    guardians = levels.get(CONTEXT_FEATURE)
    if guardians in FAMILY_LEVELS:
        return "family"
    if guardians == "missing" and levels.get("surname") == "same" and levels.get("area") in NEAR_AREAS:
        return "family"
    return "open"


@dataclass(frozen=True, slots=True)
class Part:
    feature: str
    level: str
    weight: float

    @property
    def feature_text(self) -> str:
        return str(FEATURE_TEXT.get(self.feature, self.feature))

    @property
    def level_text(self) -> str:
        return str(LEVEL_TEXT.get((self.feature, self.level), self.level))


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    context: str
    parts: tuple[Part, ...]

    def as_json(self) -> list[list]:
        """[[feature, level, weight], ...]: what the queue stores, enough to explain the score later."""
        return [[p.feature, p.level, p.weight] for p in self.parts]


def weigh(levels: dict[str, str]) -> Score:
    """Sum the weights of the levels; the context (family or open) picks the table."""
    context = context_of(levels)
    parts = []
    for feature in FEATURES:
        level = levels[feature]
        table = WEIGHTS["all"] if feature == CONTEXT_FEATURE else WEIGHTS[context]
        parts.append(Part(feature, level, table.get(feature, {}).get(level, 0.0)))
    return Score(round(sum(p.weight for p in parts), 2), context, tuple(parts))


_GUARDIANS, _SURNAME, _AREA = (FEATURES.index(f) for f in (CONTEXT_FEATURE, "surname", "area"))
_TABLES = {
    context: [WEIGHTS["all"][f] if f == CONTEXT_FEATURE else WEIGHTS[context].get(f, {}) for f in FEATURES]
    for context in ("family", "open")
}


def total(levels: tuple[str, ...]) -> float:
    """The score of a tuple of levels (in FEATURES order) without building its parts: the batch path."""
    guardians = levels[_GUARDIANS]
    family = guardians in FAMILY_LEVELS or (
        guardians == "missing" and levels[_SURNAME] == "same" and levels[_AREA] in NEAR_AREAS
    )
    tables = _TABLES["family" if family else "open"]
    return sum(table.get(level, 0.0) for table, level in zip(tables, levels, strict=True))


def _best(context: str, feature: str) -> float:
    return max(WEIGHTS[context][feature].values())


_NAME_BEST = {c: _best(c, "surname") + _best(c, "given") for c in ("family", "open")}
_ID_SEQUENCE = ("typo_sequence", "typo_sequence_same_name")


def bounded_total(a: Prepared, b: Prepared, keep: float) -> tuple[float, tuple[str, ...]] | None:
    """(total, levels) of a pair, or None as soon as the pair cannot reach `keep`: the batch path.

    The cheap features come first (ID, birth date, sex, village, parents); when even the best name
    levels could not lift their sum to `keep` in either context, the names are not compared. Exact:
    the same result as weighing compare(a, b), only faster on the many hopeless pairs.
    """
    number, birth = features.id_level(a, b), features.birth_level(a, b)
    sex, area, guardians = features.sex_level(a, b), features.area_level(a, b), features.guardians_level(a, b)
    bound = -1e9
    for context in ("family", "open"):
        table = WEIGHTS[context]
        ids = table["id"]
        best_id = max(ids[lv] for lv in _ID_SEQUENCE) if number == "typo_sequence" else ids.get(number, 0.0)
        partial = (
            best_id
            + table["birth"].get(birth, 0.0)
            + table["sex"].get(sex, 0.0)
            + table["area"].get(area, 0.0)
        )
        bound = max(bound, partial + _NAME_BEST[context])
    if bound + WEIGHTS["all"][CONTEXT_FEATURE].get(guardians, 0.0) < keep:
        return None
    surname, given = features.name_levels(a.name, b.name)
    if number == "typo_sequence" and given in ("same", "variant") and surname in ("same", "missing"):
        number = "typo_sequence_same_name"
    levels = (number, surname, given, birth, sex, area, guardians)
    return total(levels), levels


def score(a: Prepared, b: Prepared) -> Score:
    """Compare two prepared records and weigh the levels."""
    return weigh(dict(zip(FEATURES, compare(a, b), strict=True)))


def score_from_json(parts: list, context: str = "") -> Score:
    """Rebuild a stored score (for the page) from [[feature, level, weight], ...]."""
    rebuilt = tuple(Part(f, lv, float(w)) for f, lv, w in parts)
    return Score(round(sum(p.weight for p in rebuilt), 2), context, rebuilt)


FEATURE_TEXT = {
    "id": _("身份证号"),
    "surname": _("姓"),
    "given": _("名"),
    "birth": _("出生日期"),
    "sex": _("性别"),
    "area": _("现居地"),
    "guardians": _("父母或监护人姓名"),
}

LEVEL_TEXT = {
    ("id", "same"): _("身份证号相同"),
    ("id", "typo"): _("身份证号只差一位（可能输错）"),
    ("id", "typo_sequence"): _("身份证号只在顺序码差一位：双胞胎常见，不能说明是同一人"),
    ("id", "typo_sequence_same_name"): _("身份证号只在顺序码差一位，姓名完全相同（双胞胎不会同名）"),
    ("id", "differ"): _("两个有效的身份证号不同：通常是两名儿童"),
    ("id", "differ_invalid"): _("身份证号不同（其中一个无效）"),
    ("id", "missing"): _("至少一份档案没有身份证号"),
    ("surname", "same"): _("姓相同"),
    ("surname", "homophone"): _("姓同音不同字"),
    ("surname", "lookalike"): _("姓为形近字"),
    ("surname", "near_sound"): _("姓读音相近（如 n/l、z/zh 不分）"),
    ("surname", "one_char"): _("姓不同"),
    ("surname", "differ"): _("姓不同"),
    ("surname", "missing"): _("无法区分姓（单字名或少数民族姓名）"),
    ("given", "same"): _("名相同"),
    ("given", "variant"): _("姓名相同（繁简体不同）"),
    ("given", "homophone"): _("名同音不同字（输入法常见）"),
    ("given", "lookalike"): _("名中有形近字（如 己/已）"),
    ("given", "near_sound"): _("名读音相近（如 n/l、in/ing 不分）"),
    ("given", "swapped"): _("名的两个字顺序颠倒"),
    ("given", "partial"): _("一个名包含另一个"),
    ("given", "one_char"): _("名有一个字不同（兄弟姐妹常见）"),
    ("given", "differ"): _("名不同"),
    ("given", "missing"): _("缺少名"),
    ("birth", "same"): _("出生日期相同"),
    ("birth", "swapped"): _("出生日期月、日颠倒"),
    ("birth", "one_digit"): _("出生日期差一个数字"),
    ("birth", "near"): _("出生日期相差两个月以内（可能一份填了农历）"),
    ("birth", "differ"): _("出生日期不同"),
    ("birth", "missing"): _("缺少出生日期"),
    ("sex", "same"): _("性别相同"),
    ("sex", "differ"): _("性别不同"),
    ("sex", "missing"): _("缺少性别"),
    ("area", "village"): _("同一村（居）"),
    ("area", "township"): _("同一乡镇（街道）的不同村"),
    ("area", "county"): _("同一县（市、区）的不同乡镇"),
    ("area", "elsewhere"): _("不在同一县（市、区）"),
    ("area", "missing"): _("缺少现居地"),
    ("guardians", "both"): _("父母姓名都相同：同一家庭，以下各项按能否区分兄弟姐妹计分"),
    ("guardians", "one"): _("一份档案只有一位父母或监护人，其姓名与另一份相同"),
    ("guardians", "one_other_differs"): _("只有一位父母或监护人姓名相同，另一位不同"),
    ("guardians", "differ"): _("父母或监护人姓名都不同"),
    ("guardians", "missing"): _("至少一份档案没有父母或监护人姓名"),
}
