"""Signals field work sends for apps that depend on it (it never imports them).

visit_risk_flagged
    Sent once per save, after the transaction that saved a visit with NEW risk flags commits
    (a visit recorded with flags, or an edit that adds flags; removing flags sends nothing).
    The mandatory-report app connects to it (强制报告: report to the police at once).

    sender       fieldwork.models.Visit
    visit        the Visit as saved (visit.pk, visit.visited_on, visit.risk_notes, visit.child_id)
    child        the registry.Child visited
    flags        list[str]: the risk flags new in this save, codes of fieldwork.choices.RiskFlag, in
                 the order of that list (e.g. ["living_alone"])
    all_flags    list[str]: every risk flag the visit now carries
    mandatory    list[str]: the subset of `flags` that obliges a mandatory report
                 (choices.MANDATORY_REPORT_FLAGS: the nine statutory situations and the three
                 left-behind triggers living_alone, child_missing, carer_incapable)
    user         the user who saved the visit (the reporter)
    detected_at  aware datetime (core.clock.now() at the save): the moment of detection
    created      True for a new visit, False for an edit

Receivers run after the visit's transaction committed (send_robust): an exception in one receiver
is logged at error level, does not undo the visit and does not stop the other receivers.
"""

from django.dispatch import Signal

visit_risk_flagged = Signal()
