"""Signals the registry sends for apps that depend on it (it never imports them)."""

from django.dispatch import Signal

# The pending category proposals of a child changed (new, decided or superseded): kwargs child.
proposals_changed = Signal()

# A child's file moved to another village (an accepted transfer): kwargs child, old_area, user.
child_relocated = Signal()
