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
