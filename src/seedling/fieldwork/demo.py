"""Demo visits (演示走访记录): a year of home visits for the demo children who need them.

Most children are visited on time; about one in seven was last seen long ago and shows as overdue on
the director's and the supervisor's lists. Two recent visits in 寺后村 go through the service like a
director's form: one finds a child living alone (a mandatory report goes to the police contact), one
notes a worry about the child's mood. Idempotent: nothing happens once the demo county has visits.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from seedling.accounts.demo import VILLAGE_A, VILLAGE_B
from seedling.accounts.models import User
from seedling.core import clock
from seedling.core.scope import area_q
from seedling.protection.demo import report_contacts_demo_ensure
from seedling.registry.models import CategoryAssignment, Child

from . import services
from .choices import Present, RiskFlag, VisitMethod
from .models import ChildVisitStatus, Visit
from .sweep import visit_statuses_sweep

DEMO_COUNTIES = ("330723", "331081", "110112")
OVERDUE_SHARE = 0.15
GUARDIANSHIP = [
    "祖父母照料，生活起居正常，家中整洁。",
    "由奶奶照料，奶奶身体尚可，能按时做饭接送。",
    "委托照护人为叔叔，照护较用心，每周与父母视频。",
    "外公外婆照料，外公腿脚不便，日常由外婆负责。",
]
SCHOOLING = ["在校就读，成绩中等，按时到校。", "在村小就读，老师反映学习认真。", "上幼儿园，接送正常。", "初中住校，周末回家。"]  # fmt: skip
HEALTH = ["身体健康。", "近期感冒已愈。", "按时接种疫苗，无慢性病。", "视力偏弱，已提醒配镜。"]
MOOD = [
    "情绪稳定，愿意交流。",
    "较内向，提到想念父母。",
    "开朗，和同学相处融洽。",
    "话不多，问到学校时有笑容。",
]


def _visitors() -> dict[str, User | None]:
    users = {u.username: u for u in User.objects.filter(username__in=["director", "director2", "supervisor"])}
    return {VILLAGE_A: users.get("director"), VILLAGE_B: users.get("director2"), "": users.get("supervisor")}


def _history(rng: random.Random, status: ChildVisitStatus, child: Child, visitor, today) -> list[Visit]:
    """Visits at about the child's interval over the last year; an overdue child stopped being seen."""
    interval = status.interval_days or 90
    gap = interval + rng.randint(1, 90) if rng.random() < OVERDUE_SHARE else rng.randint(0, interval - 5)
    day = today - datetime.timedelta(days=gap)
    start = max(today - datetime.timedelta(days=365), child.birth_date)
    visits = []
    while day >= start:
        stamp = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 30)))
        visits.append(
            Visit(
                child=child,
                area_code=child.area_id,
                visited_on=day,
                method=VisitMethod.PHONE if rng.random() < 0.1 else VisitMethod.HOME,
                visitor=visitor,
                present=f"{Present.CHILD},{Present.CARER}",
                guardianship=rng.choice(GUARDIANSHIP),
                schooling=rng.choice(SCHOOLING),
                health=rng.choice(HEALTH),
                mental_health=rng.choice(MOOD),
                created_at=stamp,
                updated_at=stamp,
            )
        )
        day -= datetime.timedelta(days=max(interval - rng.randint(0, 10), 14))
    return visits


@transaction.atomic
def demo_ensure(*, seed: int = 1) -> dict:
    """Visits for the demo counties' children with a visit plan, the due dates, and two flagged visits."""
    in_demo = area_q("area_code", DEMO_COUNTIES[0])
    for county in DEMO_COUNTIES[1:]:
        in_demo |= area_q("area_code", county)
    if Visit.objects.filter(in_demo).exists():
        return {"visits": 0}
    report_contacts_demo_ensure()
    today = clock.today()
    # Who needs visits, at what interval (while the categories date from today nothing is due yet, so
    # this run opens no tasks); then the register gets its year of history.
    visit_statuses_sweep(today=today, notify=False)
    _register_kept_for_a_year(today)
    rng = random.Random(seed)
    visitors = _visitors()
    statuses = (
        ChildVisitStatus.objects.filter(in_demo, interval_days__isnull=False)
        .select_related("child")
        .order_by("child_id")
    )
    rows: list[Visit] = []
    for status in statuses:
        visitor = visitors.get(status.area_code) or visitors[""]
        rows += _history(rng, status, status.child, visitor, today)
    Visit.objects.bulk_create(rows, batch_size=1000)
    # Visits written around the services: the statuses are rebuilt from them (last visit, due date).
    ChildVisitStatus.objects.filter(in_demo).delete()
    visit_statuses_sweep(today=today, notify=False)
    _flagged_visits(today)
    return {"visits": len(rows) + 2}


def _register_kept_for_a_year(today: datetime.date) -> None:
    """The demo county has kept its register for a year: categories confirmed by the demo load today
    date from a year ago (or birth), so visit duties are as old as the visits that follow them."""
    year_ago = today - datetime.timedelta(days=365)
    fresh = CategoryAssignment.objects.filter(
        started_on__gte=today - datetime.timedelta(days=7), ended_on__isnull=True
    )
    fresh.filter(child__birth_date__lte=year_ago).update(started_on=year_ago)
    for assignment in fresh.select_related("child"):
        CategoryAssignment.objects.filter(pk=assignment.pk).update(started_on=assignment.child.birth_date)


def _flagged_visits(today: datetime.date) -> None:
    """Two visits through the service, as a director records them (a report, a worry)."""
    director = User.objects.filter(username="director").first()
    if director is None:
        return
    children = list(Child.objects.filter(area_id=VILLAGE_A, merged_into__isnull=True).order_by("pk")[:40])
    older = [c for c in children if (today - c.birth_date).days > 365 * 9]
    if len(older) < 2:
        return
    services.visit_record(
        user=director,
        child=older[0],
        fields={
            "visited_on": today - datetime.timedelta(days=1),
            "present": [Present.CHILD],
            "guardianship": "奶奶上月住院，孩子独自在家居住已两周，邻居偶尔送饭。",
            "schooling": "仍按时到校。",
            "mental_health": "说晚上害怕，睡不好。",
            "risk_flags": [RiskFlag.LIVING_ALONE],
            "risk_notes": "已联系在外务工的父亲，父亲答应本周内回来。",
            "actions": "当晚安排邻居家暂住，已报告派出所和乡镇督导员。",
            "follow_up_on": today + datetime.timedelta(days=3),
        },
        today=today,
    )
    services.visit_record(
        user=director,
        child=older[1],
        fields={
            "visited_on": today - datetime.timedelta(days=3),
            "present": [Present.CHILD, Present.CARER],
            "guardianship": "爷爷奶奶照料，生活正常。",
            "mental_health": "近一个月不爱说话，老师反映上课走神。",
            "risk_flags": [RiskFlag.MENTAL_HEALTH],
            "actions": "已告知学校心理辅导员，建议参加下次心理筛查。",
            "follow_up_on": today + datetime.timedelta(days=14),
        },
        today=today,
    )
