"""REST API of schools and their education activities, coverage and the county overview.

Schools of the user's SCREEN area only (others 404); edits carry the version read (409 if stale).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.core.api import paginated_response
from seedling.registry.serializers import DivisionCodeField, VersionedInput, choice_field, text_field

from .. import coverage, selectors, services
from ..models import EducationActivity, School
from .serializers import EducationActivityOutput, SchoolOutput, ScreeningCoverageOutput


class SchoolFilter(serializers.Serializer):
    pilot = serializers.BooleanField(required=False, allow_null=True, default=None)
    kind = choice_field(School.Kind.choices)
    area = serializers.RegexField(r"^[0-9]{2,12}$", required=False)
    q = text_field(50, help_text=gettext_lazy("名称或学校标识码"))


class SchoolInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    code = text_field(10)
    kind = serializers.ChoiceField(choices=School.Kind.choices)
    area = DivisionCodeField()
    address = text_field(200)
    pilot = serializers.BooleanField(required=False)
    pilot_since = serializers.DateField(required=False, allow_null=True)
    active = serializers.BooleanField(required=False)


class SchoolUpdateInput(VersionedInput, SchoolInput):
    pass


class EducationActivityInput(serializers.Serializer):
    school_class = serializers.IntegerField(required=False, allow_null=True)
    held_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=EducationActivity.Kind.choices)
    audience = choice_field(EducationActivity.Audience.choices)
    title = serializers.CharField(max_length=200)
    participants = serializers.IntegerField(min_value=0, required=False)
    notes = text_field(2000)


class PilotSchoolCoverageOutput(serializers.Serializer):
    school = SchoolOutput()
    coverage = ScreeningCoverageOutput()


class PilotSchoolsOverviewOutput(serializers.Serializer):
    schools = PilotSchoolCoverageOutput(many=True)
    total = ScreeningCoverageOutput()


def _area_refused():
    return serializers.ValidationError({"area": [gettext_lazy("该区域不在您的管理范围内。")]})


@extend_schema(tags=["schools"])
class SchoolApi(viewsets.ViewSet):
    """Schools (学校) of the user's screening area; pilot schools of the mental-health programme."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination

    def stale_representation(self, school):
        return SchoolOutput(school).data

    def _get(self, pk):
        return selectors.school_get(user=self.request.user, pk=pk)

    @extend_schema(parameters=[SchoolFilter], responses=SchoolOutput)
    def list(self, request):
        params = SchoolFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.school_list(user=request.user, filters=dict(params.validated_data))
        return paginated_response(serializer_class=SchoolOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=SchoolOutput)
    def retrieve(self, request, pk=None):
        return Response(SchoolOutput(self._get(pk)).data)

    @extend_schema(request=SchoolInput, responses={201: SchoolOutput})
    def create(self, request):
        data = SchoolInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            school = services.school_save(user=request.user, fields=dict(data.validated_data))
        except PermissionDenied:
            raise _area_refused() from None
        return Response(SchoolOutput(school).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SchoolUpdateInput, responses=SchoolOutput)
    def partial_update(self, request, pk=None):
        """Edit a school; `version` must be the one read, or 409 with the current school."""
        school = self._get(pk)
        data = SchoolUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        try:
            school = services.school_save(
                user=request.user, school=school, fields=fields, expected_version=version
            )
        except PermissionDenied:
            raise _area_refused() from None
        return Response(SchoolOutput(self._get(pk)).data)

    @extend_schema(responses=ScreeningCoverageOutput)
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """Screening coverage this term over the school's classes of this school year."""
        school = self._get(pk)
        return Response(ScreeningCoverageOutput(coverage.school_coverage(schools=[school])[school.pk]).data)

    @extend_schema(responses=PilotSchoolsOverviewOutput)
    @action(detail=False, methods=["get"])
    def overview(self, request):
        """Pilot schools of the user's area with coverage this term (the county overview)."""
        area = request.query_params.get("area", "")
        if area and not (area.isdigit() and len(area) <= 12):
            raise serializers.ValidationError({"area": [gettext_lazy("区划代码须为 2 到 12 位数字。")]})
        rows, total = coverage.county_overview(user=request.user, area=area)
        body = {"schools": [{"school": s, "coverage": c} for s, c in rows], "total": total}
        return Response(PilotSchoolsOverviewOutput(body).data)

    @extend_schema(methods=["GET"], responses=EducationActivityOutput(many=True))
    @extend_schema(methods=["POST"], request=EducationActivityInput, responses={201: EducationActivityOutput})
    @action(detail=True, methods=["get", "post"])
    def activities(self, request, pk=None):
        """Mental-health education activities of the school: list, or record one."""
        school = self._get(pk)
        if request.method == "POST":
            data = EducationActivityInput(data=request.data)
            data.is_valid(raise_exception=True)
            fields = dict(data.validated_data)
            class_id = fields.pop("school_class", None)
            fields["school_class"] = None
            if class_id:
                fields["school_class"] = (
                    selectors.class_list(user=request.user, school=school).filter(pk=class_id).first()
                )
                if fields["school_class"] is None:
                    raise serializers.ValidationError(
                        {"school_class": [gettext_lazy("所选班级不属于该学校。")]}
                    )
            activity = services.activity_record(user=request.user, school=school, fields=fields)
            return Response(EducationActivityOutput(activity).data, status=status.HTTP_201_CREATED)
        rows = selectors.activity_list(user=request.user, school=school)
        return paginated_response(
            serializer_class=EducationActivityOutput, rows=rows, request=request, view=self
        )
