"""REST API v1 (/api/v1/): every app registers its API classes here."""

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

urlpatterns = router.urls
