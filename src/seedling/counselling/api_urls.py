from rest_framework.routers import SimpleRouter

from .api.pool import CounsellorApi
from .api.requests import HelpRequestApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.register("counsellors", CounsellorApi, basename="counsellor")
router.register("help-requests", HelpRequestApi, basename="help-request")
urlpatterns = router.urls
