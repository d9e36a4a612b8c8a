"""Reads of research data, always inside the researcher's areas (the RESEARCH action).

Where a response comes from: the child's village when the response belongs to a child, else the
response's own area (an anonymous screening, a portal self-check), else its campaign's area.
`core.scope.restrict` scopes by one field, and Response's is the child's area, which would drop every
anonymous response; so the same prefixes (collapse_prefixes, area_q) are applied to that three-way
place here. Researchers never reach a child's file: nothing here returns a child.
"""

import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from seedling.accounts.roles import Action
from seedling.assessments.models import Campaign, Instrument, Questionnaire, Response
from seedling.core.scope import area_q, collapse_prefixes, restrict

from .filters import ResearchFilters
from .models import ResearchProject


def research_prefixes(user) -> list[str]:
    """The area prefixes where `user` may use research data ("" = the whole country)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return collapse_prefixes(user.area_prefixes(Action.RESEARCH))


def response_area_q(prefix: str) -> Q:
    """Responses that come from the area `prefix` (see the module doc for where a response comes from)."""
    if prefix == "":
        return Q()
    return (
        area_q("child__area", prefix)
        | (Q(child__isnull=True) & area_q("area", prefix))
        | (Q(child__isnull=True, area__isnull=True) & area_q("campaign__area", prefix))
    )


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def research_responses(*, user, filters: ResearchFilters) -> QuerySet[Response]:
    """The responses `user` may use for research, narrowed by the filters (dates in Asia/Shanghai)."""
    prefixes = research_prefixes(user)
    qs = Response.objects.all()
    if not prefixes:
        return qs.none()
    if "" not in prefixes:
        scope = Q()
        for prefix in prefixes:
            scope |= response_area_q(prefix)
        qs = qs.filter(scope)
    if filters.instrument is not None:
        qs = qs.filter(instrument_version__instrument=filters.instrument)
    if filters.questionnaire is not None:
        qs = qs.filter(questionnaire_version__questionnaire=filters.questionnaire)
    if filters.campaign is not None:
        qs = qs.filter(campaign=filters.campaign)
    if filters.date_from is not None:
        qs = qs.filter(submitted_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(submitted_at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.area is not None:
        qs = qs.filter(response_area_q(filters.area.code))
    return qs


def with_place(qs: QuerySet[Response]) -> QuerySet[Response]:
    """Annotate `place` (the area code the response comes from) and `county` (its first 6 digits)."""
    return qs.annotate(
        place=Coalesce("child__area_id", "area_id", "campaign__area_id"),
    ).annotate(county=Substr("place", 1, 6))


def instrument_choices() -> QuerySet[Instrument]:
    """Instruments to filter by (reference data: not scoped)."""
    return Instrument.objects.order_by("code")


def questionnaire_choices() -> QuerySet[Questionnaire]:
    """Questionnaires imported from XLSForm (an instrument's own form is chosen by its instrument)."""
    return Questionnaire.objects.filter(instrument__isnull=True).order_by("title")


def campaign_choices(*, user) -> QuerySet[Campaign]:
    """Screening campaigns in the researcher's areas."""
    return (
        restrict(Campaign.objects.all(), user, Action.RESEARCH).select_related("area").order_by("-opens_at")
    )


def project_list(*, user) -> QuerySet[ResearchProject]:
    """The user's own research projects."""
    if not research_prefixes(user):
        return ResearchProject.objects.none()
    return ResearchProject.objects.filter(owner=user)


def project_get(*, user, pk) -> ResearchProject | None:
    """One of the user's own projects (None for anyone else's: pseudonym spaces are not shared)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return project_list(user=user).filter(pk=pk).first()
