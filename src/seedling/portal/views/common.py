"""What every public portal page shows: the visitor's area and its hotlines, the signed-in greeting."""

from django.shortcuts import render
from django.utils.translation import get_language

from seedling.registry.names import split_name

from .. import selectors
from ..visitor import Visitor


def english() -> bool:
    return (get_language() or "").startswith("en")


def given_name(full_name: str) -> str:
    """The given name only (张小明 → 小明; 阿卜杜拉·艾买提 → 阿卜杜拉): a greeting, not an identity."""
    parts = split_name(full_name)
    if parts.given:
        return parts.given
    return parts.parts[0] if parts.parts else ""


def area_label(area) -> str:
    """浙江省 金华市 武义县: the chosen area with the areas above it."""
    names = []
    node = area
    while node is not None:
        names.append(node.name)
        node = node.parent if node.parent_id else None
    return " ".join(reversed(names))


def portal_render(request, template: str, context: dict | None = None, *, status: int = 200, visitor=None):
    """Render a public portal page with the visitor's area, hotlines and sign-in state."""
    visitor = visitor or Visitor(request)
    invitation = visitor.invitation
    area = visitor.area
    base = {
        "visitor": visitor,
        "area": area,
        "area_label": area_label(area) if area else "",
        "hotlines": selectors.hotlines_for(area_code=visitor.area_code),
        "invitation": invitation,
        "holder_name": given_name(invitation.child.name) if invitation else "",
        "invitation_ended": visitor.invitation_ended,
        "english": english(),
    }
    base.update(context or {})
    return render(request, template, base, status=status)
