"""Filing, routing, acknowledging, closing and escalating a mandatory report (services and the job)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from seedling.core.models import AccessLog
from seedling.core.schedule import jobs
from seedling.inbox.models import Notification, Task
from seedling.inbox.selectors import task_list
from seedling.protection import services
from seedling.protection.choices import ContactKind, EventKind, Situation, Source, Status
from seedling.protection.models import MandatoryReport, ReportEvent
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db


def open_keys(user) -> set[str]:
    return {t.key for t in task_list(user=user)}


# --- filing and routing ---


def test_a_report_is_routed_to_the_most_specific_contact_of_each_kind(file_report, contacts):
    report = file_report()
    routed = {(r.kind, r.contact_id) for r in report.routings.all()}
    # The township station (330723101) beats the county (330723) and the province (33); the civil
    # affairs contact exists only at county level. The other county's police get nothing.
    assert routed == {
        (ContactKind.POLICE, contacts["township_police"].pk),
        (ContactKind.CIVIL_AFFAIRS, contacts["county_civil"].pk),
    }
    assert report.status == Status.REPORTED
    assert [e.kind for e in report.events.all()] == [EventKind.REPORTED, EventKind.ROUTED]
    assert "履坦派出所" in report.events.get(kind=EventKind.ROUTED).note


def test_filing_opens_tasks_for_the_police_contact_and_county_and_tells_the_supervisor(
    file_report, users, police
):
    report = file_report()
    assert open_keys(police["township"]) == {f"report_ack:{report.pk}:police:{police['township'].pk}"}
    assert open_keys(users.county_officer) == {f"report_ack:{report.pk}:civil_affairs"}
    assert open_keys(police["county"]) == set() and open_keys(police["other"]) == set()
    task = Task.objects.get(key=f"report_ack:{report.pk}:civil_affairs")
    assert task.priority == Task.Priority.URGENT and task.due_at == report.ack_due_at
    assert "王小花" not in task.title  # titles go out by e-mail: no child's name
    assert Notification.objects.filter(user=users.supervisor, url__endswith=f"/reports/{report.pk}/").exists()
    assert not Notification.objects.filter(user=users.director_b).exists()


def test_without_a_police_account_the_county_officer_must_report_by_phone(users, child):
    report = services.report_create(
        user=users.director,
        child=child,
        situation=Situation.ABANDONED,
        detected_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5),
        description="长期无人照料。",
    )
    assert report.routings.count() == 0
    assert open_keys(users.county_officer) == {
        f"report_ack:{report.pk}:police",
        f"report_ack:{report.pk}:civil_affairs",
    }
    assert "未配置" in report.events.get(kind=EventKind.ROUTED).note


def test_filing_is_timestamped_at_detection_and_entry_and_logged(file_report, users, clock):
    detected = clock.now() - datetime.timedelta(days=1)
    report = file_report(detected_at=detected)
    assert report.detected_at == detected
    assert report.created_at >= clock.now() - datetime.timedelta(seconds=5)
    assert report.ack_due_at == report.created_at + datetime.timedelta(hours=24)
    assert report.reporter == users.director
    assert report.description.startswith("孩子独自在家")
    assert (
        "孩子"
        not in MandatoryReport.objects.filter(pk=report.pk).values_list("description_cipher", flat=True)[0]
    )
    assert AccessLog.objects.filter(
        action="create", object_id=str(report.pk), child_id=report.child_id
    ).exists()


def test_the_acknowledgement_deadline_follows_the_setting(file_report, settings):
    settings.SEEDLING_REPORT_ACK_HOURS = 6
    report = file_report()
    assert report.ack_due_at == report.created_at + datetime.timedelta(hours=6)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"detected_at": None}, "detected_at"),
        ({"detected_at": "future"}, "detected_at"),
        ({"detected_at": datetime.datetime(2010, 1, 1, tzinfo=datetime.UTC)}, "detected_at"),
        ({"description": "   "}, "description"),
        ({"situation": "bad_luck"}, "situation"),
        ({"source": Source.VISIT}, "source_id"),
    ],
)
def test_bad_input_is_refused_naming_the_field(file_report, clock, change, field):
    if change.get("detected_at") == "future":
        change = {"detected_at": clock.now() + datetime.timedelta(minutes=5)}
    situation = change.pop("situation", Situation.LEFT_BEHIND_ALONE)
    with pytest.raises(ValidationError) as exc:
        file_report(situation=situation, **change)
    assert field in exc.value.message_dict
    assert MandatoryReport.objects.count() == 0


def test_only_someone_who_may_see_the_child_can_report(file_report, users):
    with pytest.raises(PermissionDenied):
        file_report(user=users.director_other_county)
    with pytest.raises(PermissionDenied):
        file_report(user=users.researcher)
    assert file_report(user=users.counsellor).reporter == users.counsellor


# --- acknowledgements and closing ---


def test_police_contact_acknowledges_and_their_task_closes(file_report, police):
    report = file_report()
    report = services.report_acknowledge_police(
        user=police["township"], report=report, reference="JJ2024-001"
    )
    assert report.status == Status.POLICE_ACKNOWLEDGED
    assert report.police_reference == "JJ2024-001" and not report.police_acknowledged_on_behalf
    assert open_keys(police["township"]) == set()
    assert report.events.filter(kind=EventKind.POLICE_ACKNOWLEDGED, actor=police["township"]).exists()


def test_police_of_another_level_or_county_may_not_acknowledge(file_report, police, users):
    report = file_report()
    for user in (police["county"], police["other"], users.supervisor, users.director):
        with pytest.raises(PermissionDenied):
            services.report_acknowledge_police(user=user, report=report, reference="X1")
    assert MandatoryReport.objects.get(pk=report.pk).police_acknowledged_at is None


def test_county_officer_records_the_police_receipt_on_their_behalf_only_with_its_number(file_report, users):
    report = file_report()
    with pytest.raises(ValidationError) as exc:
        services.report_acknowledge_police(user=users.county_officer, report=report, reference=" ")
    assert "reference" in exc.value.message_dict
    report = services.report_acknowledge_police(
        user=users.county_officer, report=report, reference="接警 0042"
    )
    assert report.police_acknowledged_on_behalf
    assert "代为登记" in report.events.get(kind=EventKind.POLICE_ACKNOWLEDGED).note


def test_either_agency_may_acknowledge_first_and_closing_needs_both(file_report, users, police):
    report = file_report()
    report = services.report_acknowledge_civil_affairs(
        user=users.county_officer, report=report, note="已安排临时照护"
    )
    assert report.status == Status.CIVIL_AFFAIRS_ACKNOWLEDGED
    with pytest.raises(ValidationError):
        services.report_close(user=users.county_officer, report=report, note="已处置")
    report = services.report_acknowledge_police(user=police["township"], report=report)
    assert report.status == Status.ACKNOWLEDGED
    with pytest.raises(ValidationError) as exc:
        services.report_close(user=users.county_officer, report=report, note="")
    assert "note" in exc.value.message_dict
    report = services.report_close(user=users.county_officer, report=report, note="已落实监护，结案。")
    assert report.status == Status.CLOSED and report.closed_by == users.county_officer
    assert [e.kind for e in report.events.all()][-1] == EventKind.CLOSED
    assert not Task.objects.filter(
        key__startswith=f"report_ack:{report.pk}:", status=Task.Status.OPEN
    ).exists()
    # A closed report still takes notes (a follow-up visit), never edits.
    services.report_note_add(user=users.director, report=report, note="回访：儿童安全。")
    assert report.events.filter(kind=EventKind.NOTE, actor=users.director).exists()


def test_civil_affairs_acknowledgement_and_closing_are_for_county_civil_affairs_and_above(file_report, users):
    report = file_report()
    for user in (users.supervisor, users.social_worker, users.director):
        with pytest.raises(PermissionDenied):
            services.report_acknowledge_civil_affairs(user=user, report=report)
    report = services.report_acknowledge_civil_affairs(user=users.city_officer, report=report)
    assert report.civil_affairs_acknowledged_by == users.city_officer
    with pytest.raises(ValidationError):
        services.report_acknowledge_civil_affairs(user=users.county_officer, report=report)


def test_a_step_cannot_be_recorded_twice(file_report, police, users):
    report = file_report()
    services.report_acknowledge_police(user=police["township"], report=report)
    with pytest.raises(ValidationError):
        services.report_acknowledge_police(user=police["township"], report=report)
    with pytest.raises(PermissionDenied):  # no one else may record it either
        services.report_acknowledge_police(user=users.supervisor, report=report)


# --- escalation ---


def test_unacknowledged_report_escalates_after_24_hours_exactly_once(file_report, users, clock):
    report = file_report()
    clock.travel(by=datetime.timedelta(hours=23, minutes=59))
    assert services.reports_escalate() == 0
    assert open_keys(users.city_officer) == set()

    clock.travel(by=datetime.timedelta(minutes=1))
    assert services.reports_escalate() == 1
    assert services.reports_escalate() == 0
    clock.travel(by=datetime.timedelta(hours=5))
    assert services.reports_escalate() == 0

    report.refresh_from_db()
    assert report.escalated_at is not None
    assert report.events.filter(kind=EventKind.ESCALATED).count() == 1
    escalation = Task.objects.get(key=f"report_escalation:{report.pk}")
    assert escalation.priority == Task.Priority.URGENT and escalation.assignee_role == "city_officer"
    assert open_keys(users.city_officer) == {f"report_escalation:{report.pk}"}
    assert Notification.objects.filter(user=users.county_officer, title__contains="超过 24 小时").exists()
    assert "公安机关" in escalation.title and "民政部门" in escalation.title


def test_acknowledged_or_closed_reports_do_not_escalate_and_escalation_ends_with_both(
    file_report, users, police, clock
):
    done = file_report()
    services.report_acknowledge_police(user=police["township"], report=done)
    services.report_acknowledge_civil_affairs(user=users.county_officer, report=done)
    half = file_report(situation=Situation.LEFT_BEHIND_CARER)
    services.report_acknowledge_civil_affairs(user=users.county_officer, report=half)
    clock.travel(by=datetime.timedelta(hours=25))
    assert services.reports_escalate() == 1
    escalation = Task.objects.get(key=f"report_escalation:{half.pk}")
    assert "公安机关" in escalation.title and "民政部门" not in escalation.title
    services.report_acknowledge_police(user=police["township"], report=half)
    escalation.refresh_from_db()
    assert escalation.status == Task.Status.DONE


def test_escalation_runs_every_15_minutes_from_the_schedule():
    job = jobs()["seedling.protection.tasks.reports_escalate_task"]
    assert job.every == datetime.timedelta(minutes=15)


def test_a_child_with_a_report_cannot_be_deleted(file_report, child):
    from django.db.models import ProtectedError

    file_report()
    with pytest.raises(ProtectedError):
        child.delete()


def test_reports_in_another_county_go_to_that_countys_police(users, contacts, police):
    other = child_create(users.director_other_county, area_code=areas.OTHER_COUNTY_VILLAGE, name="陈小明")
    report = services.report_create(
        user=users.director_other_county,
        child=other,
        situation=Situation.ORGANISED_BEGGING,
        detected_at=datetime.datetime.now(datetime.UTC),
        description="在车站被组织乞讨。",
    )
    assert [r.contact for r in report.routings.all()] == [contacts["other_police"]]
    assert open_keys(police["other"]) == {f"report_ack:{report.pk}:police:{police['other'].pk}"}
    assert ReportEvent.objects.filter(report=report).count() == 2
