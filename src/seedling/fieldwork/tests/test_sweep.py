"""The periodic recomputation: time passing makes visits due, overdue, then escalated; idempotent; the
set-based SQL gives the same dates as the per-child rules."""

import datetime

import pytest

from seedling.accounts.roles import Role
from seedling.fieldwork import status as visit_status
from seedling.fieldwork import tasks
from seedling.fieldwork.models import ChildVisitStatus, Visit, VisitFrequency, VisitSweep
from seedling.fieldwork.sweep import visit_statuses_sweep
from seedling.inbox.models import Notification, Task
from seedling.inbox.selectors import task_list
from seedling.registry import services as registry
from seedling.registry.models import CategoryAssignment
from seedling.testing import areas
from seedling.testing.factories import ChildFactory, child_create
from seedling.testing.scenario import make_user

from .conftest import assign, days, left_behind_confirmed, visit

pytestmark = pytest.mark.django_db


def visit_tasks(user):
    return [(t.kind, t.child_id) for t in task_list(user=user) if t.kind.startswith("visit_")]


@pytest.fixture
def other_supervisor(users):
    """The supervisor of another township of the same county."""
    return make_user("supervisor_other", Role.TOWNSHIP_SUPERVISOR, areas.OTHER_TOWNSHIP_VILLAGE[:9], "孙督导")


def test_time_passing_the_due_date_gives_the_director_an_overdue_task(users, clock):
    child = left_behind_confirmed(users.director)
    clock.travel(by=days(91))
    visit_statuses_sweep()
    assert visit_tasks(users.director) == [("visit_overdue", child.pk)]
    task = Task.objects.get(kind="visit_overdue")
    assert (task.assignee_role, task.area_code, task.priority) == (
        Role.VILLAGE_DIRECTOR,
        areas.VILLAGE_A,
        "normal",
    )
    assert task.title == "张小明：走访已逾期"
    assert not visit_tasks(users.director_b)
    assert not visit_tasks(users.supervisor)  # within the grace period: the director's alone
    status = ChildVisitStatus.objects.get(child=child)
    assert status.overdue_since == clock.today()  # due yesterday
    # the director is told once, with a count, and the task links to the visit form
    assert Notification.objects.filter(user=users.director, title__contains="1 名儿童走访已逾期").count() == 1


def test_past_the_grace_period_the_supervisor_of_that_township_only_gets_an_escalation(
    users, clock, other_supervisor
):
    child = left_behind_confirmed(users.director)
    clock.travel(by=days(90 + 8))
    visit_statuses_sweep()
    assert visit_tasks(users.supervisor) == [("visit_escalation", child.pk)]
    assert visit_tasks(other_supervisor) == []
    assert visit_tasks(users.director_b) == []
    escalation = Task.objects.get(kind="visit_escalation")
    assert escalation.priority == "urgent" and str(child.uuid) in escalation.url
    assert Task.objects.get(kind="visit_overdue").priority == "urgent"
    assert ChildVisitStatus.objects.get(child=child).escalated_at is not None
    assert Notification.objects.filter(user=users.supervisor).count() == 1
    assert not Notification.objects.filter(user=other_supervisor).exists()
    # The director visits: every visit task of the child closes, done.
    visit(users.director, child)
    assert not Task.objects.filter(child=child, status="open", kind__startswith="visit_").exists()
    assert Task.objects.filter(child=child, status="done", kind="visit_escalation").exists()


def test_the_sweep_is_idempotent(users, clock):
    children = [left_behind_confirmed(users.director, name=n) for n in ("张一", "张二", "张三")]
    clock.travel(by=days(5))
    visit(users.director, children[0])  # due on day 95: only 5 days late on day 100
    clock.travel(by=days(95))
    first = visit_statuses_sweep()
    snapshot = sorted(Task.objects.values_list("key", "status", "priority", "due_at"))
    notes = Notification.objects.count()
    assert first.alerts_changed == 3
    second = visit_statuses_sweep()
    assert (second.statuses_created, second.due_dates_changed, second.alerts_changed) == (0, 0, 0)
    assert sorted(Task.objects.values_list("key", "status", "priority", "due_at")) == snapshot
    assert Notification.objects.count() == notes
    assert (
        Task.objects.filter(status="open", key__startswith="visit_").count() == 3 + 2
    )  # 3 overdue, 2 escalated


