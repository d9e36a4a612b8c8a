from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(**kwargs):
    # The cache (used by the sign-in lockout) lives in the database, so it must exist after migrate.
    from django.core.management import call_command

    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


class CoreConfig(AppConfig):
    name = "seedling.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self):
        from django.db.backends.signals import connection_created

        from .audit import register_sqlite_functions

        post_migrate.connect(_create_cache_table, sender=self)
        connection_created.connect(register_sqlite_functions)
