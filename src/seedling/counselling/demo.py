"""Demo counsellor pool (心理辅导员库演示) and requests for help, in 履坦镇 (330723101). Idempotent.

The scenario user "counsellor" (褚老师) joins the pool as the township's school mental-health
teacher, supervised by a county supervising counsellor (沈老师, "counsellor_lead"); a second
township counsellor (韩老师, "counsellor2") shares the load. Three requests for help come in through
help_request_create (so they are assigned the way real ones are), two with session notes.
"""

import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction

from seedling.accounts.demo import DEMO_PASSWORD
from seedling.accounts.models import Membership, User
from seedling.accounts.roles import Role
from seedling.core import clock
from seedling.geo.models import Division

from . import services
from .models import Counsellor, HelpRequest

TOWNSHIP = "330723101"
COUNTY = "330723"
# (username, full name, role, membership area, qualification, service area, supervised by the lead)
POOL = [
    (
        "counsellor_lead",
        "沈老师",
        Role.SCHOOL_COUNSELLOR,
        COUNTY,
        Counsellor.Qualification.COUNSELLOR_2,
        COUNTY,
    ),
    (
        "counsellor",
        "褚老师",
        Role.SCHOOL_COUNSELLOR,
        TOWNSHIP,
        Counsellor.Qualification.SCHOOL_TEACHER,
        TOWNSHIP,
    ),
    ("counsellor2", "韩老师", Role.SOCIAL_WORKER, TOWNSHIP, Counsellor.Qualification.SOCIAL_WORKER, TOWNSHIP),
]
# (requester, contact name, contact, message, urgent, notes: [(days ago, risk, text, next in days)])
REQUESTS = [
    (
        "child",
        "小雨",
        "",
        "爸爸妈妈在外地打工，过年也没回来。最近晚上睡不着，上课老走神，不知道跟谁说。",
        False,
        [
            (
                6,
                "low",
                "电话沟通约 30 分钟。孩子想念父母，夜间入睡困难约三周；无自伤想法。约定每周三放学后面谈。",
                2,
            )
        ],
    ),
    (
        "guardian",
        "刘奶奶",
        "139 0579 2468",
        "孙子这学期不爱说话，回家就关在房间里，成绩也下降了，想请老师帮忙看看。",
        False,
        [],
    ),
    (
        "teacher",
        "俞老师",
        "0579-87654321",
        "班上一名学生在作文里写了“活着没意思”，请尽快联系。",
        True,
        [
            (
                1,
                "moderate",
                "当天在校面谈。学生承认近期有消极想法，无具体计划；已告知班主任加强关注，联系监护人。",
                1,
            )
        ],
    ),
]


def _user(username: str, full_name: str, role: str, area_code: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name)
        user.password = make_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, role=role, area=Division.objects.get(code=area_code))
    return user


@transaction.atomic
def demo_ensure() -> dict:
    """The pool of three counsellors and three requests for help with notes (once)."""
    if not Division.objects.filter(code=TOWNSHIP).exists():
        return {"skipped": "township 330723101 not loaded"}
    created = {"counsellors": 0, "requests": 0, "notes": 0}
    lead = None
    for username, full_name, role, area_code, qualification, service_area in POOL:
        user = _user(username, full_name, role, area_code)
        counsellor, made = Counsellor.objects.get_or_create(
            user=user,
            defaults={
                "qualification": qualification,
                "languages": ",zh,",
                "home_area": Division.objects.get(code=area_code),
                "capacity": 10 if username != "counsellor_lead" else 5,
                "supervisor": lead,
                "phone": "",
            },
        )
        if made:
            counsellor.areas.set([Division.objects.get(code=service_area)])
            created["counsellors"] += 1
        if username == "counsellor_lead":
            lead = user
    messages = [spec[3] for spec in REQUESTS]
    if HelpRequest.objects.filter(message__in=messages).exists():
        return created
    today = clock.today()
    for requester, contact_name, contact, message, urgent, notes in REQUESTS:
        request = services.help_request_create(
            source=HelpRequest.Source.PORTAL if requester == "child" else HelpRequest.Source.STAFF,
            area=TOWNSHIP + "201",
            requester=requester,
            contact_name=contact_name,
            contact=contact,
            message=message,
            urgent=urgent,
        )
        created["requests"] += 1
        if request.counsellor is None:
            continue
        for days_ago, risk, text, next_in in notes:
            services.session_note_write(
                user=request.counsellor.user,
                request=request,
                fields={
                    "held_on": today - datetime.timedelta(days=days_ago),
                    "mode": "phone" if requester == "child" else "in_person",
                    "risk": risk,
                    "text": text,
                    "next_on": today + datetime.timedelta(days=next_in),
                },
            )
            created["notes"] += 1
    return created
