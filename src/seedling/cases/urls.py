from django.urls import path

from .views import cases, directory, workflow

app_name = "cases"
urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("new/", cases.case_create, name="case_create"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("<int:pk>/stage/", cases.case_transition, name="case_transition"),
    path("<int:pk>/<slug:step>/", cases.case_step, name="case_step"),
    path("actions/<int:pk>/status/", cases.action_status, name="action_status"),
    path("goals/<int:pk>/achieved/", cases.goal_achieved, name="goal_achieved"),
    path("approvals/", workflow.approval_queue, name="approval_queue"),
    path("approvals/<int:pk>/decide/", workflow.approval_decide, name="approval_decide"),
    path("transfers/", workflow.transfer_list, name="transfer_list"),
    path("transfers/new/", workflow.transfer_create, name="transfer_create"),
    path("transfers/<int:pk>/", workflow.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/decide/", workflow.transfer_decide, name="transfer_decide"),
    path("transfers/<int:pk>/cancel/", workflow.transfer_cancel, name="transfer_cancel"),
    path("organizations/", directory.organization_list, name="organization_list"),
    path("organizations/new/", directory.organization_edit, name="organization_create"),
    path("organizations/<int:pk>/", directory.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", directory.organization_edit, name="organization_edit"),
    path("referrals/", directory.referral_list, name="referral_list"),
    path("referrals/new/", directory.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", directory.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/respond/", directory.referral_respond, name="referral_respond"),
    path("referrals/<int:pk>/cancel/", directory.referral_cancel, name="referral_cancel"),
]
