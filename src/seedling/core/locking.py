"""Optimistic locking: a save carries the version it was read at; a stale save is refused."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone else saved this record after it was read; `current` holds their version."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("此记录已被他人修改，请查看最新内容后再保存。"))


@transaction.atomic
def save_versioned(instance, *, expected_version: int) -> None:
    """Save `instance` only if the stored version is still `expected_version`; bump the version.

    The stored row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions here take the
    write lock at BEGIN), so two concurrent saves cannot both pass the check. A normal save() follows,
    so the change history records the old values.
    """
    model = type(instance)
    current = model._base_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    instance.version = expected_version + 1
    instance.save()
