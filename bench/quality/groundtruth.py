"""Ground truth for duplicate detection: synthetic children, noisy second files, and hard negatives.

Base children come from seedling.registry.synthetic (real surname frequencies, given names by cohort,
valid identity numbers, families over real Zhejiang villages). Then:

- duplicates: a share of children get a second file (some a third) with the errors real registers
  hold: the ID left out or one digit off, a homophone typed by the input method, a similar-looking
  character, traditional characters, month and day swapped, a digit of the date wrong, the lunar
  birthday, the family moved to another village, the name typed in pinyin letters, the given name's
  characters swapped, a parent's name changed or missing, a plain typo.
- hard negatives, which must NOT be linked: twins (same parents, village, birth date; given names
  often alike; consecutive ID sequence numbers), siblings (the generator's families), and namesakes
  (another family's child given the same name in the same township).

`make(n, seed=...)` is deterministic. Every record carries its cluster (the true child) and what was
done to it, so a run can say which kinds of error were missed.
"""

import csv
import datetime
import gzip
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from seedling.registry import idnumber, synthetic
from seedling.registry.linkage.chars import LOOKALIKE, TRADITIONAL, fuzzy_syllable
from seedling.registry.linkage.features import Record, char_readings, name_info
from seedling.registry.synthetic.names import GIVEN_NAMES, SURNAMES

DIVISIONS = Path(__file__).resolve().parents[2] / "src/seedling/geo/data/divisions-2023"
TODAY = datetime.date(2025, 6, 1)
CHILDREN_PER_VILLAGE = 45

# Characters met in names beyond the generator's pools: the input method offers these as homophones.
EXTRA_NAME_CHARS = """
子梓紫姊字 涵晗含寒函韩 轩萱宣璇玄 怡宜仪依伊一 欣心馨新昕 浩皓昊灏豪好 宇雨语羽禹瑜 辰晨宸臣尘
思斯诗丝 然冉 睿锐瑞 泽则 哲喆 博波柏 文雯闻 嘉佳家加 俊骏峻君 杰捷洁婕 琪祺琦棋淇奇其 瑶遥尧
婷庭亭霆 雪薛 梦孟 慧惠蕙 静婧靖晶 明铭鸣茗 峰锋风枫丰 磊蕾 鑫欣 晓筱小 雅亚娅 彤桐童 妍研岩言
诺娜 沐牧木慕 熙曦希溪夕 航杭 程成诚城 鹏朋 凯恺楷 阳杨扬洋 涛韬 斌彬宾 军君 霞夏 玲铃灵凌琳林
丽莉俐力 颖影莹盈 萍平苹 燕艳彦 红宏鸿洪 华桦 芳方 英瑛樱 兰岚蓝 秀绣 娟鹃 敏闵 琳霖麟 洋阳
"""


@dataclass
class Dataset:
    records: list[Record]
    cluster: list[int]  # the true child of each record
    noise: list[str]  # "" for an original file; the errors of a duplicate; "twin", "namesake"
    father: list[str] = field(default_factory=list)
    mother: list[str] = field(default_factory=list)

    def true_pairs(self) -> set[tuple[int, int]]:
        members = defaultdict(list)
        for key, cluster in enumerate(self.cluster):
            members[cluster].append(key)
        pairs = set()
        for keys in members.values():
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    pairs.add((min(a, b), max(a, b)))
        return pairs


# --- villages ------------------------------------------------------------------------------------


