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
        from seedling.inbox import kinds

        post_migrate.connect(_load_builtin_instruments, sender=self)
        kinds.register("screening_urgent", _("心理筛查紧急转介"))
        kinds.register("screening_followup", _("心理筛查约谈"))
        kinds.register("screening_watch", _("心理筛查持续关注"))
        kinds.register("screening_anonymous_risk", _("匿名筛查高风险提示"))
        kinds.register("screening_rescreen", _("复筛待发起"))
