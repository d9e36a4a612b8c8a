"""Template helpers for allauth's pages: Bootstrap classes on form widgets, and the MFA rule."""

from django import forms, template

from seedling.accounts.mfa import mfa_required

register = template.Library()

_CHECKS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def bootstrap(field):
    """Render a bound field's widget with Bootstrap's classes (and is-invalid when it has errors)."""
    widget = field.field.widget
    css = "form-check-input" if isinstance(widget, _CHECKS) else "form-control"
    if isinstance(widget, forms.Select):
        css = "form-select"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def needs_mfa(user) -> bool:
    """True when the user's role requires two-step verification."""
    return mfa_required(user)
