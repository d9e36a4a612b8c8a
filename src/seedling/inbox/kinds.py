"""Labels of task kinds: each workflow app registers its own (no central list to edit)."""

from django.utils.functional import Promise

_LABELS: dict[str, str | Promise] = {}


def register(kind: str, label: str | Promise) -> None:
    _LABELS[kind] = label


def label(kind: str) -> str:
    return str(_LABELS.get(kind, kind))
