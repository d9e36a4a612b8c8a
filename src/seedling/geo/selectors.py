"""Reads of administrative divisions (行政区划): public reference data, no area scope."""

import re

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import Http404

from .models import Division

_LETTERS = re.compile(r"^[a-z]+$")


def division_list(*, parent: str = "", level: str = "", q: str = "") -> QuerySet:
    """Divisions filtered by parent code, level, and a name or pinyin prefix (寺后, si hou, sihou)."""
    qs = Division.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    q = q.strip()
    if q:
        spaced = re.sub(r"\s+", " ", q.lower())
        condition = Q(name__startswith=q) | Q(pinyin__startswith=spaced)
        if _LETTERS.match(spaced):
            # Pinyin is stored with spaces between syllables; people type it run together.
            qs = qs.annotate(pinyin_compact=Replace("pinyin", Value(" "), Value("")))
            condition |= Q(pinyin_compact__startswith=spaced)
        qs = qs.filter(condition)
    return qs.order_by("code")


def division_get(*, code: str) -> Division:
    """One division by its code, or 404."""
    division = Division.objects.select_related("parent").filter(code=code).first()
    if division is None:
        raise Http404
    return division
