"""Demo schools (学校演示): two pilot schools of 履坦镇 (330723101) with a class each, a roster of
about 25 pupils, a few pupils linked to registered demo children of the township, and two
mental-health education activities per school. Idempotent: schools by their 学校标识码 (the
screening demo may create the same schools), classes by name, rosters only while empty.
"""

import datetime
import random

from django.db import transaction

from seedling.accounts.models import User
from seedling.core import clock
from seedling.core.scope import area_q
from seedling.geo.models import Division
from seedling.registry.models import Child

from . import rules
from .models import EducationActivity, School, SchoolClass, Student

TOWNSHIP = "330723101"
# (code, name, kind, class name, grade)
SCHOOLS = [
    ("3307230001", "武义县履坦镇中心小学", School.Kind.PRIMARY, "五年级1班", 5),
    ("3307230002", "武义县履坦镇初级中学", School.Kind.JUNIOR, "初二(3)班", 8),
]
ROSTER_SIZE = 25
LINKED = 3  # registered children of a fitting age put on each roster

SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆汪范金石廖贾夏韦傅方邹熊"
GIVEN_BOYS = [
    "浩然",
    "子轩",
    "宇航",
    "俊杰",
    "一鸣",
    "梓睿",
    "嘉豪",
    "明哲",
    "思远",
    "博文",
    "晨阳",
    "天佑",
    "泽宇",
    "昊天",
    "皓轩",
]
GIVEN_GIRLS = [
    "雨桐",
    "欣怡",
    "子涵",
    "诗琪",
    "梦瑶",
    "思彤",
    "可馨",
    "佳怡",
    "语嫣",
    "若曦",
    "婉清",
    "静怡",
    "雨萱",
    "芷若",
    "一诺",
]
ACTIVITIES = [
    (EducationActivity.Kind.LESSON, EducationActivity.Audience.STUDENTS, "认识我的情绪", 20),
    (
        EducationActivity.Kind.PARENTS,
        EducationActivity.Audience.PARENTS,
        "留守儿童的亲子沟通：远方的父母怎么陪伴",
        45,
    ),
]


def _birth_range(school_year: int, grade: int) -> tuple[datetime.date, datetime.date]:
    # Grade 1 at six by 31 August: grade g in school year S was born Sep (S-g-6) to Aug (S-g-5).
    return datetime.date(school_year - grade - 6, 9, 1), datetime.date(school_year - grade - 5, 8, 31)


def _random_birth(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    return low + datetime.timedelta(days=rng.randint(0, (high - low).days))


def _roster(rng: random.Random, school_class: SchoolClass, low, high) -> int:
    children = list(
        Child.objects.filter(area_q("area", TOWNSHIP), birth_date__range=(low, high))
        .exclude(students__school_class=school_class)
        .order_by("pk")[:LINKED]
    )
    rows = [
        Student(school_class=school_class, child=c, name=c.name, sex=c.sex, birth_date=c.birth_date)
        for c in children
    ]
    used = {c.name for c in children}
    while len(rows) < ROSTER_SIZE:
        sex = rng.choice("MF")
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_BOYS if sex == "M" else GIVEN_GIRLS)
        if name in used:
            continue
        used.add(name)
        rows.append(
            Student(school_class=school_class, name=name, sex=sex, birth_date=_random_birth(rng, low, high))
        )
    rows.sort(key=lambda s: s.name)
    for number, student in enumerate(rows, start=1):
        student.student_number = f"{school_class.school_year}{school_class.grade:02d}{number:02d}"
    Student.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def demo_ensure(*, seed: int = 5) -> dict:
    """The two pilot schools of 履坦镇 with a class, a roster and two activities each."""
    area = Division.objects.filter(code=TOWNSHIP).first()
    if area is None:
        return {"skipped": "township 330723101 not loaded"}
    rng = random.Random(seed)
    today = clock.today()
    year = rules.school_year_of(today)
    counsellor = User.objects.filter(username="counsellor").first()
    created = {"schools": 0, "students": 0, "activities": 0}
    for code, name, kind, class_name, grade in SCHOOLS:
        school, made = School.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "area": area,
                "pilot": True,
                "pilot_since": datetime.date(year - 1, 9, 1),
                "address": "浙江省金华市武义县履坦镇",
            },
        )
        created["schools"] += int(made)
        if counsellor is not None:
            school.counsellors.add(counsellor)
        school_class, _made = SchoolClass.objects.get_or_create(
            school=school, school_year=year, grade=grade, name=class_name, defaults={"head_teacher": "俞老师"}
        )
        if not school_class.students.exists():
            low, high = _birth_range(year, grade)
            created["students"] += _roster(rng, school_class, low, high)
        for offset, (kind_, audience, title, participants) in enumerate(ACTIVITIES):
            held_on = max(rules.term_start(today), today - datetime.timedelta(days=7 + 14 * offset))
            _activity, made = EducationActivity.objects.get_or_create(
                school=school,
                title=title,
                defaults={
                    "school_class": school_class if audience == EducationActivity.Audience.STUDENTS else None,
                    "held_on": held_on,
                    "kind": kind_,
                    "audience": audience,
                    "participants": participants
                    if audience != EducationActivity.Audience.STUDENTS
                    else ROSTER_SIZE,
                    "recorded_by": counsellor,
                },
            )
            created["activities"] += int(made)
    return created
