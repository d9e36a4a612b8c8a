"""Signals the registry sends for apps that depend on it (it never imports them)."""

from django.dispatch import Signal

# The pending category proposals of a child changed (new, decided or superseded): kwargs child.
proposals_changed = Signal()
