from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "seedling.cases"
    label = "cases"
    verbose_name = _("个案与转介")

    def ready(self):
        from seedling.inbox import kinds

        kinds.register("case_approval", _("个案审批"))
        kinds.register("case_action", _("个案计划行动"))
        kinds.register("case_risk", _("个案紧急风险"))
        kinds.register("case_unassigned", _("个案待指派"))
        kinds.register("case_transfer", _("儿童转入"))
        kinds.register("referral", _("转介"))
        kinds.register("referral_overdue", _("转介逾期"))
