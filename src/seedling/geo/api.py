"""Administrative divisions as reference data for API clients (area pickers, code lookup).

Public reference data: any signed-in user may read it; there is nothing to scope.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.core.api import paginated_response

from . import selectors
from .models import Division


@extend_schema(tags=["divisions"])
class DivisionApi(viewsets.ViewSet):
    """Division codes (NBS 统计用区划代码), names and pinyin, by parent and level."""

    lookup_field = "code"
    lookup_value_converter = "str"
    pagination_class = PageNumberPagination

    class DivisionFilter(serializers.Serializer):
        parent = serializers.RegexField(r"^[0-9]{2,9}$", required=False, help_text=_("上级区划代码"))
        level = serializers.ChoiceField(choices=Division.Level.choices, required=False)
        q = serializers.CharField(
            max_length=50, required=False, allow_blank=True, help_text=_("名称或拼音的开头")
        )

    class DivisionOutput(serializers.ModelSerializer):
        level_display = serializers.CharField(source="get_level_display", read_only=True)
        urban_rural_display = serializers.CharField(source="get_urban_rural_display", read_only=True)
        full_code = serializers.CharField(read_only=True)
        is_active = serializers.BooleanField(read_only=True)

        class Meta:
            model = Division
            fields = [
                "code",
                "full_code",
                "name",
                "pinyin",
                "level",
                "level_display",
                "parent",
                "urban_rural",
                "urban_rural_display",
                "edition",
                "retired_in",
                "is_active",
            ]

    @extend_schema(parameters=[DivisionFilter], responses=DivisionOutput)
    def list(self, request):
        """Divisions by parent code, level, or the start of the name or pinyin."""
        params = self.DivisionFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.division_list(**params.validated_data)
        return paginated_response(serializer_class=self.DivisionOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=DivisionOutput)
    def retrieve(self, request, code=None):
        """One division by its code."""
        return Response(self.DivisionOutput(selectors.division_get(code=code)).data)
