"""Building blocks of synthetic records: villages, specs, birth dates, identity numbers, phones."""

import datetime
import functools
import itertools
import random
from dataclasses import dataclass, field

from seedling.registry import idnumber

# National births per year in millions (National Bureau of Statistics): younger cohorts are smaller.
BIRTHS = {
    2008: 16.08, 2009: 15.91, 2010: 15.92, 2011: 16.04, 2012: 16.35, 2013: 16.40, 2014: 16.87,
    2015: 16.55, 2016: 17.86, 2017: 17.23, 2018: 15.23, 2019: 14.65, 2020: 12.02, 2021: 10.62,
    2022: 9.56, 2023: 9.02, 2024: 9.54, 2025: 7.92,
}  # fmt: skip
MOBILE_PREFIXES = (
    "130 131 132 133 135 136 137 138 139 150 151 152 153 157 158 159 177 180 181 182 183 186 187 188 189 199"
)
AREA_PHONE_CODES = {"330723": "0579", "331081": "0576", "110112": "010"}


@dataclass(frozen=True)
class Village:
    """A village or residents' committee to fill, with what the generator needs to know about it."""

    code: str
    name: str
    township_code: str
    township_name: str
    county_code: str
    county_name: str
    urban: bool = False
    minority: str = ""  # GB/T 3304 code of a minority living here ("22" in 柳城畲族镇)

    @property
    def short_name(self) -> str:
        """寺后村委会 → 寺后村; 莹乡社区居委会 → 莹乡社区."""
        name = self.name
        for suffix in ("村民委员会", "居民委员会", "村村委会", "村委会", "社区居委会", "居委会"):
            if name.endswith(suffix):
                rest = name.removesuffix(suffix)
                return rest + ("村" if "村" in suffix else "社区")
        return name


