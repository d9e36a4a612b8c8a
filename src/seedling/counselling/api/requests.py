"""REST API of requests for help and session notes.

A request's contents and notes are for its counsellor and that counsellor's supervisor: everyone
else gets 404. County officers read counts (`counts`) and assign or reassign by number.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.accounts.roles import Action
from seedling.core.api import paginated_response
from seedling.core.scope import user_may
from seedling.registry.serializers import VersionedInput, choice_field, text_field

from .. import access, selectors, services
from ..models import Counsellor, HelpRequest, SessionNote
from .fields import person_name


class HelpRequestListOutput(serializers.ModelSerializer):
    """A request without what the requester said or who they are: lists and 409 answers are not
    logged reads, so the message, contact and child come only from the single, logged read."""

    source_display = serializers.CharField(source="get_source_display", read_only=True)
    requester_display = serializers.CharField(source="get_requester_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    counsellor = serializers.IntegerField(source="counsellor_id", read_only=True, allow_null=True)
    counsellor_name = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "version",
            "source",
            "source_display",
            "requester",
            "requester_display",
            "area",
            "area_name",
            "language",
            "urgent",
            "status",
            "status_display",
            "counsellor",
            "counsellor_name",
            "created_at",
            "assigned_at",
            "closed_at",
        ]

    def get_counsellor_name(self, obj) -> str | None:
        return str(obj.counsellor) if obj.counsellor_id else None


class HelpRequestOutput(HelpRequestListOutput):
    """A request with its contents: only from `request_open` (its counsellor and supervisor, logged)."""

    child = serializers.UUIDField(source="child.uuid", read_only=True, allow_null=True)

    class Meta(HelpRequestListOutput.Meta):
        fields = [
            *HelpRequestListOutput.Meta.fields,
            "child",
            "contact_name",
            "contact",
            "message",
            "closing_note",
        ]


class SessionNoteOutput(serializers.ModelSerializer):
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    risk_display = serializers.CharField(source="get_risk_display", read_only=True)
    written_by = serializers.SerializerMethodField()

    class Meta:
        model = SessionNote
        fields = [
            "id",
            "held_on",
            "mode",
            "mode_display",
            "risk",
            "risk_display",
            "text",
            "next_on",
            "written_by",
        ]

    def get_written_by(self, obj) -> str | None:
        return person_name(obj.written_by)


class HelpRequestCountsOutput(serializers.Serializer):
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_counsellor = serializers.ListField(child=serializers.DictField())
    waiting = serializers.ListField(child=serializers.DictField())


class HelpRequestAssignmentOutput(serializers.Serializer):
    """What a staff member or an officer learns of a request they placed or moved: no contents."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    counsellor = serializers.IntegerField(allow_null=True)


class HelpRequestFilter(serializers.Serializer):
    mine = serializers.BooleanField(required=False, help_text=gettext_lazy("只看我负责的（不含我督导的）"))
    status = choice_field([("open", gettext_lazy("未结束")), *HelpRequest.Status.choices])


class HelpRequestReassignInput(VersionedInput):
    counsellor = serializers.PrimaryKeyRelatedField(queryset=Counsellor.objects.all())


class HelpRequestCloseInput(VersionedInput):
    note = serializers.CharField(max_length=300)


class SessionNoteInput(serializers.Serializer):
    held_on = serializers.DateField(required=False)
    mode = choice_field(SessionNote.Mode.choices)
    risk = choice_field(SessionNote.Risk.choices)
    text = serializers.CharField(max_length=5000)
    next_on = serializers.DateField(required=False, allow_null=True)


class HelpRequestStaffInput(serializers.Serializer):
    area = serializers.RegexField(r"^[0-9]{2,12}$")
    requester = choice_field(HelpRequest.Requester.choices)
    contact_name = text_field(50)
    contact = text_field(50)
    message = text_field(2000)
    language = serializers.CharField(max_length=10, required=False)
    urgent = serializers.BooleanField(required=False)


