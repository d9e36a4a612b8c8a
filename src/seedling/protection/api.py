"""REST API of mandatory reports (强制报告): list, file, open, and the acknowledgement and closing steps.

Thin, like the pages: parse with the nested input serializer, call a selector (scope, access log) or
a service (rules, audit), render with an output serializer. There is no update and no destroy: a
DELETE is answered 405, whoever asks. A report outside the user's reach is 404, never 403.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.core import clock
from seedling.core.api import paginated_response
from seedling.core.audit import audit_log_each
from seedling.registry import selectors as registry
from seedling.registry.serializers import choice_field, display, text_field
from seedling.registry.validation import age_on

from . import selectors, services
from .choices import Situation, Source, Status
from .models import MandatoryReport


class ChildMinimumOutput(serializers.Serializer):
    """What every reader of a report sees of the child; `uuid` only for those who may open the file."""

    uuid = serializers.UUIDField(allow_null=True)
    name = serializers.CharField()
    age = serializers.IntegerField()
    village = serializers.CharField()
    village_code = serializers.CharField()


class RoutingOutput(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField()


class EventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()


class ActionsOutput(serializers.Serializer):
    acknowledge_police = serializers.CharField(allow_null=True, help_text='"contact", "on_behalf" or null')
    acknowledge_civil_affairs = serializers.BooleanField()
    close = serializers.BooleanField()


class ReportListOutput(serializers.ModelSerializer):
    situation_label = display("situation")
    status_label = display("status")
    source_label = display("source")
    reported_at = serializers.DateTimeField(read_only=True)
    child = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField(help_text=gettext_lazy("报告人；无权查看时为“保密”"))
    reporter_confidential = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = MandatoryReport
        fields = [
            "id",
            "child",
            "situation",
            "situation_label",
            "detected_at",
            "reported_at",
            "reporter",
            "reporter_confidential",
            "source",
            "source_label",
            "source_id",
            "status",
            "status_label",
            "ack_due_at",
            "overdue",
            "escalated_at",
            "police_acknowledged_at",
            "police_reference",
            "police_acknowledged_on_behalf",
            "civil_affairs_acknowledged_at",
            "closed_at",
            "closing_note",
            "actions",
        ]

    def _view(self, report) -> selectors.ReportView:
        views = self.context.setdefault("views", {})
        if report.pk not in views:
            views[report.pk] = selectors.report_view(user=self.context["user"], report=report)
        return views[report.pk]

    @extend_schema_field(ChildMinimumOutput)
    def get_child(self, report) -> dict:
        child, view = report.child, self._view(report)
        return ChildMinimumOutput(
            {
                "uuid": child.uuid if view.may_open_file else None,
                "name": child.name,
                "age": age_on(child.birth_date, clock.today()),
                "village": f"{child.area.parent.name if child.area.parent_id else ''} {child.area.name}".strip(),
                "village_code": child.area_id,
            }
        ).data

    def get_reporter(self, report) -> str:
        return self._view(report).reporter_label

    def get_reporter_confidential(self, report) -> bool:
        return not self._view(report).show_reporter

    def get_overdue(self, report) -> bool:
        return self._view(report).overdue

    @extend_schema_field(ActionsOutput)
    def get_actions(self, report) -> dict:
        view = self._view(report)
        return ActionsOutput(
            {
                "acknowledge_police": view.police_ack,
                "acknowledge_civil_affairs": view.may_ack_civil_affairs,
                "close": view.may_close,
            }
        ).data


class ReportOutput(ReportListOutput):
    description = serializers.CharField(read_only=True)
    routings = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(ReportListOutput.Meta):
        fields = [*ReportListOutput.Meta.fields, "description", "routings", "events"]

    @extend_schema_field(RoutingOutput(many=True))
    def get_routings(self, report) -> list[dict]:
        rows = selectors.report_routings(report=report)
        return RoutingOutput(
            [{"kind": r.kind, "name": r.name, "phone": r.phone} for r in rows], many=True
        ).data

    @extend_schema_field(EventOutput(many=True))
    def get_events(self, report) -> list[dict]:
        view = self._view(report)
        rows = [
            {
                "at": e.at,
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "actor": view.actor_label(e),
                "note": e.note,
            }
            for e in selectors.report_events(report=report)
        ]
        return EventOutput(rows, many=True).data


@extend_schema(tags=["mandatory-reports"])
class MandatoryReportApi(viewsets.ViewSet):
    """Mandatory reports (强制报告): never edited, never deleted; steps are POSTed as actions."""

    pagination_class = PageNumberPagination
    lookup_value_converter = "int"

    class ReportFilter(serializers.Serializer):
        status = choice_field([("open", gettext_lazy("未办结")), *Status.choices])
        overdue = serializers.BooleanField(required=False, help_text=gettext_lazy("仅超时未接报"))

    class ReportCreateInput(serializers.Serializer):
        child = serializers.UUIDField(help_text=gettext_lazy("儿童档案的 uuid"))
        situation = serializers.ChoiceField(choices=Situation.choices)
        detected_at = serializers.DateTimeField(help_text=gettext_lazy("发现时间，不能晚于现在"))
        description = serializers.CharField(max_length=services.DESCRIPTION_MAX)
        source = choice_field(Source.choices)
        source_id = serializers.IntegerField(
            required=False, allow_null=True, min_value=1, help_text=gettext_lazy("走访或个案编号")
        )

    class PoliceAckInput(serializers.Serializer):
        reference = text_field(64, help_text=gettext_lazy("接警回执号；民政代为登记时必填"))

    class NoteInput(serializers.Serializer):
        note = text_field(services.NOTE_MAX)

    def _context(self, request) -> dict:
        return {"request": request, "user": request.user}

    @extend_schema(parameters=[ReportFilter], responses=ReportListOutput)
    def list(self, request):
        """Reports the user may see (their area's; for police contacts, those routed to them)."""
        params = self.ReportFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.report_list(
            user=request.user,
            status=params.validated_data.get("status", ""),
            overdue=params.validated_data.get("overdue", False),
        )
        response = paginated_response(
            serializer_class=ReportListOutput,
            rows=rows,
            request=request,
            view=self,
            context=self._context(request),
        )
        # A read of each report listed, tied to its child (as the list page does).
        ids = [row["id"] for row in response.data["results"]]
        shown = rows.filter(pk__in=ids) if ids else []
        audit_log_each(user=request.user, action="view", objs=shown, detail={"list": "mandatory_reports"})
        return response

    @extend_schema(responses=ReportOutput)
    def retrieve(self, request, pk=None):
        """Open one report (每次查看记入访问日志)."""
        report, view = selectors.report_open(user=request.user, pk=pk)
        context = {**self._context(request), "views": {report.pk: view}}
        return Response(ReportOutput(report, context=context).data)

    @extend_schema(request=ReportCreateInput, responses={201: ReportOutput})
    def create(self, request):
        """File a report; it is routed at once to the police and civil affairs of the child's area."""
        data = self.ReportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        child = registry.child_get(user=request.user, uuid=fields.pop("child"))
        report = services.report_create(user=request.user, child=child, **fields)
        return Response(
            ReportOutput(report, context=self._context(request)).data, status=status.HTTP_201_CREATED
        )

    def _step(self, request, pk, call):
        report = selectors.report_get(user=request.user, pk=pk)
        report = call(report)
        return Response(ReportOutput(report, context=self._context(request)).data)

    @extend_schema(request=PoliceAckInput, responses=ReportOutput)
    @action(detail=True, methods=["post"], url_path="acknowledge-police")
    def acknowledge_police(self, request, pk=None):
        """The police received the report (their account, or the county officer with the receipt number)."""
        data = self.PoliceAckInput(data=request.data)
        data.is_valid(raise_exception=True)
        reference = data.validated_data.get("reference", "")
        return self._step(
            request,
            pk,
            lambda r: services.report_acknowledge_police(user=request.user, report=r, reference=reference),
        )

    @extend_schema(request=NoteInput, responses=ReportOutput)
    @action(detail=True, methods=["post"], url_path="acknowledge-civil-affairs")
    def acknowledge_civil_affairs(self, request, pk=None):
        """Civil affairs (county level or above) received the report."""
        data = self.NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("note", "")
        return self._step(
            request,
            pk,
            lambda r: services.report_acknowledge_civil_affairs(user=request.user, report=r, note=note),
        )

    @extend_schema(request=NoteInput, responses=ReportOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the report after both acknowledgements; `note` is required."""
        data = self.NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("note", "")
        return self._step(
            request, pk, lambda r: services.report_close(user=request.user, report=r, note=note)
        )

    @extend_schema(request=NoteInput, responses={201: EventOutput})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """Add to the report's history (the report itself is never edited)."""
        data = self.NoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        report = selectors.report_get(user=request.user, pk=pk)
        event = services.report_note_add(
            user=request.user, report=report, note=data.validated_data.get("note", "")
        )
        view = selectors.report_view(user=request.user, report=report)
        body = {
            "at": event.at,
            "kind": event.kind,
            "kind_label": event.get_kind_display(),
            "actor": view.actor_label(event),
            "note": event.note,
        }
        return Response(EventOutput(body).data, status=status.HTTP_201_CREATED)