def test_sweep_and_per_child_rules_give_the_same_dates(users, clock):
    """The SQL (sweep.py) and the Python (rules.py) implement one rule: compare them on varied children."""
    VisitFrequency.objects.create(area_prefix=areas.COUNTY, category="left_behind_both", interval_days=60)
    VisitFrequency.objects.create(area_prefix=areas.TOWNSHIP, category="disabled", interval_days=None)
    a = left_behind_confirmed(users.director, name="甲")
    visit(users.director, a, visited_on=clock.today() - days(20), risk_flags=["living_alone"])
    b = left_behind_confirmed(users.director, name="乙")
    visit(users.director, b, visited_on=clock.today() - days(5), follow_up_on=clock.today() + days(3))
    c = child_create(users.director, name="丙")
    assign(users.director, c, "orphan", started_on=clock.today() - days(100))
    assign(users.director, c, "disabled")
    visit(users.director, c, visited_on=clock.today() - days(2), method="phone")
    d = child_create(users.director_other_county, name="丁", area_code=areas.OTHER_COUNTY_VILLAGE)
    assign(users.director_other_county, d, "migrant", started_on=clock.today() - days(400))
    e = child_create(users.director, name="戊")
    assign(users.director, e, "disabled")  # no visits required in this township
    expected = {}
    for child in (a, b, c, d, e):
        last, follow_up, high_risk = visit_status.visit_facts(child)
        due = visit_status.child_due(
            child=child, last_visit_on=last, follow_up_on=follow_up, high_risk=high_risk
        )
        expected[child.pk] = (due.interval_days, due.next_due_on)
    # Forget every stored date; the sweep alone must find them again.
    ChildVisitStatus.objects.update(next_due_on=None, interval_days=None)
    ChildVisitStatus.objects.filter(child=d).delete()
    visit_statuses_sweep()
    stored = {s.child_id: (s.interval_days, s.next_due_on) for s in ChildVisitStatus.objects.all()}
    assert {pk: stored.get(pk, (None, None)) for pk in expected} == expected
    assert expected[a.pk][0] == 30 and expected[b.pk][1] == clock.today() + days(3)
    assert expected[c.pk][1] == clock.today() - days(70)  # the phone call did not count
    assert expected[e.pk] == (None, None)


def test_the_sweep_picks_up_rows_loaded_in_bulk(users, clock):
    """Rows written without the services (seedling generate, imports) get their status on the next run."""
    child = ChildFactory()
    CategoryAssignment.objects.create(
        child=child, category="orphan", started_on=clock.today() - days(200), reason="批量导入"
    )
    Visit.objects.create(child=child, area_code=child.area_id, visited_on=clock.today() - days(40))
    visit_statuses_sweep()
    status = ChildVisitStatus.objects.get(child=child)
    assert status.last_visit_on == clock.today() - days(40)
    assert status.next_due_on == clock.today() - days(10) and status.alert == "escalated"
    assert visit_tasks(users.supervisor) == [("visit_escalation", child.pk)]


def test_the_hourly_job_turns_the_calendar_daily_and_recomputes_weekly_and_after_a_frequency_change(
    users, clock
):
    left_behind_confirmed(users.director)
    assert tasks.visit_statuses_refresh.call()["run"] == "full"  # never run yet
    assert tasks.visit_statuses_refresh.call() == {"skipped": True}
    VisitFrequency.objects.filter(area_prefix="", category="left_behind_both").update(interval_days=4)
    clock.travel(by=days(5))
    result = tasks.visit_statuses_refresh.call()
    assert result["run"] == "full"
    assert result["due_dates_changed"] == 1 and result["alerts_changed"] == 1  # overdue at once
    # An administrator's edit opens the tasks without a digest to every director at once.
    assert Task.objects.filter(kind="visit_overdue", status="open").exists()
    assert not Notification.objects.filter(title__contains="走访").exists()
    clock.travel(by=days(1))
    assert tasks.visit_statuses_refresh.call()["run"] == "daily"
    for _ in range(6):
        clock.travel(by=days(1))
        tasks.visit_statuses_refresh.call()
    assert VisitSweep.objects.filter(full=True).count() == 3  # a week after the last full run


def test_the_daily_run_alone_raises_the_alerts_as_time_passes(users, clock, other_supervisor):
    child = left_behind_confirmed(users.director)
    clock.travel(by=days(80))
    visit_statuses_sweep(full=False)
    assert visit_tasks(users.director) == [("visit_due", child.pk)]
    clock.travel(by=days(11))
    visit_statuses_sweep(full=False)
    assert visit_tasks(users.director) == [("visit_overdue", child.pk)]
    clock.travel(by=days(7))
    visit_statuses_sweep(full=False)
    assert visit_tasks(users.supervisor) == [("visit_escalation", child.pk)] and not visit_tasks(
        other_supervisor
    )


def test_visit_tasks_keep_their_due_date_when_an_earlier_visit_is_entered_late(users, clock):
    child = left_behind_confirmed(users.director)
    clock.travel(by=days(85))
    visit_statuses_sweep()
    due_task = Task.objects.get(kind="visit_due", status="open")
    # A visit made 10 days ago, entered only now: due again 80 days from today, the task closes.
    visit(users.director, child, visited_on=clock.today() - days(10))
    due_task.refresh_from_db()
    assert due_task.status == "done"
    assert ChildVisitStatus.objects.get(child=child).next_due_on == clock.today() + days(80)


def test_a_child_file_closed_during_the_day_leaves_the_work_list(users, clock):
    child = left_behind_confirmed(users.director)
    clock.travel(by=days(95))
    visit_statuses_sweep()
    child.refresh_from_db()
    registry.child_update(
        user=users.director,
        child=child,
        expected_version=child.version,
        fields={"status": "deceased", "status_changed_on": clock.today()},
    )
    visit_statuses_sweep()
    assert not Task.objects.filter(child=child, status="open", kind__startswith="visit_").exists()


def test_due_at_is_the_end_of_the_due_day_in_china(users, clock):
    left_behind_confirmed(users.director)
    clock.travel(by=days(80))
    visit_statuses_sweep()
    task = Task.objects.get(kind="visit_due")
    local = task.due_at.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert (local.date(), local.time()) == (clock.today() + days(10), datetime.time(23, 59, 59))
