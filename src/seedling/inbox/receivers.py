"""Tasks that follow from what other apps record (connected in InboxConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from seedling.accounts.roles import Role

from . import services


def category_review_task(sender, child, **kwargs):
    """While a child has category proposals waiting, the village's director has a review task."""
    from seedling.registry.selectors import pending_proposals

    key = f"category_review:{child.pk}"
    if pending_proposals(child=child).exists():
        services.task_open(
            key=key,
            kind="category_review",
            title=_("%(name)s：类别变更待审核") % {"name": child.name},
            url=reverse("child_detail", kwargs={"uuid": child.uuid}) + "#proposals",
            assignee_role=Role.VILLAGE_DIRECTOR,
            child=child,
            notify=False,
        )
    else:
        services.task_close(key=key)


def tasks_follow_the_child(sender, child, old_area, **kwargs):
    """Open role tasks about a child who moved now belong to the new area's people."""
    from .models import Task

    Task.objects.filter(child=child, status=Task.Status.OPEN, assignee__isnull=True).update(
        area_code=child.area_id
    )
