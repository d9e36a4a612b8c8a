"""The real URLs plus /bench/trivial/: the yardstick of the page benchmark (same middleware, no work)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def trivial(request):
    """Signed in, through every middleware (session, locale, MFA check, request context), then nothing."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("seedling.config.urls")),
]
