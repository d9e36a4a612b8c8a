from rest_framework.routers import SimpleRouter

from .api import MandatoryReportApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.register("mandatory-reports", MandatoryReportApi, basename="mandatory-report")
urlpatterns = router.urls
