"""Open, update and close tasks; notify people in the app and by e-mail. Idempotent by task key."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from seedling.core import clock

from .models import Notification, Task


def addressees(task: Task) -> list:
    """The users who see a task: its assignee, or everyone holding its role over its area."""
    from seedling.accounts.models import Membership

    if task.assignee_id:
        return [task.assignee]
    memberships = Membership.objects.filter(role=task.assignee_role, is_active=True).select_related("user")
    return [m.user for m in memberships if task.area_code.startswith(m.area_id or "") and m.user.is_active]


@transaction.atomic
def task_open(
    *,
    key: str,
    kind: str,
    title: str,
    url: str = "",
    assignee=None,
    assignee_role: str = "",
    area_code: str = "",
    child=None,
    due_at=None,
    priority: str = Task.Priority.NORMAL,
    notify: bool = True,
) -> Task:
    """Open the task `key`, or update the open one (due date, priority, title): never two at once.

    A new task, or one that became urgent, notifies its addressees in the app and by e-mail.
    """
    if assignee is None and not assignee_role:
        raise ValueError("a task needs an assignee or an assignee role")
    if child is not None and not area_code:
        area_code = child.area_id
    existing = Task.objects.select_for_update().filter(key=key, status=Task.Status.OPEN).first()
    fields = {
        "kind": kind,
        "title": title[:200],
        "url": url,
        "assignee": assignee,
        "assignee_role": assignee_role,
        "area_code": area_code,
        "child": child,
        "due_at": due_at,
        "priority": priority,
    }
    if existing is None:
        task = Task.objects.create(key=key, **fields)
        if notify:
            notify_task(task)
        return task
    became_urgent = priority == Task.Priority.URGENT and existing.priority != Task.Priority.URGENT
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()
    if notify and became_urgent:
        notify_task(existing)
    return existing


@transaction.atomic
def task_close(*, key: str, user=None, status: str = Task.Status.DONE) -> int:
    """Close the open task `key` (done or cancelled); returns how many were closed (0 or 1)."""
    return Task.objects.filter(key=key, status=Task.Status.OPEN).update(
        status=status, closed_at=clock.now(), closed_by=user
    )


def tasks_close_prefix(*, prefix: str, user=None, status: str = Task.Status.CANCELLED) -> int:
    """Close every open task whose key starts with `prefix` (e.g. all tasks of a closed case)."""
    return Task.objects.filter(key__startswith=prefix, status=Task.Status.OPEN).update(
        status=status, closed_at=clock.now(), closed_by=user
    )


def notify_task(task: Task) -> list[Notification]:
    """Tell the task's addressees: an in-app notification each, and an e-mail to those who have one."""
    return notify(users=addressees(task), title=task.title, url=task.url, task=task)


def notify(*, users, title: str, url: str = "", task: Task | None = None) -> list[Notification]:
    """In-app notification plus e-mail (console backend in the demo). Titles carry no ID numbers."""
    created = []
    for user in {u.pk: u for u in users}.values():
        note = Notification.objects.create(user=user, title=title[:200], url=url, task=task)
        if user.email:
            transaction.on_commit(lambda user=user, note=note: _email(user, note))
        created.append(note)
    return created


def _email(user, note: Notification) -> None:
    link = f"{settings.SEEDLING_SITE_URL.rstrip('/')}{note.url}" if note.url else ""
    send_mail(f"[小苗] {note.title}", f"{note.title}\n{link}\n", None, [user.email], fail_silently=True)
    Notification.objects.filter(pk=note.pk).update(emailed=True)


def notifications_mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=clock.now())
