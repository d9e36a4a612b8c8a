from rest_framework.routers import SimpleRouter

from .api import CampaignApi, ConsentApi, ResultApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.register("screening-campaigns", CampaignApi, basename="screening-campaign")
router.register("screening-consents", ConsentApi, basename="screening-consent")
router.register("screening-results", ResultApi, basename="screening-result")
urlpatterns = router.urls
