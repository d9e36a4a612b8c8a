"""Every write of the counselling app (the counsellor pool, requests for help, session notes)."""

from .counsellors import LANGUAGE_CODES, counsellor_save, counsellor_update_own
from .notes import followups_open, session_note_write
from .requests import (
    assignment_problem,
    counsellor_candidates,
    help_request_accept,
    help_request_assign,
    help_request_close,
    help_request_create,
    help_request_reassign,
    new_requests_assign,
)

__all__ = [
    "LANGUAGE_CODES",
    "assignment_problem",
    "counsellor_candidates",
    "counsellor_save",
    "counsellor_update_own",
    "followups_open",
    "help_request_accept",
    "help_request_assign",
    "help_request_close",
    "help_request_create",
    "help_request_reassign",
    "new_requests_assign",
    "session_note_write",
]
