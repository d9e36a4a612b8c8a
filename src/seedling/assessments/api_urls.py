from rest_framework.routers import SimpleRouter

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
urlpatterns = router.urls
