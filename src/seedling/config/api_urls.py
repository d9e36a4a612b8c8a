"""REST API v1 (/api/v1/): the registry's routes here; each workflow app adds its own in <app>/api_urls.py."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from seedling.geo.api import DivisionApi
from seedling.registry.api import CategoryAssignmentApi, ChildApi, PersonApi, SituationApi

# Path converters (not regexes) so the schema knows a uuid is a uuid and an id an integer.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # one URL per resource; JSON is the format
router.register("children", ChildApi, basename="child")
router.register("persons", PersonApi, basename="person")
router.register("situations", SituationApi, basename="situation")
router.register("category-assignments", CategoryAssignmentApi, basename="category-assignment")
router.register("divisions", DivisionApi, basename="division")

urlpatterns = [
    path("", include("seedling.inbox.api_urls")),
    path("", include("seedling.fieldwork.api_urls")),
    path("", include("seedling.protection.api_urls")),
    path("", include("seedling.cases.api_urls")),
    path("", include("seedling.exchange.api_urls")),
    path("", include("seedling.assessments.api_urls")),
    path("", include("seedling.schools.api_urls")),
    path("", include("seedling.counselling.api_urls")),
    path("", include("seedling.portal.api_urls")),
    path("", include("seedling.research.api_urls")),
    *router.urls,
]
