"""The portal's home, the area picker and the help articles: open to everyone, no account needed."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import selectors
from ..models import HelpArticle, Topic
from ..visitor import Visitor
from .common import english, portal_render


def home(request):
    """Self-checks, help articles by topic, talk to a counsellor, hotlines of the chosen area."""
    topics = [(value, label) for value, label in Topic.choices]
    present = set(selectors.article_list().values_list("topic", flat=True))
    return portal_render(
        request, "portal/home.html", {"topics": [(v, label) for v, label in topics if v in present]}
    )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _digits(value: str, length: int) -> str:
    return value if value.isdigit() and len(value) == length else ""


def area_pick(request):
    """Choose province → city → county, one step at a time (works without JavaScript).

    The choice lives in the session only; it picks the hotlines shown and the area a self-check
    or a request for a counsellor is counted in.
    """
    visitor = Visitor(request)
    error = ""
    next_url = _safe_next(request, "")
    if request.method == "POST":
        area = selectors.area_choice_get(code=request.POST.get("county", "").strip())
        if area is not None:
            visitor.area_set(area)
            return redirect(next_url or "portal:home")
        error = _("请选择你所在的县（市、区）。")
    params = request.POST if request.method == "POST" else request.GET
    province = _digits(params.get("province", ""), 2)
    city = _digits(params.get("city", ""), 4)
    if city and not city.startswith(province):
        city = ""
    cities = list(selectors.city_list(province=province)) if province else []
    counties = list(selectors.county_list(city=city)) if city else []
    city_is_area = bool(city) and not counties and selectors.area_choice_get(code=city) is not None
    return portal_render(
        request,
        "portal/area.html",
        {
            "provinces": selectors.province_list(),
            "cities": cities,
            "counties": counties,
            "province": province,
            "city": city,
            "city_is_area": city_is_area,
            "next": next_url,
            "error": error,
        },
        status=400 if error else 200,
        visitor=visitor,
    )


def _audience(value: str) -> str:
    return value if value in HelpArticle.Audience.values else ""


def article_list(request):
    """Published articles by topic and audience, in the reader's language."""
    topic = request.GET.get("topic", "")
    if topic and topic not in Topic.values:
        raise Http404
    audience = _audience(request.GET.get("audience", ""))
    rows = selectors.article_list(topic=topic, audience=audience)
    groups: dict[str, list] = {}
    for article in rows:
        groups.setdefault(article.topic, []).append(article)
    labels = dict(Topic.choices)
    return portal_render(
        request,
        "portal/articles.html",
        {
            "groups": [(labels[t], items) for t, items in groups.items()],
            "topic": topic,
            "topic_label": labels.get(topic, ""),
            "audience": audience,
            "topics": Topic.choices,
            "audiences": HelpArticle.Audience.choices,
        },
    )


def paragraphs(text: str) -> list[str]:
    """Plain text → paragraphs (blank lines separate them); the template escapes each one."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def article_detail(request, slug):
    """One published article; the body is plain text shown as escaped paragraphs (no raw HTML)."""
    article = selectors.article_get(slug=slug)
    en = english()
    return portal_render(
        request,
        "portal/article.html",
        {
            "article": article,
            "title": article.title_en if en else article.title_zh,
            "paragraphs": paragraphs(article.body_en if en else article.body_zh),
            "related": selectors.article_related(topic=article.topic, exclude=article.pk),
        },
    )
