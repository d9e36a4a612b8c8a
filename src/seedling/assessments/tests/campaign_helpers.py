"""Helpers of the campaign tests: a pilot school with classes and students, campaigns, answers."""

import datetime

from seedling.assessments import campaigns
from seedling.assessments.instrument_form import item_field
from seedling.assessments.models import QuestionnaireVersion
from seedling.core import clock
from seedling.geo.models import Division
from seedling.schools.models import School, SchoolClass, Student
from seedling.testing import areas


def form_of(code: str) -> QuestionnaireVersion:
    return (
        QuestionnaireVersion.objects.filter(instrument_version__instrument__code=code)
        .order_by("-number")
        .first()
    )


def born(years: int, days: int = 10) -> datetime.date:
    """A birth date `years` full years before today (and a few days more)."""
    today = clock.today()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def make_school(code: str = "3307239901", area: str = areas.TOWNSHIP, name: str = "履坦镇测试中学") -> School:
    return School.objects.create(name=name, code=code, kind=School.Kind.JUNIOR, area_id=area, pilot=True)


def make_class(school: School, name: str = "初二(3)班", grade: int = 8, year: int = 2026) -> SchoolClass:
    return SchoolClass.objects.create(school=school, school_year=year, grade=grade, name=name)


def add_student(
    school_class: SchoolClass, name: str, *, age: int | None = 14, child=None, active=True
) -> Student:
    return Student.objects.create(
        school_class=school_class,
        name=name,
        birth_date=born(age) if age is not None else None,
        child=child,
        active=active,
    )


def window(days: int = 7, start: int = -1) -> dict:
    now = clock.now()
    return {
        "opens_at": now + datetime.timedelta(hours=start),
        "closes_at": now + datetime.timedelta(days=days),
    }


def campaign_for(user, *, target="class", instrument="phq-a", **fields):
    """Create a campaign through the service (a draft)."""
    values = {
        "title": "测试筛查",
        "questionnaire_version": form_of(instrument),
        "target": target,
        **window(),
        **fields,
    }
    if target in ("area", "anonymous") and "area" not in values:
        values["area"] = Division.objects.get(code=areas.TOWNSHIP)
    return campaigns.campaign_create(user=user, fields=values)


def opened(user, **kwargs):
    campaign = campaign_for(user, **kwargs)
    return campaigns.campaign_open(user=user, campaign=campaign)


def answers(values: list[int], extra: dict | None = None) -> dict:
    """Posted answers of an instrument: item 1..n with the given option values."""
    data = {item_field(str(i)): str(v) for i, v in enumerate(values, 1)}
    data.update({item_field(k): str(v) for k, v in (extra or {}).items()})
    return data


# PHQ-A: nine scored items, then 10-13 (10 and 12-13 yes/no, 11 difficulty).
PHQ_A_GREEN = answers([0] * 9, {"10": 0, "11": 0, "12": 0, "13": 0})
PHQ_A_YELLOW = answers([1, 1, 1, 1, 1, 1, 0, 0, 0], {"10": 0, "11": 0, "12": 0, "13": 0})
PHQ_A_ORANGE = answers([2, 2, 2, 1, 1, 1, 1, 1, 0], {"10": 0, "11": 1, "12": 0, "13": 0})
PHQ_A_RED = answers([3, 3, 3, 3, 3, 3, 2, 2, 0], {"10": 1, "11": 2, "12": 0, "13": 0})
PHQ_A_ITEM9 = answers([0, 0, 0, 0, 0, 0, 0, 0, 1], {"10": 0, "11": 0, "12": 0, "13": 0})
GAD7_HIGH = answers([3, 3, 3, 3, 3, 3, 3])
GAD7_LOW = answers([0, 0, 0, 0, 0, 0, 0])
