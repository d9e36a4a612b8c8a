from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "seedling.cases"
    label = "cases"
    verbose_name = _("个案与转介")
