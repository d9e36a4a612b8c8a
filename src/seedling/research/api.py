"""REST API of research data: suppressed aggregate tables, the de-identified export, projects.

Thin like the page: research.filters checks the filters (400 names the field), research.services
refuses users without the RESEARCH action (403) and writes the access log of each export.
"""

from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import export, selectors, services
from .aggregates import aggregate_tables
from .filters import filters_clean
from .views import XLSX_TYPE

MAX_ID = 2**63 - 1


class FilterInput(serializers.Serializer):
    instrument = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=gettext_lazy("量表标识，如 phq-a")
    )
    questionnaire = serializers.CharField(
        required=False, allow_blank=True, max_length=120, help_text=gettext_lazy("问卷标识")
    )
    campaign = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=gettext_lazy("筛查活动编号")
    )
    date_from = serializers.DateField(required=False, help_text=gettext_lazy("提交日期从（含）"))
    date_to = serializers.DateField(required=False, help_text=gettext_lazy("提交日期到（含）"))
    area = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text=gettext_lazy("省、市或县的区划代码（2、4 或 6 位），须在您的研究范围内"),
    )


def _filters(request, data):
    serializer = FilterInput(data=data)
    serializer.is_valid(raise_exception=True)
    return filters_clean(user=request.user, data=serializer.validated_data)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "example": "<5"}]})
class CountField(serializers.Field):
    """A published count, or "<minimum" when it is hidden."""

    def to_representation(self, value):
        return value


class ColumnOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class RowOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    cells = serializers.ListField(child=CountField())
    total = CountField()


class TotalsOutput(serializers.Serializer):
    cells = serializers.ListField(child=CountField())
    total = CountField()


class TableOutput(serializers.Serializer):
    key = serializers.CharField(help_text=gettext_lazy("area（区县）、age_band（年龄段）或 sex（性别）"))
    title = serializers.CharField()
    columns = ColumnOutput(many=True)
    rows = RowOutput(many=True)
    totals = TotalsOutput()


class AggregatesOutput(serializers.Serializer):
    instrument = serializers.CharField()
    minimum = serializers.IntegerField(
        help_text=gettext_lazy(
            "可公开的最小数字。被隐藏的数字显示为“<minimum”：小于该数，或为防止推算出小数字而一并隐藏"
        )
    )
    filters = serializers.DictField(child=serializers.CharField())
    tables = TableOutput(many=True)


def _shown(value, minimum):
    return f"<{minimum}" if value is None else value


def _table_data(table) -> dict:
    m = table.published.minimum
    return {
        "key": table.key,
        "title": table.title,
        "columns": [
            {"code": c, "label": label}
            for c, label in zip(table.column_codes, table.column_labels, strict=True)
        ],
        "rows": [
            {"code": code, "label": label, "cells": [_shown(v, m) for v in cells], "total": _shown(total, m)}
            for code, label, cells, total in zip(
                table.row_codes,
                table.row_labels,
                table.published.cells,
                table.published.row_totals,
                strict=True,
            )
        ],
        "totals": {
            "cells": [_shown(v, m) for v in table.published.column_totals],
            "total": _shown(table.published.total, m),
        },
    }


@extend_schema(tags=["research"])
class AggregatesApi(APIView):
    """Responses to one instrument by county, age band and sex × band, with small cells suppressed."""

    @extend_schema(parameters=[FilterInput], responses=AggregatesOutput)
    def get(self, request):
        services.research_allowed(request.user)
        filters = _filters(request, request.query_params)
        if filters.instrument is None:
            raise serializers.ValidationError({"instrument": [_("请选择量表。")]})
        report = aggregate_tables(user=request.user, filters=filters)
        body = {
            "instrument": filters.instrument.code,
            "minimum": report.minimum,
            "filters": filters.as_log(),
            "tables": [_table_data(t) for t in report.tables],
        }
        return Response(AggregatesOutput(body).data)


class ExportInput(FilterInput):
    format = serializers.ChoiceField(choices=services.FORMATS, default="csv")
    purpose = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("导出用途（必填，至少 4 个字），记入访问日志"),
    )
    project = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=gettext_lazy("您的研究项目编号；不填则假名只在本文件内一致"),
    )


@extend_schema(tags=["research"])
class ExportApi(APIView):
    """The de-identified row-level file (CSV or .xlsx) of the filtered responses; each export is logged.

    Dates count in whole months (date_from from the 1st of its month, date_to to the end of its
    month); class and school campaigns, and researchers placed below a county, get no rows (400); the
    rows are k-anonymous (see the README in the file).
    """

    @extend_schema(
        request=ExportInput,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("CSV 文件")),
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("Excel 文件")),
        },
    )
    def post(self, request):
        services.research_allowed(request.user)
        data = ExportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        filters = filters_clean(user=request.user, data=values)
        project = None
        if values.get("project"):
            project = selectors.project_get(user=request.user, pk=values["project"])
            if project is None:
                raise serializers.ValidationError({"project": [_("研究项目不存在。")]})
        prepared = services.research_export_prepare(
            user=request.user,
            filters=filters,
            fmt=values["format"],
            purpose=values.get("purpose", ""),
            project=project,
            via="api",
        )
        if prepared.fmt == "xlsx":
            response = FileResponse(export.xlsx_file(prepared), content_type=XLSX_TYPE)
        else:
            response = StreamingHttpResponse(
                export.csv_chunks(prepared), content_type="text/csv; charset=utf-8"
            )
        response["Cache-Control"] = "no-store"
        response["Content-Disposition"] = content_disposition_header(True, prepared.filename)
        return response


class ProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    created_at = serializers.DateTimeField()


class ProjectInput(serializers.Serializer):
    title = serializers.CharField(max_length=100)


@extend_schema(tags=["research"])
class ProjectApi(APIView):
    """Your research projects: each keys the pseudonyms of its exports."""

    @extend_schema(responses=ProjectOutput(many=True))
    def get(self, request):
        services.research_allowed(request.user)
        return Response(ProjectOutput(selectors.project_list(user=request.user), many=True).data)

    @extend_schema(request=ProjectInput, responses={201: ProjectOutput})
    def post(self, request):
        data = ProjectInput(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.research_project_create(user=request.user, title=data.validated_data["title"])
        return Response(ProjectOutput(project).data, status=status.HTTP_201_CREATED)