def _csv(name: str) -> list[dict]:
    with gzip.open(DIVISIONS / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def villages(count: int, rng: random.Random, province: str = "33") -> list[synthetic.Village]:
    """`count` villages of whole counties of the province, counties drawn at random."""
    counties = {r["code"]: r["name"] for r in _csv("areas.csv.gz") if r["code"].startswith(province)}
    towns = {r["code"]: r["name"] for r in _csv("streets.csv.gz") if r["code"].startswith(province)}
    by_county: dict[str, list[dict]] = defaultdict(list)
    for row in _csv("villages.csv.gz"):
        if row["code"].startswith(province):
            by_county[row["code"][:6]].append(row)
    order = sorted(by_county)
    rng.shuffle(order)
    chosen: list[synthetic.Village] = []
    for county in order:
        for row in by_county[county]:
            code = row["code"]
            chosen.append(
                synthetic.Village(code, row["name"], code[:9], towns.get(code[:9], ""), county,
                                  counties.get(county, ""), urban=row["name"].endswith(("居委会", "社区")))
            )  # fmt: skip
        if len(chosen) >= count:
            break
    return chosen


# --- character tables for the noise --------------------------------------------------------------


def _name_chars() -> list[str]:
    chars = set("".join(EXTRA_NAME_CHARS.split()))
    for pool in GIVEN_NAMES.values():
        chars |= set("".join(pool))
    chars |= {s for s in SURNAMES if len(s) == 1}
    return sorted(chars)


def _groups(key) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for char in _name_chars():
        for reading in char_readings(char):
            groups[key(reading)].append(char)
    return groups


class Tables:
    def __init__(self):
        by_sound = _groups(lambda r: r)
        by_near = _groups(fuzzy_syllable)
        self.homophones: dict[str, list[str]] = {}
        self.near: dict[str, list[str]] = {}
        for char in _name_chars():
            readings = char_readings(char)
            same = {c for r in readings for c in by_sound[r]} - {char}
            near = {c for r in readings for c in by_near[fuzzy_syllable(r)]} - same - {char}
            near = {c for c in near if not (char_readings(c) & readings)}
            if same:
                self.homophones[char] = sorted(same)
            if near:
                self.near[char] = sorted(near)
        self.traditional = {simp: trad for trad, simp in TRADITIONAL.items()}
        self.common = _name_chars()


# --- noise ---------------------------------------------------------------------------------------


class Noise:
    """Makes a second file of a child with realistic errors; `apply` returns (record, what was done)."""

    def __init__(self, rng: random.Random, tables: Tables, villages_by: dict):
        self.rng, self.t, self.villages_by = rng, tables, villages_by

    def apply(self, rec: Record, father: str, mother: str) -> tuple[Record, str, str, str]:
        rng = self.rng
        out = Record(rec.key, rec.name, rec.sex, rec.birth_date, rec.id_number, rec.area_code, rec.guardians)
        done: list[str] = []
        menu = [
            (0.35, self.id_missing), (0.05, self.id_typo), (0.14, self.homophone), (0.04, self.lookalike),
            (0.04, self.traditional), (0.04, self.swap_month_day), (0.03, self.date_digit), (0.03, self.lunar),
            (0.16, self.moved), (0.01, self.pinyin_only), (0.015, self.given_swap), (0.02, self.near_sound),
            (0.01, self.char_typo), (0.005, self.sex_wrong),
        ]  # fmt: skip
        while not done:
            for share, step in menu:
                if rng.random() < share and step(out):
                    done.append(step.__name__)
        if rng.random() < 0.2:
            father, mother = self._guardians(father, mother)
            done.append("guardians")
        out.guardians = tuple(g for g in (father, mother) if g)
        return out, "+".join(done), father, mother

    def _given_positions(self, name: str) -> list[int]:
        start = 2 if len(name) >= 4 else 1
        return list(range(start, len(name))) if len(name) > 1 else [0]

    def _replace(self, rec: Record, table: dict, positions: list[int]) -> bool:
        options = [i for i in positions if rec.name[i] in table]
        if not options or not rec.name or not all("\u4e00" <= c <= "\u9fff" for c in rec.name):
            return False
        i = self.rng.choice(options)
        rec.name = rec.name[:i] + self.rng.choice(sorted(table[rec.name[i]])) + rec.name[i + 1 :]
        return True

    def id_missing(self, rec: Record) -> bool:
        if not rec.id_number:
            return False
        rec.id_number = ""
        return True

    def id_typo(self, rec: Record) -> bool:
        """One digit wrong, the check character recomputed: a valid number of nobody (or of a twin)."""
        if not rec.id_number:
            return False
        number = rec.id_number
        for _ in range(20):
            i = self.rng.choice([1, 2, 3, 4, 5, 8, 9, 11, 13, 14, 15, 16])
            digit = self.rng.choice([d for d in "0123456789" if d != number[i]])
            first17 = number[:i] + digit + number[i + 1 : 17]
            try:
                facts = idnumber.parse(first17 + idnumber.check_character(first17), today=TODAY)
            except idnumber.InvalidIdNumber:
                continue
            rec.id_number, rec.birth_date, rec.sex = facts.number, facts.birth_date, facts.sex
            return True
        return False

    def homophone(self, rec: Record) -> bool:
        return self._replace(rec, self.t.homophones, self._given_positions(rec.name))

    def lookalike(self, rec: Record) -> bool:
        return self._replace(rec, LOOKALIKE, list(range(len(rec.name))))

    def near_sound(self, rec: Record) -> bool:
        return self._replace(rec, self.t.near, list(range(len(rec.name))))

    def char_typo(self, rec: Record) -> bool:
        common = {c: self.t.common for c in rec.name}
        return self._replace(rec, common, self._given_positions(rec.name))

    def traditional(self, rec: Record) -> bool:
        trad = "".join(self.t.traditional.get(c, c) for c in rec.name)
        if trad == rec.name:
            return False
        rec.name = trad
        return True

    def given_swap(self, rec: Record) -> bool:
        if len(rec.name) != 3 or rec.name[1] == rec.name[2] or "·" in rec.name:
            return False
        rec.name = rec.name[0] + rec.name[2] + rec.name[1]
        return True

    def pinyin_only(self, rec: Record) -> bool:
        info = name_info(rec.name)
        if info.latin or not info.surname_py:
            return False
        rec.name = f"{info.surname_py.title()} {info.given_py.title()}"
        return True

    def _date_without_id(self, rec: Record, day: datetime.date | None) -> bool:
        if day is None or day == rec.birth_date or day > TODAY:
            return False
        rec.birth_date, rec.id_number = day, ""  # a wrong date is only typed by hand, without the ID
        return True

    def swap_month_day(self, rec: Record) -> bool:
        d = rec.birth_date
        if d.day > 12 or d.day == d.month:
            return False
        return self._date_without_id(rec, d.replace(month=d.day, day=d.month))

    def date_digit(self, rec: Record) -> bool:
        digits = f"{rec.birth_date:%Y%m%d}"
        i = self.rng.choice([3, 5, 6, 7])
        changed = digits[:i] + self.rng.choice("0123456789") + digits[i + 1 :]
        try:
            day = datetime.date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            return False
        return self._date_without_id(rec, day)

    def lunar(self, rec: Record) -> bool:
        return self._date_without_id(rec, rec.birth_date - datetime.timedelta(days=self.rng.randint(20, 50)))

    def sex_wrong(self, rec: Record) -> bool:
        if rec.id_number:
            return False
        rec.sex = "F" if rec.sex == "M" else "M"
        return True

    def moved(self, rec: Record) -> bool:
        roll = self.rng.random()
        level = 9 if roll < 0.5 else 6 if roll < 0.8 else 2
        options = self.villages_by[level].get(rec.area_code[:level], [])
        options = [v for v in options if v != rec.area_code]
        if not options:
            return False
        rec.area_code = self.rng.choice(options)
        return True

    def _guardians(self, father: str, mother: str) -> tuple[str, str]:
        roll = self.rng.random()
        if roll < 0.5:  # one parent left out
            return (father, "") if self.rng.random() < 0.5 else ("", mother)
        if roll < 0.8 and mother:  # mother's name typed with a homophone
            rec = Record(0, mother)
            self._replace(rec, self.t.homophones, self._given_positions(mother))
            return father, rec.name
        return "", ""


# --- the data set --------------------------------------------------------------------------------


def _parents(spec) -> tuple[str, str]:
    father = next((p.name for p in spec.persons if p.relation == "father"), "")
    mother = next((p.name for p in spec.persons if p.relation == "mother"), "")
    return father, mother


def _record(key: int, spec, father: str, mother: str) -> Record:
    return Record(
        key=key,
        name=spec.name,
        sex=spec.sex,
        birth_date=spec.birth_date,
        id_number=spec.id_number,
        area_code=spec.area_code,
        guardians=tuple(g for g in (father, mother) if g),
    )


def _twin(spec, rng: random.Random, names: synthetic.NamePicker, ids: synthetic.IdMaker):
    """A twin of `spec`: same family, village and birth date; a name like the sibling's; own ID."""
    sex = spec.sex if rng.random() < 0.6 else ("F" if spec.sex == "M" else "M")
    surname = spec.name[: len(spec.name) - 2] if len(spec.name) >= 3 else spec.name[:1]
    given = spec.name[len(surname) :]
    for _ in range(30):
        roll = rng.random()
        other = names.given(sex, synthetic.names.child_cohort(spec.birth_date.year))
        if roll < 0.45 and len(given) == 2:  # 浩然 / 浩宇: the first character shared
            candidate = given[0] + other[-1]
        elif roll < 0.6 and len(given) == 2:  # 子涵 / 雨涵: the second character shared
            candidate = other[0] + given[1]
        else:
            candidate = other
        # Parents do not give twins names that sound the same (子涵 / 梓涵): they could not call them.
        if candidate != given and name_info(candidate).full_py != name_info(given).full_py:
            break
    twin = synthetic.ChildSpec(
        name=surname + candidate, sex=sex, birth_date=spec.birth_date, area_code=spec.area_code,
        hukou_type=spec.hukou_type, hukou_area_code=spec.hukou_area_code, family=spec.family,
    )  # fmt: skip
    twin.persons = spec.persons
    if spec.id_number:
        if rng.random() < 0.7:  # registered together: neighbouring sequence numbers
            seq = int(spec.id_number[14:17])
            step = 2 if sex == spec.sex else 1
            seq = seq + step if seq + step <= 999 else seq - step
            twin.id_number = idnumber.make(spec.id_number[:6], spec.birth_date, seq)
        else:
            twin.id_number = ids.make(spec.id_number[:6], spec.birth_date, sex)
    return twin


def make(
    n: int, *, seed: int, dup_share: float = 0.06, twin_share: float = 0.02, namesake_share: float = 0.01
) -> Dataset:
    """About `n` records: base children, their twins and namesakes, and noisy second files."""
    rng = random.Random(seed)
    base_n = round(n / (1 + dup_share * 1.1 + twin_share))
    chosen = villages(max(1, base_n // CHILDREN_PER_VILLAGE), rng)
    plan = synthetic.split_children(base_n, {v: 1.0 for v in chosen}, rng=rng)
    specs = synthetic.generate(plan, seed=seed, today=TODAY)
    names = synthetic.NamePicker(rng, ("33",))
    ids = synthetic.IdMaker(rng)
    ids.used |= {s.id_number for s in specs if s.id_number}
    kinds = [""] * len(specs)
    for spec in list(specs):
        if rng.random() < twin_share:
            specs.append(_twin(spec, rng, names, ids))
            kinds.append("twin")
    by_township: dict[str, list[int]] = defaultdict(list)
    for i, spec in enumerate(specs):
        by_township[spec.area_code[:9]].append(i)
    for i, spec in enumerate(specs):
        if kinds[i] == "" and rng.random() < namesake_share:
            other = specs[rng.choice(by_township[spec.area_code[:9]])]
            if other.family != spec.family and "·" not in other.name:
                spec.name = other.name
                kinds[i] = "namesake"

    codes = [v.code for v in chosen]
    villages_by = {level: defaultdict(list) for level in (9, 6, 2)}
    for code in codes:
        for level in (9, 6, 2):
            villages_by[level][code[:level]].append(code)
    noise = Noise(rng, Tables(), villages_by)

    rows: list[tuple[Record, int, str, str, str]] = []
    for cluster, spec in enumerate(specs):
        father, mother = _parents(spec)
        original = _record(0, spec, father, mother)
        rows.append((original, cluster, kinds[cluster], father, mother))
        if kinds[cluster] == "" and rng.random() < dup_share:
            for _ in range(2 if rng.random() < 0.1 else 1):
                copy, done, f, m = noise.apply(original, father, mother)
                rows.append((copy, cluster, done, f, m))
    rng.shuffle(rows)
    data = Dataset(records=[], cluster=[], noise=[])
    for key, (record, cluster, kind, father, mother) in enumerate(rows):
        record.key = key
        data.records.append(record)
        data.cluster.append(cluster)
        data.noise.append(kind)
        data.father.append(father)
        data.mother.append(mother)
    return data


SPLINK_COLUMNS = (
    "unique_id", "cluster", "name", "surname", "given", "full_py", "surname_py", "given_py", "birth_date",
    "birth_year", "birth_md", "sex", "id_number", "village", "township", "county", "father", "mother",
    "father_py", "mother_py",
)  # fmt: skip


def write_csv(data: Dataset, path: Path) -> None:
    """The records as Splink reads them, with the pinyin columns Splink cannot derive itself."""
    from seedling.registry.linkage.features import name_info

    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(SPLINK_COLUMNS)
        for rec, cluster, father, mother in zip(
            data.records, data.cluster, data.father, data.mother, strict=True
        ):
            info = name_info(rec.name)
            birth = rec.birth_date
            out.writerow([
                rec.key, cluster, info.name, info.surname, info.given, info.full_py, info.surname_py,
                info.given_py, birth.isoformat() if birth else "", birth.year if birth else "",
                f"{birth:%m%d}" if birth else "", rec.sex, rec.id_number, rec.area_code, rec.area_code[:9],
                rec.area_code[:6], father, mother, name_info(father).full_py if father else "",
                name_info(mother).full_py if mother else "",
            ])  # fmt: skip
