"""A visit's content (current or an earlier version) made ready for the page: labels instead of codes."""

from .choices import MANDATORY_REPORT_FLAGS, Present, RiskFlag, VisitMethod


def _codes(value) -> list[str]:
    if isinstance(value, str):
        return [c for c in value.split(",") if c]
    return list(value or [])


def visit_display(content: dict) -> dict:
    """content: services.visit_content(visit) or a VisitVersion's content (dates as ISO strings)."""
    present, flags, methods = dict(Present.choices), dict(RiskFlag.choices), dict(VisitMethod.choices)
    shown = dict(content)
    shown["method_label"] = methods.get(content.get("method"), content.get("method"))
    shown["present"] = [present.get(c, c) for c in _codes(content.get("present"))]
    shown["flags"] = [
        {"code": c, "label": flags.get(c, c), "mandatory": c in MANDATORY_REPORT_FLAGS}
        for c in _codes(content.get("risk_flags"))
    ]
    for name in ("visited_on", "follow_up_on"):
        value = content.get(name)
        shown[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    return shown
