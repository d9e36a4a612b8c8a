"""REST API of classes and rosters: classes of a school, students, roster import (dry run or
commit), and linking a student to a registered child (suggestions, link, unlink; all logged)."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from seedling.core.api import paginated_response
from seedling.registry.serializers import VersionedInput, text_field

from .. import coverage, selectors, services
from ..models import Student
from .serializers import (
    RosterImportOutput,
    SchoolClassOutput,
    ScreeningCoverageOutput,
    StudentLinkSuggestionOutput,
    StudentOutput,
)


class SchoolClassFilter(serializers.Serializer):
    school = serializers.IntegerField(required=False)
    school_year = serializers.IntegerField(required=False)


class SchoolClassInput(serializers.Serializer):
    school = serializers.IntegerField()
    school_year = serializers.IntegerField()
    grade = serializers.IntegerField()
    name = serializers.CharField(max_length=30)
    head_teacher = text_field(50)


class SchoolClassUpdateInput(VersionedInput):
    school_year = serializers.IntegerField(required=False)
    grade = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=30, required=False)
    head_teacher = text_field(50)


class StudentInput(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    sex = serializers.ChoiceField(choices=[("", "—"), *Student.Sex.choices], required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    student_number = text_field(30)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, write_only=True)


class StudentCreateInput(StudentInput):
    school_class = serializers.IntegerField()


class StudentUpdateInput(VersionedInput, StudentInput):
    pass


class RosterImportInput(serializers.Serializer):
    file = serializers.FileField(
        help_text=gettext_lazy(".xlsx 或 .csv；列：姓名、性别、出生日期、学号、身份证号")
    )
    commit = serializers.BooleanField(
        default=False, help_text=gettext_lazy("false 只检查；true 检查无误后全部导入")
    )


class StudentLinkInput(serializers.Serializer):
    child = serializers.UUIDField(help_text=gettext_lazy("儿童 uuid"))


class StudentActiveInput(serializers.Serializer):
    active = serializers.BooleanField()


def _data(serializer_class, request, **kwargs) -> dict:
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


@extend_schema(tags=["schools"])
class SchoolClassApi(viewsets.ViewSet):
    """Classes (班级) of the schools in the user's screening area."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination

    def stale_representation(self, school_class):
        return SchoolClassOutput(school_class).data

    def get_parsers(self):
        if getattr(self, "action", None) == "roster_import":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    @extend_schema(parameters=[SchoolClassFilter], responses=SchoolClassOutput)
    def list(self, request):
        params = SchoolClassFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        school = None
        if params.validated_data.get("school"):
            school = selectors.school_get(user=request.user, pk=params.validated_data["school"])
        rows = selectors.class_list(
            user=request.user, school=school, school_year=params.validated_data.get("school_year")
        )
        return paginated_response(serializer_class=SchoolClassOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=SchoolClassOutput)
    def retrieve(self, request, pk=None):
        return Response(SchoolClassOutput(selectors.class_get(user=request.user, pk=pk)).data)

    @extend_schema(request=SchoolClassInput, responses={201: SchoolClassOutput})
    def create(self, request):
        fields = _data(SchoolClassInput, request)
        school = selectors.school_get(user=request.user, pk=fields.pop("school"))
        created = services.class_save(user=request.user, school=school, fields=fields)
        return Response(SchoolClassOutput(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SchoolClassUpdateInput, responses=SchoolClassOutput)
    def partial_update(self, request, pk=None):
        """Edit a class; `version` must be the one read, or 409 with the current class."""
        school_class = selectors.class_get(user=request.user, pk=pk)
        fields = _data(SchoolClassUpdateInput, request, partial=True)
        version = fields.pop("version")
        saved = services.class_save(
            user=request.user,
            school=school_class.school,
            school_class=school_class,
            fields=fields,
            expected_version=version,
        )
        return Response(SchoolClassOutput(saved).data)

    @extend_schema(responses=ScreeningCoverageOutput)
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        school_class = selectors.class_get(user=request.user, pk=pk)
        return Response(
            ScreeningCoverageOutput(coverage.class_coverage(classes=[school_class])[school_class.pk]).data
        )

    @extend_schema(responses=StudentOutput(many=True))
    @action(detail=True, methods=["get"])
    def students(self, request, pk=None):
        """The class roster (a logged read); `left=true` includes students who left."""
        school_class = selectors.class_get(user=request.user, pk=pk)
        left = request.query_params.get("left") in ("1", "true")
        rows = selectors.roster(user=request.user, school_class=school_class, include_left=left)
        return paginated_response(serializer_class=StudentOutput, rows=rows, request=request, view=self)

    @extend_schema(
        request={"multipart/form-data": RosterImportInput},
        responses={200: RosterImportOutput, 400: RosterImportOutput},
    )
    @action(detail=True, methods=["post"], url_path="roster-import")
    def roster_import(self, request, pk=None):
        """Dry run (every problem by row and column), or with `commit` all rows in one transaction."""
        school_class = selectors.class_get(user=request.user, pk=pk)
        fields = _data(RosterImportInput, request)
        upload = fields["file"]
        try:
            table = services.read_table(name=upload.name, content=upload.read())
        except services.RosterFileError as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from None
        if fields["commit"]:
            result = services.roster_commit(user=request.user, school_class=school_class, table=table)
        else:
            result = services.roster_check(school_class=school_class, table=table)
        body = {
            "committed": bool(fields["commit"] and result.ok),
            "rows": len(result.rows),
            "problems": result.problems,
        }
        code = status.HTTP_200_OK if not result.problems else status.HTTP_400_BAD_REQUEST
        return Response(RosterImportOutput(body).data, status=code)


@extend_schema(tags=["schools"])
class StudentApi(viewsets.ViewSet):
    """Students on the rosters of the user's screening area."""

    lookup_value_converter = "int"

    def stale_representation(self, student):
        return StudentOutput(student).data

    def _get(self, pk):
        return selectors.student_get(user=self.request.user, pk=pk)

    @extend_schema(request=StudentCreateInput, responses={201: StudentOutput})
    def create(self, request):
        fields = _data(StudentCreateInput, request)
        school_class = selectors.class_get(user=request.user, pk=fields.pop("school_class"))
        student = services.student_save(user=request.user, school_class=school_class, fields=fields)
        return Response(StudentOutput(student).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StudentUpdateInput, responses=StudentOutput)
    def partial_update(self, request, pk=None):
        """Edit a student; `version` must be the one read, or 409 with the current student."""
        student = self._get(pk)
        fields = _data(StudentUpdateInput, request, partial=True)
        version = fields.pop("version")
        student = services.student_save(
            user=request.user,
            school_class=student.school_class,
            student=student,
            fields=fields,
            expected_version=version,
        )
        return Response(StudentOutput(student).data)

    @extend_schema(request=StudentActiveInput, responses=StudentOutput)
    @action(detail=True, methods=["post"])
    def active(self, request, pk=None):
        """Mark a student as left (false) or back on the roster (true)."""
        student = services.student_deactivate(
            user=request.user, student=self._get(pk), active=_data(StudentActiveInput, request)["active"]
        )
        return Response(StudentOutput(student).data)

    @extend_schema(responses=StudentLinkSuggestionOutput(many=True))
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        """Registered children the user may see with the same ID number, or name and birth date."""
        children = selectors.link_suggestions(user=request.user, student=self._get(pk))
        return Response(StudentLinkSuggestionOutput(children, many=True).data)

    @extend_schema(request=StudentLinkInput, responses=StudentOutput)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        student = self._get(pk)
        child = selectors.link_candidate(
            user=request.user, student=student, child_uuid=_data(StudentLinkInput, request)["child"]
        )
        return Response(
            StudentOutput(services.student_link(user=request.user, student=student, child=child)).data
        )

    @extend_schema(request=None, responses=StudentOutput)
    @action(detail=True, methods=["post"])
    def unlink(self, request, pk=None):
        return Response(StudentOutput(services.student_unlink(user=request.user, student=self._get(pk))).data)
