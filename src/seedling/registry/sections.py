"""Sections and timeline of a child's file contributed by other apps (visits, reports, cases, ...).

The registry does not import the workflow apps (they depend on it, not the reverse). An app that has
something to show on the child's file provides a module `<app>.child_section` with either or both of:

    def section(*, user, child) -> dict | None
        {"title": str, "template": "app/_child_section.html", "context": {...}, "order": int}
    def timeline(*, user, child) -> list[TimelineEvent]

Both are called after the file was opened through the scoped selector (the child is in the user's
scope); each app still applies its own rules about which of its rows the user may see.
"""

import datetime
import functools
import importlib
from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True, order=True)
class TimelineEvent:
    at: datetime.datetime | datetime.date
    title: str = field(compare=False)
    kind: str = field(compare=False, default="")
    url: str = field(compare=False, default="")
    detail: str = field(compare=False, default="")


@functools.cache
def _modules() -> tuple:
    """The apps' child_section modules, found once per process (a failed import on every page is slow)."""
    return tuple(_find_modules())


def _find_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("seedling.") or config.name == "seedling.registry":
            continue
        try:
            yield importlib.import_module(f"{config.name}.child_section")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.child_section":
                raise


def child_sections(*, user, child) -> list[dict]:
    sections = []
    for module in _modules():
        if hasattr(module, "section"):
            result = module.section(user=user, child=child)
            if result:
                sections.append(result)
    return sorted(sections, key=lambda s: s.get("order", 100))


def child_timeline(*, user, child, limit: int = 50) -> list[TimelineEvent]:
    """Events of the child's file from every app, newest first (registration and category changes too)."""
    from .models import CategoryAssignment

    events = [TimelineEvent(child.created_at, str(_registered_title()), "registered")]
    for a in CategoryAssignment.objects.filter(child=child):
        events.append(
            TimelineEvent(a.started_on, f"{_started_title()}{a.get_category_display()}", "category")
        )
        if a.ended_on:
            events.append(
                TimelineEvent(a.ended_on, f"{_ended_title()}{a.get_category_display()}", "category")
            )
    for module in _modules():
        if hasattr(module, "timeline"):
            events.extend(module.timeline(user=user, child=child))
    return sorted(events, key=_sort_key, reverse=True)[:limit]


def _sort_key(event: TimelineEvent):
    at = event.at
    if isinstance(at, datetime.datetime):
        return at.date(), at.time()
    return at, datetime.time.max


def _registered_title():
    from django.utils.translation import gettext

    return gettext("建档")


def _started_title():
    from django.utils.translation import gettext

    return gettext("认定：")


def _ended_title():
    from django.utils.translation import gettext

    return gettext("终止：")
