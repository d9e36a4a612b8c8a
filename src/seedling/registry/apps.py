from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "seedling.registry"
    label = "registry"
    verbose_name = _("儿童档案")
