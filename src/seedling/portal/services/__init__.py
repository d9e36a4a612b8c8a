"""Every write of the portal: content (articles, hotlines), invitation codes, self-checks, requests."""

from .content import article_publish, article_save, hotline_save, may_manage_content, may_manage_nationwide
from .invitations import (
    invitation_code_hash,
    invitation_days_default,
    may_invite,
    portal_invitation_create,
    portal_invitation_revoke,
    portal_signin,
)
from .selfcheck import portal_help_request_send, self_check_submit

__all__ = [
    "article_publish",
    "article_save",
    "hotline_save",
    "invitation_code_hash",
    "invitation_days_default",
    "may_invite",
    "may_manage_content",
    "may_manage_nationwide",
    "portal_help_request_send",
    "portal_invitation_create",
    "portal_invitation_revoke",
    "portal_signin",
    "self_check_submit",
]
