from django import template

from seedling.accounts.roles import Action

register = template.Library()


@register.simple_tag(takes_context=True)
def export_rights(context) -> dict:
    """What the export buttons may offer the signed-in user: export at all, full identity numbers."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"export": False, "reveal": False}
    may_export = bool(user.area_prefixes(Action.EXPORT))
    return {"export": may_export, "reveal": may_export and bool(user.area_prefixes(Action.REVEAL))}


@register.simple_tag(takes_context=True)
def current_query(context) -> str:
    """The page's query string without its page number (the export takes the list's filters)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    return params.urlencode()
