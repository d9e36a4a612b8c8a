from rest_framework.routers import SimpleRouter

from .api import ArticleApi, HotlineApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.register("portal/articles", ArticleApi, basename="portal-article")
router.register("portal/hotlines", HotlineApi, basename="portal-hotline")
urlpatterns = router.urls