@dataclass
class SituationSpec:
    kind: str
    started_on: datetime.date | None
    ended_on: datetime.date | None = None
    place: str = ""
    outside_county: bool = True
    evidence_type: str = ""
    evidence_ref: str = ""
    notes: str = ""

    def fields(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PersonSpec:
    relation: str
    name: str
    id_number: str = ""
    phone: str = ""
    is_guardian: bool = False
    is_delegated_carer: bool = False
    lives_with_child: bool = True
    health: str = "healthy"
    capacity: str = "full"
    notes: str = ""
    situations: list[SituationSpec] = field(default_factory=list)
    birth_date: datetime.date | None = None
    surname: str = ""

    def fields(self) -> dict:
        """Fields for services.person_create / the Person model (without id_number and situations)."""
        skip = {"id_number", "situations", "birth_date", "surname"}
        return {k: v for k, v in self.__dict__.items() if k not in skip}


@dataclass
class ChildSpec:
    name: str
    sex: str
    birth_date: datetime.date
    area_code: str
    hukou_type: str
    hukou_area_code: str | None
    id_number: str = ""
    no_id_reason: str = ""
    ethnic_group: str = "01"
    address: str = ""
    resident_since: datetime.date | None = None
    school: str = ""
    grade: str = ""
    in_full_time_study: bool = False
    health: str = "healthy"
    health_notes: str = ""
    disability_type: str = ""
    disability_grade: int | None = None
    disability_difficulty: bool = False
    family_economic_difficulty: bool = False
    economic_difficulty_basis: str = ""
    guardianship_failure: bool = False
    guardianship_failure_notes: str = ""
    persons: list[PersonSpec] = field(default_factory=list)
    scenario: str = "both_parents_home"  # what the generator meant; the rules decide the categories
    family: str = ""  # siblings share it (and copies of the same parents)

    FIELDS = (
        "name", "sex", "birth_date", "no_id_reason", "ethnic_group", "hukou_type", "address",
        "resident_since", "school", "grade", "in_full_time_study", "health", "health_notes",
        "disability_type", "disability_grade", "disability_difficulty", "family_economic_difficulty",
        "economic_difficulty_basis", "guardianship_failure", "guardianship_failure_notes",
    )  # fmt: skip

    def fields(self) -> dict:
        """Fields for services.child_create, without `area` and `hukou_area` (the caller resolves codes)."""
        return {name: getattr(self, name) for name in self.FIELDS}


def years_ago(day: datetime.date, years: float) -> datetime.date:
    return day - datetime.timedelta(days=round(years * 365.25))


def child_birth_date(rng: random.Random, today: datetime.date) -> datetime.date:
    """A birth date of someone under 18 today, cohorts weighted by the births of their year."""
    years, cum_weights, spans = _birth_cohorts(today)
    index = rng.choices(range(len(years)), cum_weights=cum_weights)[0]
    start, days = spans[index]
    return start + datetime.timedelta(days=rng.randrange(days))


@functools.lru_cache(maxsize=8)
def _birth_cohorts(today: datetime.date) -> tuple[list[int], list[float], list[tuple[datetime.date, int]]]:
    """Years of birth of children today, their cumulative weights and (first day, days) of each.

    Computed once per day (a million children draw from the same table); the draws are the same as
    rng.choices with the plain weights would give.
    """
    earliest = years_ago(today, 18) + datetime.timedelta(days=2)
    years = list(range(earliest.year, today.year + 1))
    weights, spans = [], []
    for year in years:
        start = max(datetime.date(year, 1, 1), earliest)
        end = min(datetime.date(year, 12, 31), today)
        weights.append(BIRTHS.get(year, 7.9) * ((end - start).days + 1) / 365)
        spans.append((start, (end - start).days + 1))
    return years, list(itertools.accumulate(weights)), spans


def adult_birth_date(rng: random.Random, before: datetime.date, low: int, high: int) -> datetime.date:
    """Born `low` to `high` years before `before` (a parent before the first child, ...)."""
    return years_ago(before, rng.uniform(low, high))


class IdMaker:
    """Valid, unique resident identity numbers (GB 11643) for the sex and birth date given."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def make(self, address_code: str, birth_date: datetime.date, sex: str) -> str:
        for _ in range(2000):
            sequence = 2 * self.rng.randrange(500) + (1 if sex == "M" else 0)
            number = idnumber.make(address_code, birth_date, sequence)
            if number not in self.used:
                self.used.add(number)
                return number
        raise RuntimeError("no free sequence number left for this address and birth date")


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES.split()) + f"{rng.randrange(10**8):08d}"


def phone_for(rng: random.Random, county_code: str, *, landline_share: float = 0.0, none_share=0.0) -> str:
    """A mobile, a landline as people type it (0579-8xxxxxxx), or nothing."""
    roll = rng.random()
    if roll < none_share:
        return ""
    if roll < none_share + landline_share:
        return f"{AREA_PHONE_CODES.get(county_code, '0579')}-8{rng.randrange(10**7):07d}"
    number = mobile(rng)
    if rng.random() < 0.15:  # typed with spaces; the service normalises it
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return number


def grade_for(birth_date: datetime.date, today: datetime.date) -> str:
    """School grade from age on 31 August of the current school year (the national cut-off)."""
    school_year = today.year if today.month >= 9 else today.year - 1
    cutoff = datetime.date(school_year, 8, 31)
    age = cutoff.year - birth_date.year - ((cutoff.month, cutoff.day) < (birth_date.month, birth_date.day))
    if age < 3:
        return "not_yet"
    if age < 6:
        return "kindergarten"
    if age < 12:
        return f"p{age - 5}"
    if age < 15:
        return f"j{age - 11}"
    return f"s{min(age - 14, 3)}"


def school_for(grade: str, village: Village, rng: random.Random) -> str:
    county = "北京市通州区" if village.county_code == "110112" else village.county_name
    township = village.township_name
    if grade == "kindergarten":
        return f"{county}{township}中心幼儿园"
    if grade.startswith("p"):
        return f"{county}{township}中心小学"
    if grade.startswith("j"):
        return f"{county}{township.removesuffix('街道').removesuffix('镇').removesuffix('乡')}初级中学"
    if grade == "vocational":
        return f"{county}职业技术学校"
    if grade.startswith("s"):
        return f"{county}第{rng.choice('一一二三')}中学"
    if grade == "special":
        return f"{county}特殊教育学校"
    return ""
