"""Access-log rows of counselling, kept apart from the child's file.

Every read and write of a request or its notes is logged, with the request's area and id, but never
with the child: the area's audit page (officers, the system administrator) lists a child's rows, and
a row "求助请求" tied to a child would tell them that this child asked for a counsellor. The counsellor
and their supervisor find the child through the request itself.
"""

from seedling.core.audit import audit_log


class _Unlinked:
    """The logged object by type and id only.

    `audit_log` ties a row to `obj.child` when the object has one (HelpRequest and SessionNote do);
    this stand-in has no child, so the row names the request but not the child.
    """

    child = None

    def __init__(self, obj):
        self._meta = obj._meta
        self.pk = obj.pk


def counselling_log(*, user, action: str, obj, area_code: str, detail: dict | None = None):
    """Log a counselling read or write with the area and the object, not tied to a child's file."""
    return audit_log(user=user, action=action, obj=_Unlinked(obj), area_code=area_code, detail=detail)
