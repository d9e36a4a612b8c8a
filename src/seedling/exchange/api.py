"""REST API of roster imports: upload (the dry run starts), poll the job with its problems, commit.

Thin like the pages: exchange.services does the work; a job is visible only to whoever uploaded it
(404 for anyone else). Errors: see core.api.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from . import selectors, services
from .models import ImportJob


class ImportJobOutput(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    percent = serializers.SerializerMethodField(help_text=gettext_lazy("进度（%）"))
    may_commit = serializers.BooleanField(read_only=True)
    problems = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "问题：行号（表头为第 1 行）、列名、列字母、类型（error/warning）、说明；最多 5000 条"
        )
    )
    problems_truncated = serializers.SerializerMethodField()
    unknown_headers = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "original_name",
            "file_format",
            "status",
            "percent",
            "rows",
            "errors",
            "warnings",
            "imported",
            "message",
            "may_commit",
            "problems",
            "problems_truncated",
            "unknown_headers",
            "created_at",
            "checked_at",
            "finished_at",
        ]

    def get_percent(self, job) -> int:
        return int(services.import_job_progress(job=job)["percent"])

    def get_problems(self, job) -> list[dict]:
        return (job.result or {}).get("problems", [])

    def get_problems_truncated(self, job) -> bool:
        return bool((job.result or {}).get("truncated"))

    def get_unknown_headers(self, job) -> list[str]:
        return (job.result or {}).get("unknown_headers", [])


@extend_schema(tags=["imports"])
class ImportJobApi(viewsets.ViewSet):
    """Roster imports (花名册导入): upload a CSV or .xlsx roster, read its dry run, commit it."""

    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    parser_classes = [MultiPartParser, FormParser]

    class UploadInput(serializers.Serializer):
        file = serializers.FileField(
            help_text=gettext_lazy("Excel（.xlsx）或 CSV 花名册，表头使用模板的列名")
        )

    class CommitInput(serializers.Serializer):
        reason = serializers.CharField(
            max_length=300,
            required=False,
            allow_blank=True,
            help_text=gettext_lazy("有疑似重复提醒时必填：已核对、确认不是同一人的理由"),
        )

    @extend_schema(responses=ImportJobOutput(many=True))
    def list(self, request):
        """Your latest imports."""
        return Response(ImportJobOutput(selectors.import_job_list(user=request.user), many=True).data)

    @extend_schema(request=UploadInput, responses={201: ImportJobOutput})
    def create(self, request):
        """Upload a roster; its dry run starts in the background (poll the job for status and problems)."""
        data = self.UploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_job_create(
            user=request.user, upload=data.validated_data["file"], language=request.LANGUAGE_CODE
        )
        job.refresh_from_db()
        return Response(ImportJobOutput(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ImportJobOutput)
    def retrieve(self, request, uuid=None):
        """A job's status, progress, counts and problems (row, column, message)."""
        job = selectors.import_job_get(user=request.user, uuid=uuid)
        return Response(ImportJobOutput(job).data)

    @extend_schema(request=CommitInput, responses={202: ImportJobOutput})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def commit(self, request, uuid=None):
        """Import a checked roster with no errors: all rows in one transaction, or none."""
        job = selectors.import_job_get(user=request.user, uuid=uuid)
        data = self.CommitInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_job_commit_request(
            user=request.user, job=job, reason=data.validated_data.get("reason", "")
        )
        job.refresh_from_db()
        return Response(ImportJobOutput(job).data, status=status.HTTP_202_ACCEPTED)
