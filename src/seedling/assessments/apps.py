import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _load_builtin_instruments(**kwargs):
    # The shipped instruments are reference data: present after every migrate, loaded once per
    # id + version. A changed file with an unchanged version is refused; migrate goes on and says so.
    from django.core.management import CommandError, call_command

    try:
        call_command("instrument_load", builtin=True, verbosity=0)
    except CommandError as exc:
        logger.error("built-in instruments not loaded: %s", exc)


class AssessmentsConfig(AppConfig):
    name = "seedling.assessments"
    label = "assessments"
    verbose_name = _("评估与问卷")

    def ready(self):
        post_migrate.connect(_load_builtin_instruments, sender=self)
