"""Child search (儿童检索). STUB: implemented by the search work. Contract:

- index_child(child): rebuild SearchToken rows of one child (name, pinyin readings, initials, guardians).
- search_children(*, user, query, base=None, limit=50) -> list[Child]: area-scoped, best first.
- near_duplicates(*, user, name, name_pinyin, birth_date, exclude_pk=None) -> list[Child]
"""


def index_child(child) -> None:
    return None


def near_duplicates(*, user, name, name_pinyin, birth_date, exclude_pk=None) -> list:
    return []


def search_children(*, user, query, base=None, limit=50) -> list:
    return []
