"""The task inbox: tasks reach exactly the people they are addressed to, once, with a notification."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from seedling.accounts.roles import Role
from seedling.inbox import selectors, services
from seedling.inbox.models import Notification, Task
from seedling.testing import areas
from seedling.testing.factories import child_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users):
    return child_create(users.director, name="李小龙")


def _supervisor_task(child, **overrides):
    fields = {
        "key": f"test:{child.pk}",
        "kind": "visit_overdue",
        "title": "走访逾期",
        "child": child,
        "assignee_role": Role.TOWNSHIP_SUPERVISOR,
        "url": f"/children/{child.uuid}/",
    }
    fields.update(overrides)
    return services.task_open(**fields)


def test_a_role_task_reaches_the_holder_of_that_role_over_the_area_only(users, child):
    _supervisor_task(child)
    assert selectors.task_list(user=users.supervisor).count() == 1
    for other in (users.director, users.director_b, users.county_officer, users.director_other_county):
        assert selectors.task_list(user=other).count() == 0


def test_opening_the_same_task_twice_keeps_one_and_notifies_once(users, child):
    users.supervisor.email = "zhao@example.org"
    users.supervisor.save()
    _supervisor_task(child)
    _supervisor_task(child, title="走访逾期（更新）")
    assert Task.objects.filter(key=f"test:{child.pk}").count() == 1
    assert Task.objects.get().title == "走访逾期（更新）"
    assert Notification.objects.filter(user=users.supervisor).count() == 1


def test_becoming_urgent_notifies_again_and_sends_mail(users, child, django_capture_on_commit_callbacks):
    users.supervisor.email = "zhao@example.org"
    users.supervisor.save()
    with django_capture_on_commit_callbacks(execute=True):
        _supervisor_task(child)
        _supervisor_task(child, priority=Task.Priority.URGENT)
    assert Notification.objects.filter(user=users.supervisor).count() == 2
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["zhao@example.org"]


def test_a_task_for_one_person_and_closing_it(users, child):
    services.task_open(key="review:1", kind="category_review", title="审核", assignee=users.director_b)
    assert selectors.task_list(user=users.director_b).count() == 1
    assert selectors.task_list(user=users.director).count() == 0
    assert services.task_close(key="review:1", user=users.director_b) == 1
    assert selectors.task_list(user=users.director_b).count() == 0
    # A closed key can be opened again (a new occurrence).
    services.task_open(key="review:1", kind="category_review", title="审核", assignee=users.director_b)
    assert Task.objects.filter(key="review:1").count() == 2


def test_a_task_needs_an_addressee():
    with pytest.raises(ValueError):
        services.task_open(key="x", kind="x", title="x")


def test_inbox_page_lists_urgent_first_and_the_navigation_counts(client, users, child, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    later = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    _supervisor_task(child, key="a", title="一般事项", due_at=later)
    _supervisor_task(child, key="b", title="紧急事项", priority=Task.Priority.URGENT, due_at=later)
    client.force_login(users.supervisor)
    body = client.get(reverse("inbox:inbox")).content.decode()
    assert body.index("紧急事项") < body.index("一般事项")
    assert 'id="inbox-count">2<' in body


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, users, child, settings):
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"
    task = _supervisor_task(child)
    note = Notification.objects.get(user=users.supervisor, task=task)
    client.force_login(users.director)  # someone else's notification cannot be opened
    client.post(reverse("inbox:notification_open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is None
    client.force_login(users.supervisor)
    response = client.post(reverse("inbox:notification_open", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None and response["Location"] == f"/children/{child.uuid}/"


def test_scope_of_role_tasks_follows_the_area_prefix(users):
    services.task_open(
        key="county", kind="x", title="县级事项", assignee_role=Role.COUNTY_OFFICER, area_code=areas.VILLAGE_A
    )
    assert selectors.task_list(user=users.county_officer).count() == 1
    services.task_open(
        key="other",
        kind="x",
        title="外县事项",
        assignee_role=Role.COUNTY_OFFICER,
        area_code=areas.OTHER_COUNTY_VILLAGE,
    )
    assert selectors.task_list(user=users.county_officer).count() == 1


def test_a_category_proposal_puts_a_review_task_in_the_directors_inbox_until_decided(users):
    from seedling.registry import categories
    from seedling.registry.models import CategoryProposal

    child = child_create(users.director, name="王小二", family_economic_difficulty=True)
    assert selectors.task_list(user=users.director, kind="category_review").count() == 1
    assert selectors.task_list(user=users.director_b, kind="category_review").count() == 0
    for proposal in CategoryProposal.objects.filter(child=child, status="pending"):
        categories.proposal_confirm(user=users.director, proposal=proposal)
    assert selectors.task_list(user=users.director, kind="category_review").count() == 0
