"""Demo screening (演示心理筛查): a pilot school's class screened with PHQ-A, and an anonymous GAD-7.

履坦镇 has two pilot schools (shared with the schools demo by their school codes): the central primary
school's 五年级1班 and the junior middle school's 初二(3)班. The grade-8 class was screened this week
through the same services as the pages: guardians' consents for the under-14s, several answers (one
red, which puts an urgent task in the counsellor's inbox), a few still to come. The township also runs
an anonymous GAD-7 self-check by QR code. Idempotent: nothing happens once the demo campaign exists.
"""

import datetime
import random

from django.db import transaction

from seedling.accounts.demo import TOWNSHIP, demo_users_ensure
from seedling.accounts.models import User
from seedling.core import clock
from seedling.core.scope import area_q
from seedling.geo.models import Division
from seedling.registry.choices import ChildStatus
from seedling.registry.models import Child
from seedling.schools.models import School, SchoolClass, Student

from . import campaigns, consents, rules, screening
from .instrument_form import item_field
from .models import Campaign, GuardianConsent, QuestionnaireVersion

PHQ_TITLE = "初二(3)班 秋季心理健康筛查（PHQ-A）"
GAD_TITLE = "履坦镇中小学生匿名焦虑自评（GAD-7）"
PRIMARY = ("3307230001", "武义县履坦镇中心小学", School.Kind.PRIMARY)
JUNIOR = ("3307230002", "武义县履坦镇初级中学", School.Kind.JUNIOR)
GRADE5 = ["陈思远", "何雨桐", "朱浩然", "郑可欣", "黄梓涵", "徐嘉豪", "吴欣怡", "孙铭轩", "马诗琪", "胡子墨"]
GRADE8 = [
    "王一诺",
    "李佳怡",
    "张宇航",
    "刘欣然",
    "杨子豪",
    "赵雨萱",
    "周俊杰",
    "吴梦瑶",
    "钱浩宇",
    "孙雅琪",
    "潘志远",
    "叶晓彤",
]
GUARDIANS = [("父亲", "王"), ("母亲", "李"), ("祖母", "张"), ("父亲", "刘")]
# PHQ-A answers (items 1-9, then 10-13): how this week's completed forms came out.
PHQ_ANSWERS = [
    [0, 1, 0, 0, 1, 0, 0, 0, 0],  # green
    [1, 1, 0, 1, 1, 0, 1, 0, 0],  # yellow
    [0, 0, 1, 0, 0, 0, 0, 0, 0],  # green
    [2, 2, 1, 1, 2, 1, 1, 1, 0],  # orange
    [3, 3, 3, 2, 3, 3, 2, 2, 1],  # red, item 9: urgent today
    [1, 0, 0, 1, 0, 0, 0, 1, 0],  # green
]
GAD_ANSWERS = [
    [0, 1, 0, 0, 1, 0, 0],
    [1, 1, 1, 1, 0, 1, 0],
    [2, 2, 1, 2, 1, 1, 2],
    [0, 0, 0, 0, 0, 0, 0],
    [1, 2, 1, 1, 1, 0, 1],
]


def school_year(today: datetime.date) -> int:
    """The school year starts in September: 2026-10 is in 2026, 2026-03 in 2025."""
    return today.year if today.month >= 9 else today.year - 1


def _birth(today: datetime.date, age: int, rng: random.Random) -> datetime.date:
    return today.replace(year=today.year - age) - datetime.timedelta(days=rng.randint(20, 340))


def _school(code: str, name: str, kind: str) -> School:
    school, _created = School.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "area_id": TOWNSHIP,
            "pilot": True,
            "pilot_since": datetime.date(2024, 9, 1),
        },
    )
    return school


def _class(school: School, name: str, grade: int, names: list[str], rng, today) -> SchoolClass:
    klass, _created = SchoolClass.objects.get_or_create(
        school=school,
        school_year=school_year(today),
        grade=grade,
        name=name,
        defaults={"head_teacher": "俞老师"},
    )
    if klass.students.exists():
        return klass
    age = grade + 6  # a grade-8 student is 13 or 14
    # Some students are registered children of the township: their results reach their files.
    after, latest = rules.birth_date_bounds({"min": age - 1, "max": age}, today)
    registered = list(
        Child.objects.filter(
            area_q("area", TOWNSHIP),
            status=ChildStatus.ACTIVE,
            merged_into__isnull=True,
            birth_date__gt=after,
            birth_date__lte=latest,
            students__isnull=True,
        ).order_by("pk")[:3]
    )
    for number, name in enumerate(names, start=1):
        child = registered.pop(0) if registered and number % 3 == 1 else None
        Student.objects.create(
            school_class=klass,
            child=child,
            name=child.name if child else name,
            sex=(child.sex if child else rng.choice("MF")),
            birth_date=child.birth_date if child else _birth(today, age - rng.randint(0, 1), rng),
            student_number=f"{school_year(today)}{grade:02d}{number:02d}",
        )
    return klass


