"""Reads of the assessments app.

Instruments and questionnaires are reference data (not area-scoped). Responses about a child are
read through the child's area scope (core.scope.restrict); a person may always read back what they
submitted themselves.
"""

from django.db.models import F, QuerySet

from .definitions import definition_checksum
from .models import InstrumentVersion, Questionnaire, QuestionnaireVersion, Response


def questionnaire_list() -> QuerySet[Questionnaire]:
    """Every questionnaire that has a version to fill, instruments first."""
    return (
        Questionnaire.objects.filter(versions__isnull=False)
        .distinct()
        .select_related("instrument")
        .order_by(F("instrument").asc(nulls_last=True), "title")
    )


def questionnaire_version_get(*, pk: int) -> QuestionnaireVersion | None:
    """A questionnaire version by id, with its instrument version."""
    return (
        QuestionnaireVersion.objects.select_related("questionnaire", "instrument_version__instrument")
        .filter(pk=pk)
        .first()
    )


def response_own_get(*, user, uuid) -> Response | None:
    """A response `user` submitted themselves (the confirmation page after filling)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Response.objects.select_related("questionnaire_version__questionnaire", "instrument_version")
        .filter(uuid=uuid, submitted_by=user)
        .first()
    )


def instrument_version_conflicts(*, definition: dict) -> bool:
    """Whether this id and version were loaded before with other content (versions are frozen)."""
    existing = InstrumentVersion.objects.filter(
        instrument__code=definition.get("id"), version=definition.get("version")
    ).first()
    return existing is not None and existing.checksum != definition_checksum(definition)
