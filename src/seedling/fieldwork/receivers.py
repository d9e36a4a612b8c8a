"""What field work does when the registry reports a change (connected in FieldworkConfig.ready)."""

from .status import visit_status_recompute


def categories_changed(sender, child, **kwargs):
    """A child's categories, area or status may have changed: its next-due date and tasks follow."""
    visit_status_recompute(child=child)
