"""Families of one village: parents, grandparents, their situations, and the children (pure, seeded).

Rates are per family and follow published figures for the demo counties (DOMAIN.md section 1):
left-behind about 10-15% of rural children (both parents away for most), orphans ~0.3%, de facto
unsupported ~0.5%, poverty ~3%, disability ~1%. The generator only states facts (who works away since
when, who died, with what evidence); the eligibility rules decide the categories.
"""

import datetime
import random
from dataclasses import dataclass

from .names import SURNAME_CHARS, NamePicker, child_cohort
from .people import (
    ChildSpec,
    IdMaker,
    PersonSpec,
    SituationSpec,
    Village,
    adult_birth_date,
    child_birth_date,
    grade_for,
    phone_for,
    school_for,
    years_ago,
)

SCENARIOS_RURAL = {  # share of families; the rest: both parents at home
    "left_behind_both": 0.13,
    "left_behind_one": 0.035,
    "one_parent_away": 0.12,
    "away_recently": 0.01,  # both away for less than 6 months: not yet left-behind
    "away_in_county": 0.02,  # both work in the county town: not left-behind either
    "parents_returned": 0.03,
    "orphan": 0.003,
    "unsupported": 0.005,
    "divorced": 0.04,
}
PLACES = {
    "33": "杭州:30 上海:15 义乌:10 宁波:8 深圳:8 广州:5 苏州:5 温州:4 永康:5 北京:2 南京:3 台州:3",
    "11": "天津:20 上海:15 深圳:15 廊坊:10 石家庄:5 北京市朝阳区:20 北京市海淀区:15",
}
COUNTY_TOWN = {"330723": "武义县城", "331081": "温岭市区", "110112": "通州城区"}
MIGRANT_SHARE = {"331081": 0.065, "330723": 0.015, "110112": 0.03}  # of families in the county
POVERTY_SHARE = {"orphan": 0.35, "unsupported": 0.35, "left_behind_one": 0.12}  # of families; else 2.5%
POVERTY_BASIS = ["最低生活保障家庭", "最低生活保障边缘家庭", "支出型贫困家庭", "因病致贫，经村民代表评议"]
GUARDIANSHIP_NOTES = [
    "照护人年老体弱，儿童多次独自在家无人照料",
    "父亲酗酒后多次打骂儿童，已报警处理",
    "监护人长期疏于照料，儿童营养不良",
]
DISABILITY_TYPES = "intellectual:30 physical:25 hearing:12 speech:8 visual:8 mental:7 multiple:10"


def _table(text: str) -> tuple[list[str], list[float]]:
    pairs = [item.split(":") for item in text.split()]
    return [k for k, _ in pairs], [float(w) for _, w in pairs]


@dataclass
class Context:
    rng: random.Random
    ids: IdMaker
    today: datetime.date
    origins: dict[str, list[tuple[str, str]]]  # province -> [(county code, county name)] of migrants


