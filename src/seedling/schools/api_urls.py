from rest_framework.routers import SimpleRouter

from .api.roster import SchoolClassApi, StudentApi
from .api.schools import SchoolApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.register("schools", SchoolApi, basename="school")
router.register("school-classes", SchoolClassApi, basename="school-class")
router.register("students", StudentApi, basename="student")
urlpatterns = router.urls
