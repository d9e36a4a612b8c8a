from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("seedling.config.api_urls")),
    path("audit/", include("seedling.core.urls")),
    path("inbox/", include("seedling.inbox.urls")),
    path("field/", include("seedling.fieldwork.urls")),
    path("reports/", include("seedling.protection.urls")),
    path("cases/", include("seedling.cases.urls")),
    path("exchange/", include("seedling.exchange.urls")),
    path("assessments/", include("seedling.assessments.urls")),
    path("s/", include("seedling.assessments.urls_public")),
    path("schools/", include("seedling.schools.urls")),
    path("counselling/", include("seedling.counselling.urls")),
    path("portal/", include("seedling.portal.urls")),
    path("research/", include("seedling.research.urls")),
    path("duplicates/", include("seedling.registry.urls_linkage")),
    path("", include("seedling.registry.urls")),
]
