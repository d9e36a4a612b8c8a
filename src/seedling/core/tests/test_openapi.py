"""The OpenAPI schema and its browsable docs page, served without any CDN (DESIGN.md: No CDN)."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

# Government intranets cannot reach these: the docs page must load every asset from this server.
# A URL to an outside asset host (a bare "cdn" can occur inside a random CSRF token on the page).
_EXTERNAL = re.compile(r"(?:https?:)?//[^\"'\s]*(?:cdn|unpkg|jsdelivr|googleapis|cloudflare)", re.IGNORECASE)


@pytest.fixture
def signed_in(users) -> Client:
    client = Client()
    client.force_login(users.director)
    return client


def test_schema_lists_the_api(signed_in):
    response = signed_in.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/children/",
        "/api/v1/children/{uuid}/",
        "/api/v1/children/{uuid}/reveal-id/",
        "/api/v1/persons/{uuid}/situations/",
        "/api/v1/situations/{id}/end/",
        "/api/v1/category-assignments/",
        "/api/v1/divisions/",
    ):
        assert path in schema["paths"], path
    assert "delete" not in schema["paths"]["/api/v1/children/{uuid}/"]
    # The identity number may be written, never read back in clear.
    child = schema["components"]["schemas"]["ChildOutput"]["properties"]
    assert "id_number_mask" in child and "id_number" not in child


def test_docs_page_loads_without_any_cdn(signed_in):
    response = signed_in.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/schema/" in html
    external = _EXTERNAL.search(html)
    # The fix: drf-spectacular-sidecar installed, "drf_spectacular_sidecar" in INSTALLED_APPS and
    # SPECTACULAR_SETTINGS SWAGGER_UI_DIST / SWAGGER_UI_FAVICON_HREF / REDOC_DIST = "SIDECAR".
    assert external is None, f"the docs page loads assets from outside: {external and external.group(0)}"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        # Served by the app itself: a static file that is installed here, not just a local-looking URL.
        assert asset.startswith(settings.STATIC_URL), asset
        assert finders.find(asset.removeprefix(settings.STATIC_URL).split("?")[0]), asset
