import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load division codes (all levels; villages of the test areas) once into the test database."""
    from seedling.geo.importer import divisions_import

    from .areas import TEST_VILLAGE_PREFIXES

    with django_db_blocker.unblock():
        divisions_import(village_prefixes=TEST_VILLAGE_PREFIXES)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # argon2 is the production hasher (settings.PASSWORD_HASHERS); tests need speed, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users(db):
    """The scenario users (see seedling.testing.scenario)."""
    from .scenario import scenario_users

    return scenario_users()


def _ensure_divisions():
    from seedling.geo.importer import divisions_import
    from seedling.geo.models import Division

    from .areas import TEST_VILLAGE_PREFIXES

    if not Division.objects.exists():
        divisions_import(village_prefixes=TEST_VILLAGE_PREFIXES)
    # Reference rows seeded by data migrations are wiped by a transactional test's flush too.
    import importlib

    from django.apps import apps

    from seedling.fieldwork.models import VisitFrequency

    if not VisitFrequency.objects.exists():
        importlib.import_module("seedling.fieldwork.migrations.0002_default_visit_frequencies").add_defaults(
            apps, None
        )


@pytest.fixture(autouse=True)
def _audit_maintenance_off(django_db_blocker):
    """Every test starts outside audit maintenance mode, whatever the previous test's flush needed."""
    from django.db import connection

    if getattr(connection, "seedling_audit_maintenance", False):
        with django_db_blocker.unblock():
            connection.seedling_audit_maintenance = False
            if connection.vendor == "postgresql" and connection.connection is not None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('seedling.audit_maintenance', 'off', false)")
    yield


@pytest.fixture
def _audit_maintenance_for_flush(transactional_db):
    """Torn down just before the flush that ends a transactional test: let the flush clear the log."""
    yield
    from django.db import connection

    connection.ensure_connection()
    connection.seedling_audit_maintenance = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('seedling.audit_maintenance', 'on', false)")


@pytest.fixture
def live_site(transactional_db, _audit_maintenance_for_flush, live_server):
    """A live server over a transactional database that has division codes (reloaded after flushes)."""
    _ensure_divisions()
    return live_server


@pytest.fixture
def tx_users(live_site):
    """Scenario users for live-server tests."""
    from .scenario import scenario_users

    return scenario_users()


@pytest.fixture(autouse=True)
def _local_cache_empty():
    """Per-process counters (navigation badges) never leak from one test into the next."""
    from django.core.cache import caches

    caches["local"].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in zh-Hans: a request switched to English must not leak into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def clock():
    """The controllable clock: clock.travel(by=timedelta(days=40)); reset after the test."""
    from seedling.core import clock as system_clock

    yield system_clock
    system_clock.reset()
