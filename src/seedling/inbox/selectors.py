"""The user's inbox: tasks addressed to them or to a role they hold over the task's area."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from seedling.core.scope import area_q

from .models import Notification, Task


def _addressed_to(user) -> Q:
    """Tasks for the user by name, or for a role they hold at an area containing the task's area."""
    condition = Q(assignee=user)
    for m in user.active_memberships():
        condition |= Q(assignee__isnull=True, assignee_role=m.role) & area_q("area_code", m.area_code)
    return condition


def task_list(*, user, status: str = Task.Status.OPEN, kind: str = "") -> QuerySet:
    """Tasks the user should do: urgent first, then by due date."""
    if not user.is_authenticated:
        return Task.objects.none()
    qs = Task.objects.filter(_addressed_to(user), status=status).select_related("child")
    if kind:
        qs = qs.filter(kind=kind)
    urgent_first = Case(
        When(priority=Task.Priority.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.order_by(urgent_first, "due_at", "pk")


def task_counts(*, user) -> dict:
    tasks = task_list(user=user)
    return {
        "open": tasks.count(),
        "urgent": tasks.filter(priority=Task.Priority.URGENT).count(),
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }


def notification_list(*, user, unread_only: bool = False) -> QuerySet:
    qs = Notification.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at")
