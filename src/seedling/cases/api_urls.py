from rest_framework.routers import SimpleRouter

from .api.cases import CaseApi, PlanActionApi
from .api.directory import OrganizationApi, ReferralApi
from .api.workflow import ApprovalApi, TransferApi

# Path converters (not regexes), one URL per resource, as in config/api_urls.py.
router = SimpleRouter(use_regex_path=False)
router.register("cases", CaseApi, basename="case")
router.register("case-plan-actions", PlanActionApi, basename="case-plan-action")
router.register("case-approvals", ApprovalApi, basename="case-approval")
router.register("case-transfers", TransferApi, basename="case-transfer")
router.register("organizations", OrganizationApi, basename="organization")
router.register("referrals", ReferralApi, basename="referral")
urlpatterns = router.urls
