"""Duplicate check on entry (录入查重), used by registry.services on every entry path.

- The same identity number on another child's file anywhere blocks (DuplicateIdBlocked). The user
  gets the existing file only if they may view it; otherwise only the fact that it exists elsewhere
  (`existing` is None, `visible` False), so a blocked entry never discloses another area's child.
  Only children are checked: family members may rightly appear on several files (siblings' parents).
- The same name, or the same pinyin under any reading (homophones 张伟/章伟), with a birth date within
  SEEDLING_DUPLICATE_BIRTH_WINDOW_DAYS or with month and day swapped, among the files the user can
  view, warns (PossibleDuplicates). The user goes on only with a reason, which the service logs
  (access-log action "duplicate_override").
"""

from django.utils.translation import gettext as _


class DuplicateIdBlocked(Exception):
    """Another child's file holds this identity number; `existing` is that file only when `visible`."""

    def __init__(self, existing, visible: bool):
        self.visible = bool(visible)
        self.existing = existing if self.visible else None
        if self.visible:
            message = _("已有儿童档案使用此身份证号，不能重复登记。")
        else:
            message = _("其他地区已有儿童档案使用此身份证号，不能重复登记；如需调整，请联系上级民政部门。")
        super().__init__(message)


class PossibleDuplicates(Exception):
    """Files the user can view that may be the same child; registration needs a reason to go on."""

    def __init__(self, candidates: list):
        self.candidates = candidates
        super().__init__(_("发现可能重复的儿童档案；如确认不是同一人，请填写理由后继续。"))


def id_owner(*, id_hash: str, exclude_pk=None):
    """The child whose file holds this identity number (by its blind index), or None."""
    from .models import Child

    if not id_hash:
        return None
    qs = Child.objects.filter(id_number_hash=id_hash)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("pk").first()


def entry_check(*, user, name, name_pinyin, birth_date, id_hash, exclude_pk=None, reason="") -> None:
    """Raise DuplicateIdBlocked or (without a reason) PossibleDuplicates; return None when clear.

    One identity number, one file (一人一档): an ID clash blocks even with a reason.
    """
    from seedling.core.scope import restrict

    from .models import Child
    from .search import near_duplicates

    existing = id_owner(id_hash=id_hash, exclude_pk=exclude_pk)
    if existing is not None:
        visible = restrict(Child.objects.filter(pk=existing.pk), user, "view").exists()
        raise DuplicateIdBlocked(existing, visible)
    if (reason or "").strip():
        return
    candidates = near_duplicates(
        user=user, name=name, name_pinyin=name_pinyin, birth_date=birth_date, exclude_pk=exclude_pk
    )
    if candidates:
        raise PossibleDuplicates(candidates)