@extend_schema(tags=["counselling"])
class HelpRequestApi(viewsets.ViewSet):
    """Requests for a counsellor (求助): the counsellor's own and their supervisees'."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination
    error_field_names = {"closing_note": "note"}

    def stale_representation(self, request_):
        # A 409 also reaches officers who reassign: the current state without contents.
        return HelpRequestListOutput(request_).data

    def _get(self, pk):
        return selectors.request_get(user=self.request.user, pk=pk)

    def _done(self, pk, code=status.HTTP_200_OK):
        # The answer carries the contents, so it is a logged read like `retrieve`.
        return Response(
            HelpRequestOutput(selectors.request_open(user=self.request.user, pk=pk)).data, status=code
        )

    @extend_schema(parameters=[HelpRequestFilter], responses=HelpRequestListOutput)
    def list(self, request):
        """Requests without contents (not a logged read); open one for what the requester said."""
        params = HelpRequestFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.request_list(user=request.user, filters=dict(params.validated_data))
        return paginated_response(
            serializer_class=HelpRequestListOutput, rows=rows, request=request, view=self
        )

    @extend_schema(responses=HelpRequestOutput)
    def retrieve(self, request, pk=None):
        """A request with its contents (its counsellor and their supervisor; a logged read)."""
        return Response(HelpRequestOutput(selectors.request_open(user=request.user, pk=pk)).data)

    @extend_schema(request=HelpRequestStaffInput, responses={201: HelpRequestAssignmentOutput})
    def create(self, request):
        """A member of staff (counsellor role or county officer) registers a request in their area."""
        data = HelpRequestStaffInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        area = fields.pop("area")
        if not (user_may(request.user, Action.COUNSEL, area) or access.is_officer_for(request.user, area)):
            raise Http404
        created = services.help_request_create(
            source=HelpRequest.Source.STAFF, area=area, user=request.user, **fields
        )
        body = {"id": created.pk, "status": created.status, "counsellor": created.counsellor_id}
        return Response(HelpRequestAssignmentOutput(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=HelpRequestCountsOutput)
    @action(detail=False, methods=["get"])
    def counts(self, request):
        """County officers: requests of their area by status and counsellor (counts, no contents)."""
        if not access.officer_prefixes(request.user):
            raise Http404
        data = selectors.request_counts(user=request.user)
        return Response(HelpRequestCountsOutput(data).data)

    @extend_schema(request=VersionedInput, responses=HelpRequestOutput)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The assigned counsellor takes the request up."""
        data = VersionedInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.help_request_accept(
            request=self._get(pk), user=request.user, expected_version=data.validated_data["version"]
        )
        return self._done(pk)

    @extend_schema(request=HelpRequestReassignInput, responses=HelpRequestAssignmentOutput)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """Assign or reassign (the counsellor's supervisor, or a county officer of the area)."""
        try:
            target = self._get(pk)
        except Http404:
            target = selectors.request_outline(user=request.user, pk=pk)
        if not access.may_reassign(request.user, target):
            raise Http404
        data = HelpRequestReassignInput(data=request.data)
        data.is_valid(raise_exception=True)
        moved = services.help_request_reassign(
            request=target,
            counsellor=data.validated_data["counsellor"],
            user=request.user,
            expected_version=data.validated_data["version"],
        )
        # Officers get the outcome, not the contents.
        body = {"id": moved.pk, "status": moved.status, "counsellor": moved.counsellor_id}
        return Response(HelpRequestAssignmentOutput(body).data)

    @extend_schema(request=HelpRequestCloseInput, responses=HelpRequestOutput)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = HelpRequestCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.help_request_close(
            request=self._get(pk),
            user=request.user,
            note=data.validated_data["note"],
            expected_version=data.validated_data["version"],
        )
        return self._done(pk)

    @extend_schema(methods=["GET"], responses=SessionNoteOutput(many=True))
    @extend_schema(methods=["POST"], request=SessionNoteInput, responses={201: SessionNoteOutput})
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk=None):
        """Session notes: the request's counsellor and their supervisor only; every read logged."""
        target = self._get(pk)
        if request.method == "POST":
            data = SessionNoteInput(data=request.data)
            data.is_valid(raise_exception=True)
            note = services.session_note_write(
                user=request.user, request=target, fields=dict(data.validated_data)
            )
            return Response(SessionNoteOutput(note).data, status=status.HTTP_201_CREATED)
        notes = selectors.notes_read(user=request.user, request=target)
        return Response(SessionNoteOutput(notes, many=True).data)