def _answers(values: list[int], extra: dict | None = None) -> dict:
    data = {item_field(str(i)): str(v) for i, v in enumerate(values, 1)}
    data.update({item_field(k): str(v) for k, v in (extra or {}).items()})
    return data


def _form(code: str) -> QuestionnaireVersion:
    return (
        QuestionnaireVersion.objects.filter(instrument_version__instrument__code=code)
        .order_by("-number")
        .first()
    )


@transaction.atomic
def demo_ensure(*, seed: int = 1) -> dict:
    """The pilot schools and classes (when missing), a PHQ-A class campaign with answers, an anonymous GAD-7."""
    if Campaign.objects.filter(title=PHQ_TITLE).exists():
        return {"campaigns": 0}
    counsellor = User.objects.filter(username="counsellor").first() or demo_users_ensure()["counsellor"]
    rng, today, now = random.Random(seed), clock.today(), clock.now()
    primary, junior = _school(*PRIMARY), _school(*JUNIOR)
    for school in (primary, junior):
        school.counsellors.add(counsellor)
    _class(primary, "五年级1班", 5, GRADE5, rng, today)
    grade8 = _class(junior, "初二(3)班", 8, GRADE8, rng, today)

    window = {"opens_at": now - datetime.timedelta(days=3), "closes_at": now + datetime.timedelta(days=4)}
    campaign = campaigns.campaign_create(
        user=counsellor,
        fields={
            "title": PHQ_TITLE,
            "questionnaire_version": _form("phq-a"),
            "target": Campaign.Target.CLASS,
            "school_class": grade8,
            "counsellor": counsellor,
            "remind_every_days": 2,
            "rescreen_after_days": 180,
            **window,
        },
    )
    opened = campaigns.campaign_open(user=counsellor, campaign=campaign)
    campaign, invitations = opened.campaign, [c.invitation for c in opened.codes]
    # Most guardians of the under-14s signed the consent form sent home; the last two have not yet.
    under_14 = [i for i in invitations if rules.needs_guardian_consent(i.student.birth_date, today)]
    waiting = {i.pk for i in under_14[-2:]} if len(under_14) > 2 else set()
    answered = 0
    for number, invitation in enumerate(invitations):
        if invitation.pk in waiting:
            continue
        if invitation in under_14:
            relation, surname = GUARDIANS[number % len(GUARDIANS)]
            consents.consent_record(
                user=counsellor,
                student=invitation.student,
                campaign=campaign,
                fields={
                    "guardian_name": f"{surname}{rng.choice(['建国', '秀英', '丽华', '国强'])}",
                    "relation": relation,
                    "method": GuardianConsent.Method.PAPER,
                    "given_on": today - datetime.timedelta(days=5),
                    "note": "家长会上签署的知情同意书",
                },
            )
        if answered < len(PHQ_ANSWERS):
            extra = {"10": int(answered == 4), "11": 2 if answered >= 3 else 0, "12": 0, "13": 0}
            screening.invitation_start(invitation=invitation)
            screening.campaign_response_submit(
                campaign=campaign,
                invitation=invitation,
                data=_answers(PHQ_ANSWERS[answered], extra),
                language="zh",
            )
            answered += 1

    anonymous = campaigns.campaign_create(
        user=counsellor,
        fields={
            "title": GAD_TITLE,
            "questionnaire_version": _form("gad7"),
            "target": Campaign.Target.ANONYMOUS,
            "area": Division.objects.get(code=TOWNSHIP),
            "counsellor": counsellor,
            "remind_every_days": 0,
            **window,
        },
    )
    anonymous = campaigns.campaign_open(user=counsellor, campaign=anonymous).campaign
    for values in GAD_ANSWERS:
        screening.campaign_response_submit(campaign=anonymous, data=_answers(values), language="zh")
    return {"campaigns": 2, "invited": len(invitations), "answered": answered, "anonymous": len(GAD_ANSWERS)}
