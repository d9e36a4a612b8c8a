from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "seedling.portal"
    label = "portal"
    verbose_name = _("自助服务")

    def ready(self):
        from seedling.inbox import kinds

        kinds.register("portal_request_surge", _("自助服务平台留言激增"))
