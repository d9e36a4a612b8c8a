from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "seedling.accounts"
    label = "accounts"
    verbose_name = _("用户与角色")

    def ready(self):
        from . import checks, signals  # noqa: F401 -- registers the check and the sign-in audit receivers
