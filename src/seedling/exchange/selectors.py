"""Reads of the exchange app: a user's import jobs (only their own), and children to export (area-scoped)."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from seedling.accounts.roles import Action
from seedling.registry import selectors as registry_selectors
from seedling.registry.models import CategoryAssignment, Person

from .models import ImportJob


def import_job_list(*, user, limit: int = 20) -> list[ImportJob]:
    """The user's latest import jobs (an upload is visible to whoever uploaded it, nobody else)."""
    return list(ImportJob.objects.filter(user=user).order_by("-created_at")[:limit])


def import_job_get(*, user, uuid) -> ImportJob:
    job = ImportJob.objects.filter(user=user, uuid=uuid).first()
    if job is None:
        raise Http404
    return job


def export_children(*, user, filters: dict | None = None) -> QuerySet:
    """Children the user may export (the EXPORT action's areas), with the child list's filters,
    their family and open categories prefetched for the file."""
    qs = registry_selectors.child_list(user=user, filters=filters or {}, action=Action.EXPORT)
    return qs.select_related("hukou_area").prefetch_related(
        Prefetch("persons", queryset=Person.objects.prefetch_related("situations").order_by("pk")),
        Prefetch(
            "categoryassignments",
            queryset=CategoryAssignment.objects.filter(ended_on__isnull=True).order_by("category"),
            to_attr="open_categories",
        ),
    )
