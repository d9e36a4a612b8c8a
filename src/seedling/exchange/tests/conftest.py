import pytest


@pytest.fixture(autouse=True)
def _import_settings(settings, tmp_path):
    """Uploads under a temporary MEDIA_ROOT; background tasks run at once (immediate backend)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SEEDLING_MFA_REQUIRED_ABOVE = "none"


@pytest.fixture
def roster(tmp_path):
    """Write roster bytes to a file and return its path: roster(data, "name.csv")."""

    def write(data: bytes, name: str = "roster.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
