from django.urls import path

from . import views, views_campaigns

app_name = "assessments"
urlpatterns = [
    path("", views.questionnaire_index, name="index"),
    path("q/<int:version_id>/fill/", views.questionnaire_fill, name="fill"),
    path("responses/<uuid:uuid>/", views.response_done, name="response_done"),
    path("campaigns/", views_campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_campaigns.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views_campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views_campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/open/", views_campaigns.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/close/", views_campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/codes/", views_campaigns.campaign_codes, name="campaign_codes"),
    path(
        "campaigns/<int:pk>/invitations/<int:invitation_pk>/fill/",
        views_campaigns.invitation_fill,
        name="invitation_fill",
    ),
    path(
        "campaigns/<int:pk>/invitations/<int:invitation_pk>/excuse/",
        views_campaigns.invitation_excuse,
        name="invitation_excuse",
    ),
    path(
        "campaigns/<int:pk>/invitations/<int:invitation_pk>/consent/",
        views_campaigns.invitation_consent,
        name="invitation_consent",
    ),
    path("consents/<int:pk>/withdraw/", views_campaigns.consent_withdraw, name="consent_withdraw"),
    path("results/<uuid:uuid>/", views_campaigns.screening_result, name="screening_result"),
]
