"""Reads of the portal: public content (hotlines, published articles, self-checks, areas), content
management within the CONTENT scope, and invitation codes within the child's area scope.

Public reads carry no personal data. Staff reads go through seedling.core.scope like everywhere else.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from seedling.accounts.roles import Action
from seedling.assessments.models import QuestionnaireVersion, Response
from seedling.core import clock
from seedling.core.scope import area_q, collapse_prefixes, restrict
from seedling.geo.models import Division
from seedling.registry.models import Child

from . import rules
from .models import HelpArticle, Hotline, InvitationRequest, PortalInvitation

# Staff who may give a child or guardian an invitation code: the child's counsellor or director.
INVITATION_ACTIONS = (Action.COUNSEL, Action.CHANGE)


def hotlines_for(*, area_code: str = "") -> list[Hotline]:
    """Active hotlines of the area and every area above it, and the nationwide ones; nearest first."""
    prefixes = {area_code[:n] for n in (2, 4, 6, 9, 12) if len(area_code) >= n}
    condition = Q(area__isnull=True) | Q(area_id__in=prefixes)
    rows = Hotline.objects.filter(condition, active=True).select_related("area")
    # Longest area code first (the county's own line before the province's), then the national lines.
    return sorted(rows, key=lambda h: (-len(h.area_id or ""), h.order, h.pk))


# --- help articles (public: published only) ---


def article_list(*, topic: str = "", audience: str = "") -> QuerySet[HelpArticle]:
    """Published articles, by topic; `audience` children/guardians also includes those for everyone."""
    rows = HelpArticle.objects.filter(published=True)
    if topic:
        rows = rows.filter(topic=topic)
    if audience and audience != HelpArticle.Audience.ALL:
        rows = rows.filter(audience__in=[HelpArticle.Audience.ALL, audience])
    return rows.order_by("topic", "order", "pk")


def article_get(*, slug: str) -> HelpArticle:
    """A published article by its slug, or 404 (a draft is not public)."""
    article = HelpArticle.objects.filter(slug=slug, published=True).first()
    if article is None:
        raise Http404
    return article


def article_related(*, topic: str, exclude: int | None = None, limit: int = 3) -> list[HelpArticle]:
    """A few published articles of a topic (shown with a self-check result and under an article)."""
    rows = article_list(topic=topic)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return list(rows[:limit])


# --- the area picker: province → city → county ---


def _live(qs: QuerySet[Division]) -> QuerySet[Division]:
    return qs.filter(retired_in__isnull=True).order_by("code")


def province_list() -> QuerySet[Division]:
    return _live(Division.objects.filter(level=Division.Level.PROVINCE))


def city_list(*, province: str) -> QuerySet[Division]:
    return _live(Division.objects.filter(level=Division.Level.CITY, parent_id=province))


def county_list(*, city: str) -> QuerySet[Division]:
    return _live(Division.objects.filter(level=Division.Level.COUNTY, parent_id=city))


def area_choice_get(*, code: str) -> Division | None:
    """The area a portal user may choose: a county, or a city that has no counties (e.g. 东莞市)."""
    area = _live(Division.objects.filter(code=code)).select_related("parent").first()
    if area is None:
        return None
    if area.level == Division.Level.COUNTY:
        return area
    if area.level == Division.Level.CITY and not county_list(city=area.code).exists():
        return area
    return None


# --- self-checks ---


def self_check_get(*, code: str) -> tuple[rules.SelfCheck, QuestionnaireVersion] | None:
    """A self-check the portal offers and the current form of its instrument (None: not offered)."""
    check = rules.SELF_CHECK_BY_CODE.get(code)
    if check is None:
        return None
    version = (
        QuestionnaireVersion.objects.select_related("questionnaire", "instrument_version__instrument")
        .filter(instrument_version__instrument__code=code)
        .order_by("-number")
        .first()
    )
    return (check, version) if version is not None else None


def self_check_list(*, who: str, age: int | None) -> list[tuple[rules.SelfCheck, QuestionnaireVersion]]:
    """The self-checks that suit the user (audience and the instrument's age range), in portal order."""
    found = []
    for check in rules.SELF_CHECKS:
        pair = self_check_get(code=check.code)
        if pair is None:
            continue
        instrument_version = pair[1].instrument_version
        age_range = instrument_version.definition.get("age_range") if instrument_version else None
        if rules.suited(check, age_range, who=who, age=age):
            found.append(pair)
    return found


def self_check_responses(*, uuids: list[str]) -> dict[str, Response]:
    """Self-check responses by uuid: only those the browser's own cookie holds (see visitor.py)."""
    if not uuids:
        return {}
    rows = Response.objects.select_related("instrument_version__instrument").filter(
        uuid__in=uuids, anonymous=True, child__isnull=True
    )
    return {str(r.uuid): r for r in rows}


# --- content management (Action.CONTENT) ---


def article_manage_list(*, user) -> QuerySet[HelpArticle]:
    """Every article, drafts too, for a user who manages content (none for anyone else)."""
    if not user.area_prefixes(Action.CONTENT):
        return HelpArticle.objects.none()
    return HelpArticle.objects.select_related("author").order_by("topic", "order", "pk")


def article_manage_get(*, user, pk: int) -> HelpArticle:
    article = article_manage_list(user=user).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def hotline_manage_list(*, user) -> QuerySet[Hotline]:
    """Hotlines in the user's CONTENT scope: their area and below; nationwide ones for national users."""
    return restrict(Hotline.objects.select_related("area"), user, Action.CONTENT).order_by(
        "area_id", "order", "pk"
    )


def hotline_manage_get(*, user, pk: int) -> Hotline:
    hotline = hotline_manage_list(user=user).filter(pk=pk).first()
    if hotline is None:
        raise Http404
    return hotline


def hotlines_above(*, user) -> list[Hotline]:
    """Lines people in the user's areas also see but the user does not keep (province, national)."""
    own = set(hotline_manage_list(user=user).values_list("pk", flat=True))
    seen: dict[int, Hotline] = {}
    for prefix in collapse_prefixes(user.area_prefixes(Action.CONTENT)):
        for hotline in hotlines_for(area_code=prefix):
            if hotline.pk not in own:
                seen[hotline.pk] = hotline
    return list(seen.values())


# --- invitation codes (Action.COUNSEL or Action.CHANGE over the child's area) ---


def _invitation_condition(user, field: str) -> Q | None:
    """Q for rows whose `field` (an area code) the user may give codes for; None: nowhere."""
    prefixes = collapse_prefixes(p for action in INVITATION_ACTIONS for p in user.area_prefixes(action))
    if not prefixes:
        return None
    if "" in prefixes:
        return Q()
    condition = Q()
    for prefix in prefixes:
        condition |= area_q(field, prefix)
    return condition


def invitation_child_get(*, user, uuid) -> Child:
    """A child the user may give codes for (counsellor or director of the area), or 404."""
    if user is None or not user.is_authenticated:
        raise Http404
    condition = _invitation_condition(user, "area")
    child = None
    if condition is not None:
        child = (
            Child.objects.select_related("area")
            .filter(condition, uuid=uuid, merged_into__isnull=True)
            .first()
        )
    if child is None:
        raise Http404
    return child


def invitation_list(*, child: Child) -> QuerySet[PortalInvitation]:
    """The codes of a child already opened through invitation_child_get, newest first."""
    return PortalInvitation.objects.filter(child=child).select_related("created_by")


def invitation_staff_get(*, user, pk: int) -> PortalInvitation:
    """A code the user may revoke (within their counsellor or director scope), or 404."""
    condition = _invitation_condition(user, "child__area") if user.is_authenticated else None
    invitation = None
    if condition is not None:
        invitation = PortalInvitation.objects.select_related("child").filter(condition, pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def invitation_valid_get(*, pk) -> PortalInvitation | None:
    """The invitation of a signed-in session, while it is neither revoked nor expired."""
    if not isinstance(pk, int):
        return None
    return (
        PortalInvitation.objects.select_related("child")
        .filter(pk=pk, revoked_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )


def invitation_requests(*, invitation: PortalInvitation) -> list:
    """The help requests sent with this code: status and date only, never a counsellor's notes."""
    links = InvitationRequest.objects.filter(invitation=invitation).select_related("help_request")
    return [link.help_request for link in links.order_by("-created_at", "-pk")]
