"""REST API of the counsellor pool: list and read (pool managers, supervisors, the counsellor),
add and edit (county officers of the area), and a counsellor's own profile (`me`)."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.core.api import paginated_response
from seedling.registry.serializers import DivisionCodeField, VersionedInput, text_field

from .. import access, selectors, services
from ..models import Counsellor
from .fields import UsernameField, languages_field, person_name


class CounsellorOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)
    qualification_display = serializers.CharField(source="get_qualification_display", read_only=True)
    languages = serializers.ListField(source="language_list", child=serializers.CharField(), read_only=True)
    home_area = serializers.CharField(source="home_area_id", read_only=True)
    areas = serializers.SerializerMethodField()
    supervisor = serializers.CharField(source="supervisor.username", read_only=True, allow_null=True)
    supervisor_name = serializers.SerializerMethodField()
    open_requests = serializers.SerializerMethodField()

    class Meta:
        model = Counsellor
        fields = [
            "id",
            "version",
            "username",
            "name",
            "qualification",
            "qualification_display",
            "languages",
            "home_area",
            "areas",
            "capacity",
            "open_requests",
            "supervisor",
            "supervisor_name",
            "phone",
            "active",
        ]

    def get_areas(self, obj) -> list[str]:
        return sorted(a.code for a in obj.areas.all())

    def get_supervisor_name(self, obj) -> str | None:
        return person_name(obj.supervisor)

    def get_open_requests(self, obj) -> int:
        value = getattr(obj, "open_requests", None)
        if value is None:
            value = services.requests.open_counts([obj.pk]).get(obj.pk, 0)
        return value


class CounsellorInput(serializers.Serializer):
    qualification = serializers.ChoiceField(choices=Counsellor.Qualification.choices)
    languages = languages_field()
    home_area = DivisionCodeField()
    areas = serializers.ListField(child=DivisionCodeField(), allow_empty=False)
    capacity = serializers.IntegerField(min_value=1, max_value=200, required=False)
    supervisor = UsernameField()
    phone = text_field(30)
    active = serializers.BooleanField(required=False)


class CounsellorCreateInput(CounsellorInput):
    user = UsernameField(required=True, allow_null=False, help_text=gettext_lazy("加入辅导员库的用户名"))


class CounsellorUpdateInput(VersionedInput, CounsellorInput):
    pass


class OwnProfileInput(VersionedInput):
    languages = languages_field(required=False)
    phone = text_field(30)
    active = serializers.BooleanField(required=False)


@extend_schema(tags=["counselling"])
class CounsellorApi(viewsets.ViewSet):
    """The counsellor pool (心理辅导员库) of the user's area."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination

    def stale_representation(self, counsellor):
        return CounsellorOutput(counsellor).data

    def _get(self, pk):
        return selectors.counsellor_get(user=self.request.user, pk=pk)

    @extend_schema(responses=CounsellorOutput)
    def list(self, request):
        """Counsellors the user may see: their officer area's pool, those they supervise, themselves."""
        rows = selectors.counsellor_list(user=request.user).prefetch_related("areas")
        return paginated_response(serializer_class=CounsellorOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=CounsellorOutput)
    def retrieve(self, request, pk=None):
        return Response(CounsellorOutput(self._get(pk)).data)

    @extend_schema(request=CounsellorCreateInput, responses={201: CounsellorOutput})
    def create(self, request):
        """Add a user to the pool (county officers; home and service areas within their area)."""
        data = CounsellorCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        account, areas = fields.pop("user"), fields.pop("areas")
        if not access.officer_prefixes(request.user):
            raise Http404
        counsellor = services.counsellor_save(user=request.user, account=account, fields=fields, areas=areas)
        return Response(CounsellorOutput(self._get(counsellor.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CounsellorUpdateInput, responses=CounsellorOutput)
    def partial_update(self, request, pk=None):
        """Edit a profile (county officers of the counsellor's area); `version` as read, or 409."""
        counsellor = self._get(pk)
        if not access.may_manage_counsellor(request.user, counsellor):
            raise Http404
        data = CounsellorUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version, areas = fields.pop("version"), fields.pop("areas", None)
        services.counsellor_save(
            user=request.user, counsellor=counsellor, fields=fields, areas=areas, expected_version=version
        )
        return Response(CounsellorOutput(self._get(pk)).data)

    @extend_schema(methods=["GET"], responses=CounsellorOutput)
    @extend_schema(methods=["PATCH"], request=OwnProfileInput, responses=CounsellorOutput)
    @action(detail=False, methods=["get", "patch"])
    def me(self, request):
        """The user's own counsellor profile; PATCH languages, phone and active."""
        own = access.counsellor_of(request.user)
        if own is None:
            raise Http404
        if request.method == "PATCH":
            data = OwnProfileInput(data=request.data, partial=True)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            version = fields.pop("version")
            services.counsellor_update_own(user=request.user, fields=fields, expected_version=version)
        return Response(CounsellorOutput(self._get(own.pk)).data)
