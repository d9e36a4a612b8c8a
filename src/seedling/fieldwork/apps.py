from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "seedling.fieldwork"
    label = "fieldwork"
    verbose_name = _("走访与强制报告")

    def ready(self):
        from seedling.inbox import kinds
        from seedling.registry.signals import proposals_changed

        from . import alerts, receivers

        for kind, label in alerts.LABELS.items():
            kinds.register(kind, label)
        # Categories change through proposals (confirm, manual assign or end all refresh them) and so
        # do a child's moves and status changes (every registry write refreshes its proposals).
        proposals_changed.connect(receivers.categories_changed, dispatch_uid="fieldwork.visit_status")
