from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "seedling.counselling"
    label = "counselling"
    verbose_name = _("心理辅导")

    def ready(self):
        from seedling.inbox import kinds

        kinds.register("help_request", _("求助待处理"))
        kinds.register("help_request_unassigned", _("求助待人工分派"))
        kinds.register("help_request_followup", _("心理辅导跟进"))
