from rest_framework.routers import SimpleRouter

from .api import VisitApi, VisitAttachmentApi, VisitWorklistApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.register("visits", VisitApi, basename="visit")
router.register("visit-attachments", VisitAttachmentApi, basename="visit-attachment")
router.register("visit-worklist", VisitWorklistApi, basename="visit-worklist")
urlpatterns = router.urls
