"""A visit flagged with a reportable risk files a mandatory report (fieldwork's visit_risk_flagged signal)."""

import datetime
from types import SimpleNamespace

import pytest
from django.dispatch import Signal
from django.utils import timezone

from seedling.inbox.models import Task
from seedling.protection.choices import Situation, Source
from seedling.protection.models import MandatoryReport
from seedling.protection.receivers import report_from_visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal():
    """A signal with fieldwork's documented contract, so these tests do not depend on its code."""
    local = Signal()
    local.connect(report_from_visit, dispatch_uid="test")
    return local


def visit(pk=7, visited_on=None, notes="孩子说奶奶住院了"):
    from seedling.core import clock

    return SimpleNamespace(pk=pk, visited_on=visited_on or clock.today(), risk_notes=notes)


def send(signal, child, user, flags, **extra):
    kwargs = {"visit": extra.pop("visit", visit()), "child": child, "flags": flags, "user": user}
    kwargs.update(extra)
    return signal.send(sender=object, **kwargs)


def test_a_living_alone_flag_files_a_report_routed_to_the_police(
    signal, child, users, contacts, police, clock
):
    send(signal, child, users.director, ["living_alone", "dropped_out"], detected_at=clock.now())
    report = MandatoryReport.objects.get()
    assert report.situation == Situation.LEFT_BEHIND_ALONE
    assert (report.source, report.source_id, report.reporter) == (Source.VISIT, 7, users.director)
    assert "孩子说奶奶住院了" in report.description
    assert {r.contact for r in report.routings.all()} == {
        contacts["township_police"],
        contacts["county_civil"],
    }
    assert Task.objects.filter(key=f"report_ack:{report.pk}:police:{police['township'].pk}").exists()


def test_saving_the_visit_again_does_not_report_twice(signal, child, users, contacts):
    send(signal, child, users.director, ["living_alone"])
    send(signal, child, users.director, ["living_alone", "violence_injury"])
    assert sorted(MandatoryReport.objects.values_list("situation", flat=True)) == [
        Situation.LEFT_BEHIND_ALONE,
        Situation.VIOLENCE_SIGNS,
    ]


def test_a_visit_entered_later_is_timestamped_on_the_visit_day(signal, child, users, clock):
    day = clock.today() - datetime.timedelta(days=3)
    send(signal, child, users.director, ["abandoned"], visit=visit(visited_on=day), detected_at=clock.now())
    report = MandatoryReport.objects.get()
    assert timezone.localtime(report.detected_at).date() == day


def test_every_mandatory_flag_is_reported_even_one_we_do_not_know(signal, child, users):
    send(signal, child, users.director, ["new_kind_of_harm"], mandatory=["new_kind_of_harm"])
    assert MandatoryReport.objects.get().situation == Situation.OTHER_SERIOUS_HARM


def test_concern_flags_alone_file_nothing(signal, child, users):
    send(signal, child, users.director, ["dropped_out", "mental_health"], mandatory=[])
    assert MandatoryReport.objects.count() == 0


def test_a_report_that_cannot_be_filed_becomes_an_urgent_task(signal, child, users):
    # The visitor cannot see the child (moved away before the signal ran): they must file by hand.
    send(signal, child, users.director_other_county, ["living_alone"])
    assert MandatoryReport.objects.count() == 0
    task = Task.objects.get(kind="report_file")
    assert task.assignee == users.director_other_county and task.priority == Task.Priority.URGENT
    assert f"child={child.uuid}" in task.url and "visit=7" in task.url


def test_field_work_signal_is_connected_when_installed():
    from seedling.protection.apps import connect_visit_signal

    try:
        from seedling.fieldwork.signals import visit_risk_flagged
    except ImportError:
        pytest.skip("field work has no signals module")
    assert connect_visit_signal() is True
    assert visit_risk_flagged.has_listeners()


def test_the_real_signal_files_a_report(child, users, contacts):
    try:
        from seedling.fieldwork.signals import visit_risk_flagged
    except ImportError:
        pytest.skip("field work has no signals module")
    visit_risk_flagged.send_robust(
        sender=object, visit=visit(pk=99), child=child, flags=["living_alone"], user=users.director
    )
    assert MandatoryReport.objects.filter(source_id=99, situation=Situation.LEFT_BEHIND_ALONE).exists()
