from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "seedling.assessments"
    label = "assessments"
    verbose_name = _("评估与问卷")
