from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .mfa import mfa_threshold


@register()
def mfa_threshold_check(app_configs, **kwargs):
    try:
        mfa_threshold()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="seedling.accounts.E001")]
    return []
