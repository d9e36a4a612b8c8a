from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "seedling.protection"
    label = "protection"
    verbose_name = _("强制报告")

    def ready(self):
        from seedling.inbox import kinds

        kinds.register("report_ack", _("强制报告待接报"))
        kinds.register("report_escalation", _("强制报告超时未接报"))
        kinds.register("report_file", _("须提交强制报告"))
        connect_visit_signal()


def connect_visit_signal() -> bool:
    """File reports from visits' risk flags when field work is installed (it does not import us)."""
    if not apps.is_installed("seedling.fieldwork"):
        return False
    try:
        from seedling.fieldwork.signals import visit_risk_flagged
    except ImportError:
        return False
    from .receivers import report_from_visit

    visit_risk_flagged.connect(report_from_visit, dispatch_uid="protection.report_from_visit")
    return True
