from django import template

from seedling.core import clock
from seedling.registry.validation import age_on as _age_on

register = template.Library()


@register.filter
def age_on(birth_date, day=None):
    """Full years (周岁) on `day` (default today)."""
    if not birth_date:
        return ""
    return _age_on(birth_date, day or clock.today())


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def reason_text(reason):
    """A stored rule reason ({"code", "params"}) as a sentence in the current language."""
    from seedling.registry.reasons import reason_text as render

    return render(reason)
