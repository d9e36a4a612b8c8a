"""Module-level names of the screening choices, so settings can name them (OpenAPI enum names)."""

from .models import Campaign, GuardianConsent, Invitation

CampaignStatus = Campaign.Status
CampaignTarget = Campaign.Target
InvitationStatus = Invitation.Status
ConsentMethod = GuardianConsent.Method
