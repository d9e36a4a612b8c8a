"""The demo's visits: a director and a supervisor signing in find real work lists, not empty pages."""

import io

import pytest
from django.core.management import call_command

from seedling.accounts.demo import VILLAGE_A
from seedling.fieldwork import demo, selectors
from seedling.fieldwork.choices import RiskFlag
from seedling.fieldwork.models import ChildVisitStatus, Visit
from seedling.inbox.models import Task
from seedling.protection.models import MandatoryReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the report is filed after the visit commits
        call_command("demo_data", children=300, seed=3, stdout=io.StringIO())


def test_children_with_a_visit_plan_have_a_year_of_visits_and_some_are_overdue(loaded):
    planned = ChildVisitStatus.objects.filter(interval_days__isnull=False)
    assert planned.exists()
    visited = set(Visit.objects.values_list("child_id", flat=True))
    assert visited >= set(planned.values_list("child_id", flat=True))
    assert planned.filter(last_visit_on__isnull=False).count() == planned.count()
    late = planned.filter(alert__in=["overdue", "escalated"])
    assert 0 < late.count() < planned.count() / 2
    assert Task.objects.filter(kind="visit_escalation", status="open").exists()


def test_a_child_living_alone_was_reported_to_the_police_contact(loaded):
    visit = Visit.objects.get(risk_flags__contains=RiskFlag.LIVING_ALONE)
    assert visit.child.area_id == VILLAGE_A and visit.visitor.username == "director"
    report = MandatoryReport.objects.get(child=visit.child)
    assert Task.objects.filter(kind="report_ack", status="open", url__contains=str(report.pk)).exists()


def test_the_supervisor_list_counts_overdue_children_per_village(loaded):
    from seedling.accounts.models import User
    from seedling.geo.models import Division

    supervisor = User.objects.get(username="supervisor")
    rows = selectors.worklist_areas(user=supervisor, area=Division.objects.get(code=VILLAGE_A[:9]))
    assert selectors.worklist_totals(rows).overdue > 0


def test_running_it_again_adds_nothing(loaded):
    before = Visit.objects.count()
    assert demo.demo_ensure() == {"visits": 0}
    assert Visit.objects.count() == before