class VillageFamilies:
    """Makes the families of one village until it has the number of children asked for."""

    def __init__(self, ctx: Context, village: Village):
        self.ctx, self.village, self.rng = ctx, village, ctx.rng
        county = village.county_code
        self.names = NamePicker(self.rng, (county[:2], county))
        self.places = _table(PLACES.get(county[:2], PLACES["33"]))
        self.dominant = _dominant_surnames(village, self.names)
        self.house_numbers = iter(self.rng.sample(range(1, 400), 399))

    # --- the family as a whole ---
    def children(self, count: int) -> list[ChildSpec]:
        out: list[ChildSpec] = []
        family = 0
        while len(out) < count:
            family += 1
            size = min(self.rng.choices([1, 2, 3], weights=[45, 45, 10])[0], count - len(out))
            out += self.family(size, f"{self.village.code}-{family}")
        return out

    def family(self, size: int, key: str) -> list[ChildSpec]:
        rng, village = self.rng, self.village
        scenario = self._scenario()
        migrant = scenario == "migrant"
        hukou_type = "urban" if (village.urban and not migrant and rng.random() < 0.75) else "rural"
        if hukou_type == "urban" and scenario.startswith(("left_", "away_recently")):
            scenario = "one_parent_away"  # the left-behind rules are for rural households
        home_code = village.county_code
        ethnic = village.minority if village.minority and rng.random() < 0.3 else "01"
        if migrant:
            weights = [_ORIGIN_WEIGHT.get(p, 5) for p in self.ctx.origins]
            province = rng.choices(list(self.ctx.origins), weights=weights)[0]
            home_code = rng.choice(self.ctx.origins[province])[0]
            ethnic = _migrant_ethnic(province, rng)
        births = self._sibling_births(size)
        father_surname = self._family_surname(ethnic, migrant)
        father = self._adult("father", "M", father_surname, births[0], (23, 38), home_code)
        mother_home = self._spouse_home(home_code)
        mother = self._adult("mother", "F", self.names.surname(ethnic), births[0], (21, 34), mother_home)
        father_own = ""
        if ethnic == "05":  # own name · father's name, for the parents too
            father.name, father_own = self.names.uyghur("M", self.names.uyghur_own("M"))
            mother.name = self.names.uyghur("F", self.names.uyghur_own("M"))[0]
        persons = [
            *self._situations(scenario, father, mother),
            *self._carers(scenario, father, mother, home_code),
        ]
        self._mother_after_births(mother, births)
        poor = rng.random() < POVERTY_SHARE.get(scenario, 0.025)
        failure = rng.random() < 0.002
        address = self._address()
        resident_since = None
        if migrant:  # most came years ago; a tenth arrived in the last months (not yet 6)
            resident_since = years_ago(
                self.ctx.today, rng.uniform(0.15, 0.45) if rng.random() < 0.1 else rng.uniform(0.6, 8)
            )
        out = []
        for birth in births:
            sex = "M" if rng.random() < 0.53 else "F"  # the sex ratio at birth of these cohorts
            if father_own:
                name = self.names.uyghur(sex, father_own)[0]
            else:
                surname = father_surname if rng.random() < 0.95 else mother.surname
                name = surname + self.names.given(sex, child_cohort(birth.year))
            child = ChildSpec(
                name=name, sex=sex, birth_date=birth, area_code=village.code, hukou_type=hukou_type,
                hukou_area_code=home_code if migrant else village.code, ethnic_group=ethnic, address=address,
                resident_since=max(resident_since, birth) if resident_since else None, scenario=scenario, family=key,
            )  # fmt: skip
            self._identity(child, home_code)
            self._school_and_health(child)
            if poor:
                child.family_economic_difficulty = True
                child.economic_difficulty_basis = rng.choice(POVERTY_BASIS)
            if failure:
                child.guardianship_failure = True
                child.guardianship_failure_notes = rng.choice(GUARDIANSHIP_NOTES)
            child.persons = [_copy(p) for p in persons]
            out.append(child)
        return out

    def _scenario(self) -> str:
        rng, village = self.rng, self.village
        share = MIGRANT_SHARE.get(village.county_code, 0.0) * (2 if village.urban else 1)
        if self.ctx.origins and rng.random() < share:
            return "migrant"
        names, weights = list(SCENARIOS_RURAL), list(SCENARIOS_RURAL.values())
        if village.county_code == "110112":  # Beijing's suburbs: far fewer parents work away
            away = ("left_", "one_", "away_")
            weights = [w / 4 if n.startswith(away) else w for n, w in zip(names, weights, strict=True)]
        return rng.choices([*names, "both_parents_home"], weights=[*weights, 1 - sum(weights)])[0]

    # --- people ---
    def _family_surname(self, ethnic: str, migrant: bool) -> str:
        if ethnic == "01" and not migrant and self.dominant and self.rng.random() < 0.5:
            return self.rng.choice(self.dominant)
        return self.names.surname(ethnic)

    def _adult(self, relation, sex, surname, first_birth, ages, home_code) -> PersonSpec:
        birth = adult_birth_date(self.rng, first_birth, *ages)
        cohort = "parent" if relation in ("father", "mother", "uncle_aunt") else "grandparent"
        person = PersonSpec(
            relation=relation, name=surname + self.names.given(sex, cohort), surname=surname,
            is_guardian=relation in ("father", "mother"),
            phone=phone_for(self.rng, self.village.county_code, none_share=0.03), birth_date=birth,
        )  # fmt: skip
        if self.rng.random() < 0.95:
            person.id_number = self.ctx.ids.make(home_code, birth, sex)
        return person

    def _spouse_home(self, home_code: str) -> str:
        if self.rng.random() < 0.7 or not self.ctx.origins:
            return home_code
        return self.rng.choice(self.rng.choice(list(self.ctx.origins.values())))[0]

    def _grandparent(self, side: str, sex: str, parent: PersonSpec, home_code: str) -> PersonSpec:
        relation = f"{side}_grand{'father' if sex == 'M' else 'mother'}"
        surname = parent.surname if sex == "M" else self.names.surname()
        person = self._adult(relation, sex, surname, parent.birth_date, (20, 32), home_code)
        person.phone = phone_for(self.rng, self.village.county_code, landline_share=0.15, none_share=0.15)
        person.health = self.rng.choices(["healthy", "chronic", "serious"], weights=[60, 36, 4])[0]
        person.capacity = "limited" if person.health != "healthy" and self.rng.random() < 0.6 else "full"
        return person

    def _carers(
        self, scenario: str, father: PersonSpec, mother: PersonSpec, home_code: str
    ) -> list[PersonSpec]:
        """Grandparents who live with the child when the parents cannot; one is the delegated carer."""
        if scenario in ("both_parents_home", "one_parent_away", "parents_returned", "migrant", "divorced"):
            return []
        paternal = self.rng.random() < 0.75
        parent = father if paternal else mother
        side = "paternal" if paternal else "maternal"
        grandma = self._grandparent(side, "F", parent, home_code)
        carers = [grandma]
        if self.rng.random() < 0.7:
            carers.append(self._grandparent(side, "M", parent, home_code))
        carer = carers[0] if carers[0].capacity == "full" or len(carers) == 1 else carers[-1]
        # An orphan's guardian is appointed; otherwise the parents stay the guardians.
        carer.is_guardian = scenario == "orphan"
        carer.is_delegated_carer = True
        carer.notes = "受父母委托照护儿童" if scenario.startswith(("left_", "away_")) else ""
        return carers

    # --- situations of the parents ---
    def _situations(self, scenario: str, father: PersonSpec, mother: PersonSpec) -> list[PersonSpec]:
        rng, today = self.rng, self.ctx.today
        away_since = years_ago(today, rng.uniform(0.7, 9))
        place = rng.choices(*self.places)[0]
        if scenario in ("left_behind_both", "away_recently", "parents_returned"):
            if scenario == "away_recently":
                away_since = today - datetime.timedelta(days=rng.randrange(30, 160))
            ended = (
                today - datetime.timedelta(days=rng.randrange(60, 700))
                if scenario == "parents_returned"
                else None
            )
            if ended and ended <= away_since:
                away_since = ended - datetime.timedelta(days=rng.randrange(200, 2000))
            together = rng.random() < 0.7
            for parent in (father, mother):
                where = place if together or parent is father else rng.choices(*self.places)[0]
                parent.situations.append(self._away(away_since, where, ended))
                parent.lives_with_child = ended is not None
        elif scenario in ("left_behind_one", "one_parent_away"):
            away, home = (father, mother) if rng.random() < 0.75 else (mother, father)
            away.situations.append(self._away(away_since, place))
            away.lives_with_child = False
            if scenario == "left_behind_one":
                self._incapable(home)
        elif scenario == "away_in_county":
            for parent in (father, mother):
                parent.situations.append(
                    self._away(away_since, COUNTY_TOWN.get(self.village.county_code, "县城"), None, False)
                )
                parent.lives_with_child = False
        elif scenario == "orphan":
            self._orphan(father, mother)
        elif scenario == "unsupported":
            self._unsupported(father, mother)
        elif scenario == "divorced":
            absent = father if rng.random() < 0.6 else mother
            absent.lives_with_child = False
            absent.notes = "父母离异，未与儿童共同生活"
        return [father, mother]

    def _away(self, since, place, ended=None, outside=True) -> SituationSpec:
        evidence = self.rng.choices(["", "employment_proof", "village_statement"], weights=[50, 25, 25])[0]
        return SituationSpec(
            kind="working_away", started_on=since, ended_on=ended, place=place, outside_county=outside,
            evidence_type=evidence, evidence_ref="务工单位出具" if evidence == "employment_proof" else "",
        )  # fmt: skip

    def _incapable(self, parent: PersonSpec) -> None:
        kind, evidence, ref = self.rng.choice(
            [
                ("serious_illness", "medical_diagnosis", "县人民医院诊断证明（尿毒症，长期透析）"),
                ("severe_disability", "disability_certificate", "残疾人证（肢体残疾一级）"),
                ("lacks_capacity", "medical_diagnosis", "精神疾病，经鉴定无民事行为能力"),
            ]
        )
        parent.situations.append(self._status(kind, self.rng.uniform(1, 6), evidence, ref))
        parent.health, parent.capacity = "serious", "none"

    def _mother_after_births(self, mother: PersonSpec, births: list[datetime.date]) -> None:
        """A mother leaves for work at the earliest some months after her youngest child's birth, and
        cannot have died before it; a situation that would start after today is dropped."""
        earliest = births[-1] + datetime.timedelta(days=self.rng.randrange(90, 400))
        kept = []
        for situation in mother.situations:
            if situation.kind in ("working_away", "deceased", "missing", "lost_contact") and (
                situation.started_on is not None and situation.started_on < earliest
            ):
                situation.started_on = earliest
            ends = situation.ended_on
            if situation.started_on is not None and (
                situation.started_on >= self.ctx.today or (ends is not None and situation.started_on >= ends)
            ):
                continue
            kept.append(situation)
        mother.situations[:] = kept
        if not any(s.kind == "working_away" and s.ended_on is None for s in kept):
            mother.lives_with_child = mother.lives_with_child or not any(s.kind == "deceased" for s in kept)

    def _status(self, kind: str, years: float, evidence: str, ref: str) -> SituationSpec:
        """A situation that began `years` ago, with its typed evidence (not about a place: in county)."""
        since = years_ago(self.ctx.today, years)
        return SituationSpec(kind, since, evidence_type=evidence, evidence_ref=ref, outside_county=False)

    def _died(self, parent: PersonSpec, low=0.5, high=12) -> None:
        parent.situations.append(
            self._status("deceased", self.rng.uniform(low, high), "death_certificate", "居民死亡医学证明书")
        )
        parent.lives_with_child, parent.is_guardian, parent.phone = False, False, ""

    def _orphan(self, father: PersonSpec, mother: PersonSpec) -> None:
        self._died(father)
        if self.rng.random() < 0.8:
            self._died(mother)
        else:  # declared missing by a court: counts like death for an orphan
            mother.situations.append(
                self._status("missing", self.rng.uniform(2, 8), "court_declaration", "人民法院宣告失踪判决书")
            )
            mother.lives_with_child, mother.is_guardian, mother.phone = False, False, ""

    def _unsupported(self, father: PersonSpec, mother: PersonSpec) -> None:
        """民发〔2019〕62号: both parents unable, or one dead/missing and the other unable."""
        rng = self.rng
        statuses = [
            ("imprisoned", "prison_certificate", "监狱出具的服刑证明"),
            ("lost_contact", "police_report", "公安机关出具的失联报警回执"),
            ("serious_illness", "medical_diagnosis", "三甲医院诊断证明"),
            ("severe_disability", "disability_certificate", "残疾人证（智力残疾二级）"),
            ("drug_rehab", "rehab_certificate", "强制隔离戒毒决定书"),
        ]
        first, second = (father, mother) if rng.random() < 0.6 else (mother, father)
        if rng.random() < 0.4:
            self._died(first)
        else:
            kind, evidence, ref = rng.choice(statuses[:2] + statuses[4:])
            first.situations.append(self._status(kind, rng.uniform(1, 6), evidence, ref))
            first.lives_with_child = False
        kind, evidence, ref = rng.choice(statuses)
        second.situations.append(self._status(kind, rng.uniform(1, 5), evidence, ref))
        second.lives_with_child = kind in ("serious_illness", "severe_disability")
        second.capacity = "none"

    # --- the child's own facts ---
    def _sibling_births(self, size: int) -> list[datetime.date]:
        for _ in range(50):
            births = sorted(child_birth_date(self.rng, self.ctx.today) for _ in range(size))
            if all((b - a).days > 450 for a, b in zip(births, births[1:], strict=False)):
                return births
        return births[:1]

    def _identity(self, child: ChildSpec, home_code: str) -> None:
        age = (self.ctx.today - child.birth_date).days / 365.25
        share = 0.4 if age < 1 else 0.14 if age < 3 else 0.065
        if self.rng.random() >= share:
            child.id_number = self.ctx.ids.make(home_code, child.birth_date, child.sex)
            return
        reason = (
            "not_issued"
            if age < 1
            else self.rng.choices(["not_issued", "unknown", "unregistered"], weights=[55, 25, 20])[0]
        )
        child.no_id_reason = reason
        if reason == "unregistered":
            child.hukou_type, child.hukou_area_code = "none", None

    def _school_and_health(self, child: ChildSpec) -> None:
        rng = self.rng
        child.grade = grade_for(child.birth_date, self.ctx.today)
        if child.grade.startswith("s") and rng.random() < 0.3:
            child.grade = "vocational"
        if child.grade in ("s2", "s3") and rng.random() < 0.03:
            child.grade = "dropped_out"
        if rng.random() < 0.01:
            kinds, weights = _table(DISABILITY_TYPES)
            child.disability_type = rng.choices(kinds, weights=weights)[0]
            child.disability_grade = rng.choices([1, 2, 3, 4], weights=[15, 30, 30, 25])[0]
            child.disability_difficulty = rng.random() < 0.7
            if child.grade[:1] in "pj" and rng.random() < 0.35:
                child.grade = "special"
        child.in_full_time_study = child.grade in ("s1", "s2", "s3", "vocational")
        child.school = school_for(child.grade, self.village, rng)
        roll = rng.random()
        if roll < 0.005:
            child.health, child.health_notes = (
                "serious",
                rng.choice(["白血病，化疗中", "先天性心脏病，待手术"]),
            )
        elif roll < 0.04:
            child.health, child.health_notes = "chronic", rng.choice(["哮喘", "癫痫", "1 型糖尿病"])

    def _address(self) -> str:
        number = next(self.house_numbers, self.rng.randrange(400, 900))
        if self.village.urban:
            return f"{self.village.short_name}{number % 40 + 1}幢{number % 4 + 1}单元{100 * (number % 6 + 1) + number % 3 + 1}室"
        return f"{self.village.short_name}{number}号"


_ORIGIN_WEIGHT = {"52": 25, "51": 15, "36": 15, "34": 12, "41": 10, "43": 8, "42": 8, "53": 5, "65": 2}


def _migrant_ethnic(province: str, rng: random.Random) -> str:
    if province == "65":
        return "05"
    if province == "52":
        return rng.choices(["06", "09", "01"], weights=[25, 10, 65])[0]
    return "01"


def _dominant_surnames(village: Village, names: NamePicker) -> list[str]:
    """Lineage villages: 蒋村 is mostly 蒋; otherwise two surnames of the region lead."""
    first = village.name[:1]
    if first in SURNAME_CHARS and village.name[1:2] in "村家宅庄岙":
        return [first]
    drawn: list[str] = []
    while len(drawn) < 2:  # lineages of the common single-character surnames
        surname = names.surname()
        if len(surname) == 1 and surname not in drawn:
            drawn.append(surname)
    return drawn


def _copy(person: PersonSpec) -> PersonSpec:
    """Siblings each get their own rows for the same parents (a Person belongs to one child's file)."""
    return PersonSpec(
        **{**person.__dict__, "situations": [SituationSpec(**s.__dict__) for s in person.situations]}
    )
