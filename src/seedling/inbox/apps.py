from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "seedling.inbox"
    label = "inbox"
    verbose_name = _("待办与通知")

    def ready(self):
        from seedling.registry.signals import child_relocated, proposals_changed

        from . import kinds, receivers

        kinds.register("category_review", _("类别审核"))
        proposals_changed.connect(receivers.category_review_task, dispatch_uid="inbox.category_review")
        child_relocated.connect(receivers.tasks_follow_the_child, dispatch_uid="inbox.tasks_follow_the_child")
