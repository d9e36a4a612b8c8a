from rest_framework.routers import SimpleRouter

from .api import ImportJobApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("imports", ImportJobApi, basename="import")
urlpatterns = router.urls
