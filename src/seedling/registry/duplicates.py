"""Duplicate check on entry (录入查重). Contract used by registry.services; implemented in full here.

- The same identity number anywhere blocks (DuplicateIdBlocked), with a link only if the user may see
  the existing file; otherwise only the fact that it exists elsewhere.
- The same name or pinyin with the same or a near birth date among the files the user can see
  warns (PossibleDuplicates); the user goes on only with a reason, which is logged.
"""

from django.utils.translation import gettext as _


class DuplicateIdBlocked(Exception):
    def __init__(self, existing, visible: bool):
        self.existing, self.visible = existing, visible
        super().__init__(_("已有儿童档案使用此身份证号，不能重复登记。"))


class PossibleDuplicates(Exception):
    def __init__(self, candidates: list):
        self.candidates = candidates
        super().__init__(_("发现可能重复的儿童档案；如确认不是同一人，请填写理由后继续。"))


def entry_check(*, user, name, name_pinyin, birth_date, id_hash, exclude_pk=None, reason="") -> None:
    """Raise DuplicateIdBlocked or (without a reason) PossibleDuplicates; return None when clear."""
    from .models import Child

    if id_hash:
        existing = Child.objects.filter(id_number_hash=id_hash).exclude(pk=exclude_pk).first()
        if existing is not None:
            from seedling.core.scope import restrict

            visible = restrict(Child.objects.filter(pk=existing.pk), user, "view").exists()
            raise DuplicateIdBlocked(existing, visible)
    # Name/pinyin + near birth date: filled in by the search work (registry.search.near_duplicates).
    if reason:
        return
    from .search import near_duplicates

    candidates = near_duplicates(
        user=user, name=name, name_pinyin=name_pinyin, birth_date=birth_date, exclude_pk=exclude_pk
    )
    if candidates:
        raise PossibleDuplicates(candidates)
