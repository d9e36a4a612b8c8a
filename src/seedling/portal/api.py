"""Public REST API of the portal: published help articles and the hotlines of an area.

Open to anyone without an account (the portal's content is public, it holds no personal data), so a
school's or a partner's app can show the same articles and the right hotlines. Read only.
"""

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from seedling.core.api import paginated_response
from seedling.geo.models import Division
from seedling.registry.serializers import choice_field

from . import selectors
from .models import HelpArticle, Hotline, Topic


def _english() -> bool:
    return (get_language() or "").startswith("en")


class ArticleOutput(serializers.ModelSerializer):
    topic_display = serializers.CharField(source="get_topic_display", read_only=True)
    audience_display = serializers.CharField(source="get_audience_display", read_only=True)
    title = serializers.SerializerMethodField(help_text=gettext_lazy("标题（按 Accept-Language 选择语言）"))
    body = serializers.SerializerMethodField(help_text=gettext_lazy("正文，纯文本，段落之间空一行"))

    class Meta:
        model = HelpArticle
        fields = [
            "slug",
            "topic",
            "topic_display",
            "audience",
            "audience_display",
            "title",
            "body",
            "title_zh",
            "title_en",
            "body_zh",
            "body_en",
            "updated_at",
        ]

    def get_title(self, article) -> str:
        return article.title_en if _english() else article.title_zh

    def get_body(self, article) -> str:
        return article.body_en if _english() else article.body_zh


class HotlineOutput(serializers.ModelSerializer):
    area = serializers.CharField(
        source="area_id", allow_null=True, help_text=gettext_lazy("区划代码；空为全国")
    )
    name = serializers.SerializerMethodField()
    hours = serializers.SerializerMethodField()
    tel = serializers.SerializerMethodField(help_text=gettext_lazy("可直接拨打的 tel: 链接"))

    class Meta:
        model = Hotline
        fields = ["area", "name", "number", "hours", "tel", "name_zh", "name_en", "hours_zh", "hours_en"]

    def get_name(self, hotline) -> str:
        return hotline.name_en if _english() else hotline.name_zh

    def get_hours(self, hotline) -> str:
        return (hotline.hours_en or hotline.hours_zh) if _english() else hotline.hours_zh

    def get_tel(self, hotline) -> str:
        return "tel:" + hotline.number.replace("-", "")


class _Public:
    authentication_classes: list = []  # public: no session, so no CSRF and no user to leak
    permission_classes = [AllowAny]
    pagination_class = PageNumberPagination


@extend_schema(tags=["portal"])
class ArticleApi(_Public, viewsets.ViewSet):
    """Published help articles (帮助文章), in both languages."""

    lookup_field = "slug"
    lookup_value_converter = "slug"

    class ArticleFilter(serializers.Serializer):
        topic = choice_field(Topic.choices)
        audience = choice_field(HelpArticle.Audience.choices)

    @extend_schema(parameters=[ArticleFilter], responses=ArticleOutput)
    def list(self, request):
        """Published articles, by topic; an audience (children/guardians) includes those for everyone."""
        params = self.ArticleFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.article_list(
            topic=params.validated_data.get("topic", ""), audience=params.validated_data.get("audience", "")
        )
        return paginated_response(serializer_class=ArticleOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=ArticleOutput)
    def retrieve(self, request, slug=None):
        return Response(ArticleOutput(selectors.article_get(slug=slug)).data)


@extend_schema(tags=["portal"])
class HotlineApi(_Public, viewsets.ViewSet):
    """Hotlines (求助热线) for an area: its own, those of the areas above it and the nationwide ones."""

    class HotlineFilter(serializers.Serializer):
        area = serializers.RegexField(
            r"^[0-9]{2,12}$",
            required=False,
            help_text=gettext_lazy("区划代码，如 330723；不填则只返回全国热线"),
            error_messages={"invalid": gettext_lazy("区划代码应为 2 到 12 位数字。")},
        )

        def validate_area(self, value):
            if value and not Division.objects.filter(code=value).exists():
                raise serializers.ValidationError(_("区划代码 %(code)s 不存在。") % {"code": value})
            return value

    @extend_schema(parameters=[HotlineFilter], responses=HotlineOutput)
    def list(self, request):
        """Nearest first: the county's own lines, then the city's and province's, then nationwide."""
        params = self.HotlineFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.hotlines_for(area_code=params.validated_data.get("area", ""))
        return paginated_response(serializer_class=HotlineOutput, rows=rows, request=request, view=self)
