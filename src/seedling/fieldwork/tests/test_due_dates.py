"""A child's next visit date follows its categories and visits, as the director records them."""

import pytest

from seedling.fieldwork.models import ChildVisitStatus, VisitFrequency
from seedling.fieldwork.sweep import visit_statuses_sweep
from seedling.inbox.models import Task
from seedling.inbox.selectors import task_list
from seedling.registry import categories
from seedling.registry import services as registry
from seedling.testing import areas
from seedling.testing.factories import child_create

from .conftest import assign, days, left_behind_confirmed, visit

pytestmark = pytest.mark.django_db


def status_of(child) -> ChildVisitStatus:
    return ChildVisitStatus.objects.get(child=child)


def test_a_confirmed_left_behind_child_is_due_in_90_days(users, clock):
    child = left_behind_confirmed(users.director)
    status = status_of(child)
    assert status.interval_days == 90
    assert status.next_due_on == clock.today() + days(90)
    assert status.last_visit_on is None
    assert not Task.objects.filter(child=child, kind__startswith="visit_").exists()  # not due within 14 days


def test_a_child_without_a_category_that_needs_visits_has_no_due_date(users):
    child = child_create(users.director, name="王小华")
    assert not ChildVisitStatus.objects.filter(child=child).exists()


def test_recording_a_visit_moves_the_due_date_and_closes_the_due_task(users, clock):
    child = left_behind_confirmed(users.director)
    clock.travel(by=days(80))
    visit_statuses_sweep()
    (task,) = task_list(user=users.director)
    assert (task.kind, task.child_id, task.status) == ("visit_due", child.pk, "open")
    assert str(child.uuid) in task.url  # the task opens the visit form for this child

    visit(users.director, child)

    status = status_of(child)
    assert status.last_visit_on == clock.today()
    assert status.next_due_on == clock.today() + days(90)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.closed_by == users.director
    assert not task_list(user=users.director).exists()


def test_a_phone_call_does_not_replace_the_visit_in_person(users, clock):
    child = left_behind_confirmed(users.director)
    due = status_of(child).next_due_on
    clock.travel(by=days(30))
    visit(users.director, child, method="phone", present=["parents_remote"])
    assert status_of(child).next_due_on == due


def test_the_shortest_interval_of_the_open_categories_wins(users, clock):
    child = left_behind_confirmed(users.director)
    visit(users.director, child)
    assign(users.supervisor, child, "difficulty_guardianship")  # monthly
    status = status_of(child)
    assert (status.interval_days, status.next_due_on) == (30, clock.today() + days(30))


def test_a_province_sets_its_own_frequency(users, clock):
    VisitFrequency.objects.create(area_prefix=areas.PROVINCE, category="orphan", interval_days=20)
    child = child_create(users.director, name="刘小红")
    assign(users.county_officer, child, "orphan")
    assert status_of(child).next_due_on == clock.today() + days(20)
    other = child_create(users.director_other_county, name="陈小红", area_code=areas.OTHER_COUNTY_VILLAGE)
    VisitFrequency.objects.create(area_prefix=areas.OTHER_COUNTY, category="orphan", interval_days=15)
    assign(users.director_other_county, other, "orphan")
    assert status_of(other).next_due_on == clock.today() + days(15)  # the county's own figure wins


def test_a_follow_up_date_brings_the_next_visit_forward(users, clock):
    child = left_behind_confirmed(users.director)
    visit(users.director, child, follow_up_on=clock.today() + days(10), actions="联系学校")
    assert status_of(child).next_due_on == clock.today() + days(10)


def test_a_risk_found_makes_the_visits_monthly(users, clock):
    child = left_behind_confirmed(users.director)
    visit(users.director, child, risk_flags=["carer_incapable"])
    status = status_of(child)
    assert (status.interval_days, status.next_due_on) == (30, clock.today() + days(30))
    visit(users.director, child, visited_on=clock.today())  # next visit: carer fine again
    assert status_of(child).interval_days == 90


def test_ending_the_category_ends_the_due_date_and_cancels_its_tasks(users, clock):
    child = left_behind_confirmed(users.director)
    clock.travel(by=days(95))
    visit_statuses_sweep()
    assert Task.objects.filter(child=child, kind="visit_overdue", status="open").exists()
    assignment = child.categoryassignments.get(ended_on__isnull=True)
    categories.category_assignment_end(user=users.supervisor, assignment=assignment, reason="父母已返乡")
    status = status_of(child)
    assert (status.next_due_on, status.alert) == (None, "")
    assert not Task.objects.filter(child=child, status="open", kind__startswith="visit_").exists()
    assert Task.objects.filter(child=child, kind="visit_overdue", status="cancelled").exists()


def test_a_child_who_moves_takes_the_open_tasks_to_the_new_village(users, clock):
    from seedling.geo.models import Division

    child = left_behind_confirmed(users.director)
    clock.travel(by=days(95))
    visit_statuses_sweep()
    child.refresh_from_db()
    registry.child_update(
        user=users.supervisor,
        child=child,
        expected_version=child.version,
        fields={"area": Division.objects.get(code=areas.VILLAGE_B)},
    )
    assert status_of(child).area_code == areas.VILLAGE_B
    assert [t.child_id for t in task_list(user=users.director_b)] == [child.pk]
    assert not task_list(user=users.director).exists()


def test_a_file_closed_has_no_due_date(users, clock):
    child = left_behind_confirmed(users.director)
    child.refresh_from_db()
    registry.child_update(
        user=users.director,
        child=child,
        expected_version=child.version,
        fields={"status": "moved", "status_changed_on": clock.today()},
    )
    assert status_of(child).next_due_on is None
