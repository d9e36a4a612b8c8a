"""REST API of home visits: visits (list, record, open, edit), attachments (upload, download), work list.

Thin, like the pages: parse with an input serializer, call a selector (area scope, access log) or a
service (rules, audit, tasks), render with an output serializer. Out of scope is 404, never 403.
Errors name the field (core.api); a stale edit is 409 with the current record.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from seedling.accounts.roles import Action
from seedling.core.api import paginated_response
from seedling.core.audit import audit_log
from seedling.registry import selectors as registry
from seedling.registry.models import Child
from seedling.registry.serializers import VersionedInput, display, text_field

from . import alerts, selectors, services
from .choices import Present, RiskFlag, VisitMethod
from .models import ChildVisitStatus, Visit, VisitAttachment, VisitVersion
from .views import attachment_response


class AttachmentOutput(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = VisitAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at", "download_url"]

    def get_download_url(self, obj) -> str:
        return reverse("visit-attachment-download", kwargs={"pk": obj.pk})


class VersionOutput(serializers.ModelSerializer):
    replaced_by = serializers.StringRelatedField()

    class Meta:
        model = VisitVersion
        fields = ["revision", "content", "recorded_at", "replaced_at", "replaced_by", "reason"]


class VisitOutput(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.uuid", read_only=True)
    method_display = display("method")
    visitor = serializers.StringRelatedField()
    present = serializers.ListField(source="present_list", child=serializers.CharField())
    risk_flags = serializers.ListField(source="risk_flag_list", child=serializers.CharField())
    attachments = AttachmentOutput(many=True, read_only=True)
    versions = VersionOutput(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "child", "area_code", "visited_on", "method", "method_display", "visitor", "other_visitors",
                  "present", "present_notes", "guardianship", "schooling", "health", "mental_health", "risk_flags",
                  "risk_notes", "actions", "follow_up_on", "revision", "version", "created_at", "updated_at",
                  "attachments", "versions"]  # fmt: skip


class VisitListOutput(VisitOutput):
    class Meta(VisitOutput.Meta):
        fields = ["id", "child", "area_code", "visited_on", "method", "method_display", "visitor", "risk_flags",
                  "follow_up_on", "revision", "version"]  # fmt: skip


class VisitFields(serializers.Serializer):
    visited_on = serializers.DateField()
    method = serializers.ChoiceField(choices=VisitMethod.choices, required=False)
    present = serializers.ListField(child=serializers.ChoiceField(choices=Present.choices), required=False)
    present_notes = text_field(200)
    other_visitors = text_field(200)
    guardianship = text_field(1000)
    schooling = text_field(1000)
    health = text_field(1000)
    mental_health = text_field(1000)
    risk_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskFlag.choices),
        required=False,
        help_text=gettext_lazy("风险代码；须强制报告的情形保存后通知强制报告模块"),
    )
    risk_notes = text_field(1000)
    actions = text_field(1000)
    follow_up_on = serializers.DateField(required=False, allow_null=True)


class VisitCreateInput(VisitFields):
    child = serializers.UUIDField(help_text=gettext_lazy("儿童档案的 uuid"))


class VisitUpdateInput(VersionedInput, VisitFields):
    reason = text_field(300, help_text=gettext_lazy("记录满 7 天后的修改另存为新版本，须填写理由"))


class VisitFilter(serializers.Serializer):
    child = serializers.UUIDField(required=False)
    area = serializers.RegexField(r"^[0-9]{2,12}$", required=False)


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField()


_CONFLICT = OpenApiResponse(description=gettext_lazy("版本冲突：返回当前版本和内容"))


def _child_for_write(user, uuid) -> Child:
    child = registry.child_list(user=user, action=Action.CHANGE).filter(uuid=uuid).first()
    if child is None:
        raise serializers.ValidationError({"child": [_("未找到该儿童档案，或您无权为其记录走访。")]})
    return child


@extend_schema(tags=["visits"])
class VisitApi(viewsets.ViewSet):
    """Home visits (走访记录) of children in the user's area."""

    pagination_class = PageNumberPagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def stale_representation(self, visit):
        return VisitOutput(visit).data

    @extend_schema(parameters=[VisitFilter], responses=VisitListOutput(many=True))
    def list(self, request):
        """Visits in scope, newest first; filtered by child (logged as a read of that child's file) or area."""
        params = VisitFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        child = None
        if params.validated_data.get("child"):
            child = registry.child_get(user=request.user, uuid=params.validated_data["child"])
            audit_log(user=request.user, action="view", obj=child, detail={"visits": True})
        rows = selectors.visit_list(
            user=request.user, child=child, area=params.validated_data.get("area", "")
        )
        return paginated_response(serializer_class=VisitListOutput, rows=rows, request=request, view=self)

    @extend_schema(request=VisitCreateInput, responses={201: VisitOutput})
    def create(self, request):
        """Record a visit; its risk flags reach the mandatory-report module."""
        data = VisitCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        child = _child_for_write(request.user, fields.pop("child"))
        visit = services.visit_record(user=request.user, child=child, fields=fields)
        return Response(VisitOutput(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VisitOutput)
    def retrieve(self, request, pk=None):
        """Open one visit with its attachments and earlier versions (logged)."""
        return Response(VisitOutput(selectors.visit_open(user=request.user, pk=pk)).data)

    @extend_schema(request=VisitUpdateInput, responses={200: VisitOutput, 409: _CONFLICT})
    def update(self, request, pk=None, partial=False):
        """Edit a visit; after 7 days the old content is kept as a version and `reason` is required."""
        visit = selectors.visit_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = VisitUpdateInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version, reason = fields.pop("version"), fields.pop("reason", "")
        visit = services.visit_update(
            user=request.user, visit=visit, expected_version=version, fields=fields, reason=reason
        )
        return Response(VisitOutput(visit).data)

    @extend_schema(request=VisitUpdateInput, responses={200: VisitOutput, 409: _CONFLICT})
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(request={"multipart/form-data": AttachmentInput}, responses={201: AttachmentOutput})
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        """Upload a photo or document (JPG, PNG, WebP, PDF; size limit in settings)."""
        visit = selectors.visit_get(user=request.user, pk=pk, action=Action.CHANGE)
        data = AttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            user=request.user, visit=visit, upload=data.validated_data["file"]
        )
        return Response(AttachmentOutput(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["visits"])
class VisitAttachmentApi(viewsets.ViewSet):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself (scoped, logged, never cached)."""
        return attachment_response(selectors.attachment_open(user=request.user, pk=pk))


class WorklistChildOutput(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.uuid")
    name = serializers.CharField(source="child.name")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ChildVisitStatus
        fields = [
            "child",
            "name",
            "area_code",
            "last_visit_on",
            "interval_days",
            "next_due_on",
            "overdue",
            "alert",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.next_due_on < self.context["today"]


class WorklistFilter(serializers.Serializer):
    area = serializers.RegexField(r"^[0-9]{2,12}$", required=False)
    within = serializers.IntegerField(min_value=0, max_value=365, required=False)
    show = serializers.ChoiceField(choices=selectors.SHOW_CHOICES, required=False)


class AreaCountOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    children = serializers.IntegerField()
    overdue = serializers.IntegerField()
    escalated = serializers.IntegerField()
    due = serializers.IntegerField()
    never = serializers.IntegerField()


@extend_schema(tags=["visits"])
class VisitWorklistApi(viewsets.ViewSet):
    """The work list: children due or overdue in an area, and counts per sub-area."""

    pagination_class = PageNumberPagination

    def _params(self, request) -> dict:
        params = WorklistFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        values = dict(params.validated_data)
        values.setdefault("within", alerts.due_soon_days())
        return values

    @extend_schema(parameters=[WorklistFilter], responses=WorklistChildOutput(many=True))
    def list(self, request):
        """Children of the area (default: the user's own) due within `within` days, overdue or never visited."""
        from seedling.core import clock

        params = self._params(request)
        area = selectors.worklist_area(user=request.user, code=params.get("area"))
        today = clock.today()
        rows = selectors.worklist_children(
            user=request.user,
            area=area.code if area else "",
            within=params["within"],
            show=params.get("show", "all"),
            today=today,
        )
        return paginated_response(
            serializer_class=WorklistChildOutput, rows=rows, request=request, view=self,
            context={"request": request, "today": today},
        )  # fmt: skip

    @extend_schema(parameters=[WorklistFilter], responses=AreaCountOutput(many=True))
    @action(detail=False, methods=["get"])
    def areas(self, request):
        """Counts per area one level below `area`: per village for a township, per township for a county."""
        params = self._params(request)
        area = selectors.worklist_area(user=request.user, code=params.get("area"))
        rows = selectors.worklist_areas(user=request.user, area=area, within=params["within"])
        return Response(AreaCountOutput(rows, many=True).data)
