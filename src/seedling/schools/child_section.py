"""What schools add to the child's file: the classes the child is on the roster of (在校信息)."""

from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.scope import user_may

from .models import Student


def section(*, user, child) -> dict | None:
    """The "在校信息" card: school, class and school year of each roster row linked to the child."""
    rows = list(
        Student.objects.filter(child=child)
        .select_related("school_class__school")
        .order_by("-school_class__school_year", "-active", "pk")[:5]
    )
    if not rows:
        return None
    for row in rows:
        # The roster link only for those who manage the school; the card itself follows the file's scope.
        row.may_open = user_may(user, Action.SCREEN, row.school_class.school.area_id)
    return {
        "title": _("在校信息"),
        "template": "schools/_child_section.html",
        "order": 40,
        "context": {"students": rows},
    }
