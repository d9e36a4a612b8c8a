"""Template helpers of the portal: a field in the reader's language, a hotline's tel: link."""

from django import template
from django.utils.translation import get_language

from .. import rules

register = template.Library()


@register.filter
def localized(obj, name: str) -> str:
    """obj.<name>_en for English readers, else obj.<name>_zh (falls back to Chinese when empty)."""
    if (get_language() or "").startswith("en"):
        value = getattr(obj, f"{name}_en", "")
        if value:
            return value
    return getattr(obj, f"{name}_zh", "")


@register.filter
def tel(number: str) -> str:
    return rules.tel_href(number or "")


@register.filter
def holder_status(status: str) -> str:
    """A request's status in the words its sender reads (no staff jargon such as 待分派)."""
    return rules.request_status_for_holder(status)
