"""REST API of the child's file (一人一档): children, family members and their situations, categories.

Thin, like the pages: parse with the nested input serializer, call a selector (area scope, access
log) or a service (rules, audit), render with an output serializer. A file outside the user's
scope is 404, never 403, so its existence is not revealed. Errors: see core.api.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.core.api import paginated_response
from seedling.core.audit import audit_log, audit_log_each

from . import selectors, services
from .choices import (
    ETHNIC_GROUPS,
    Capacity,
    Category,
    ChildStatus,
    DisabilityGrade,
    DisabilityType,
    Evidence,
    Grade,
    Health,
    Hukou,
    NoIdReason,
    Relation,
    Sex,
    Situation,
)
from .duplicates import DuplicateIdBlocked, PossibleDuplicates
from .serializers import (
    AssignmentOutput,
    ChildListOutput,
    ChildOutput,
    DivisionCodeField,
    DuplicateCandidateOutput,
    PersonOutput,
    SituationOutput,
    VersionedInput,
    choice_field,
    id_number_field,
    text_field,
)

# A query with a run of digits is an identity or phone number: it never goes into the log in clear.


def _duplicate_conflict(exc: DuplicateIdBlocked | PossibleDuplicates, user) -> Response:
    """409 for a duplicate on entry; shows only what the user may see."""
    if isinstance(exc, DuplicateIdBlocked):
        body = {"detail": str(exc), "code": "duplicate_id", "id_number": [str(exc)]}
        if exc.visible:
            uuid = str(exc.existing.uuid)
            body["existing"] = {"uuid": uuid, "url": reverse("child-detail", kwargs={"uuid": uuid})}
        else:
            body["detail"] += _("该档案不在您的管辖区域，请与上级民政部门核实。")
        return Response(body, status=status.HTTP_409_CONFLICT)
    # The duplicate check already looks only within the user's scope; checked again here because a
    # candidate out of scope would leak a name and birth date.
    in_scope = set(
        selectors.child_list(user=user)
        .filter(pk__in=[c.pk for c in exc.candidates])
        .values_list("pk", flat=True)
    )
    candidates = [c for c in exc.candidates if c.pk in in_scope]  # keep the ranking
    audit_log_each(user=user, action="view", objs=candidates, reason="duplicate_check")  # shown to compare
    return Response(
        {
            "detail": str(exc),
            "code": "possible_duplicates",
            "duplicate_reason": [_("如确认不是同一人，请填写理由（duplicate_reason）后重新提交。")],
            "candidates": DuplicateCandidateOutput(candidates, many=True).data,
        },
        status=status.HTTP_409_CONFLICT,
    )


_CONFLICT = OpenApiResponse(description=gettext_lazy("版本冲突（返回当前版本和内容）或身份证号重复/疑似重复"))


def _person_get(*, user, uuid):
    """A family member of a child in the user's scope, or 404."""
    person = selectors.person_list(user=user).filter(uuid=uuid).first()
    if person is None:
        raise Http404
    return person


@extend_schema(tags=["persons"])
class PersonApi(viewsets.ViewSet):
    """A parent, guardian, delegated carer or other family member, with their situations."""

    lookup_field = "uuid"
    lookup_value_converter = "uuid"

    class PersonCreateInput(serializers.Serializer):
        relation = serializers.ChoiceField(choices=Relation.choices)
        name = serializers.CharField(max_length=64)
        id_number = id_number_field()
        phone = text_field(30)
        is_guardian = serializers.BooleanField(required=False)
        is_delegated_carer = serializers.BooleanField(required=False)
        lives_with_child = serializers.BooleanField(required=False)
        health = choice_field(Health.choices)
        capacity = choice_field(Capacity.choices)
        notes = text_field(300)

    class PersonUpdateInput(VersionedInput, PersonCreateInput):
        pass

    class SituationInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=Situation.choices)
        started_on = serializers.DateField(required=False, allow_null=True)
        ended_on = serializers.DateField(required=False, allow_null=True)
        place = text_field(100)
        outside_county = serializers.BooleanField(required=False)
        evidence_type = choice_field(Evidence.choices, allow_blank=True)
        evidence_ref = text_field(200)
        notes = text_field(300)

    def stale_representation(self, person):
        return PersonOutput(person).data

    @extend_schema(responses=PersonOutput)
    def retrieve(self, request, uuid=None):
        """Open one family member (logged as a read of the child's file)."""
        person = _person_get(user=request.user, uuid=uuid)
        audit_log(user=request.user, action="view", obj=person, child=person.child)
        return Response(PersonOutput(person).data)

    @extend_schema(request=PersonUpdateInput, responses={200: PersonOutput, 409: _CONFLICT})
    def update(self, request, uuid=None, partial=False):
        """Edit a family member; `version` must be the one read, or 409 with the current record."""
        person = _person_get(user=request.user, uuid=uuid)
        data = self.PersonUpdateInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        id_number = fields.pop("id_number", None)
        person = services.person_update(
            user=request.user, person=person, expected_version=version, fields=fields, id_number=id_number
        )
        return Response(PersonOutput(person).data)

    @extend_schema(request=PersonUpdateInput, responses={200: PersonOutput, 409: _CONFLICT})
    def partial_update(self, request, uuid=None):
        """Edit some fields of a family member; `version` is still required."""
        return self.update(request, uuid=uuid, partial=True)

    @extend_schema(request=SituationInput, responses={201: SituationOutput})
    @action(detail=True, methods=["post"])
    def situations(self, request, uuid=None):
        """Record a situation of this person (working away since ..., imprisoned, ...)."""
        person = _person_get(user=request.user, uuid=uuid)
        data = self.SituationInput(data=request.data)
        data.is_valid(raise_exception=True)
        situation = services.situation_add(user=request.user, person=person, fields=dict(data.validated_data))
        return Response(SituationOutput(situation).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["children"])
class ChildApi(viewsets.ViewSet):
    """Children's files: list and search, open, register, edit, reveal the identity number."""

    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    pagination_class = PageNumberPagination

    class ChildFilter(serializers.Serializer):
        q = text_field(100, help_text=gettext_lazy("姓名、拼音、首字母或身份证号"))
        category = choice_field(Category.choices)
        area = serializers.RegexField(
            r"^[0-9]{2,12}$", required=False, help_text=gettext_lazy("区划代码前缀")
        )
        age_band = choice_field(list(selectors.AGE_BANDS))
        status = choice_field(ChildStatus.choices)

    class ChildCreateInput(serializers.Serializer):
        name = serializers.CharField(max_length=64)
        id_number = id_number_field()
        sex = choice_field(
            Sex.choices, allow_blank=True, help_text=gettext_lazy("有身份证号时可不填，自动带出")
        )
        birth_date = serializers.DateField(required=False, allow_null=True)
        no_id_reason = choice_field(NoIdReason.choices, allow_blank=True)
        ethnic_group = choice_field(ETHNIC_GROUPS)
        hukou_type = serializers.ChoiceField(choices=Hukou.choices)
        hukou_area = DivisionCodeField(required=False, allow_null=True)
        area = DivisionCodeField(help_text=gettext_lazy("现居村（居）的 12 位区划代码"))
        address = text_field(200)
        resident_since = serializers.DateField(required=False, allow_null=True)
        lives_alone = serializers.BooleanField(required=False)
        school = text_field(100)
        grade = choice_field(Grade.choices, allow_blank=True)
        in_full_time_study = serializers.BooleanField(required=False)
        health = choice_field(Health.choices)
        health_notes = text_field(300)
        disability_type = choice_field(DisabilityType.choices, allow_blank=True)
        disability_grade = choice_field(DisabilityGrade.choices, allow_null=True)
        disability_difficulty = serializers.BooleanField(required=False)
        family_economic_difficulty = serializers.BooleanField(required=False)
        economic_difficulty_basis = text_field(200)
        guardianship_failure = serializers.BooleanField(required=False)
        guardianship_failure_notes = text_field(300)
        duplicate_reason = text_field(
            300, write_only=True, help_text=gettext_lazy("疑似重复时仍要登记的理由")
        )

    class ChildUpdateInput(VersionedInput, ChildCreateInput):
        duplicate_reason = None
        status = choice_field(ChildStatus.choices)
        status_changed_on = serializers.DateField(required=False, allow_null=True)

    class RevealInput(serializers.Serializer):
        reason = text_field(500, help_text=gettext_lazy("查看完整身份证号的理由（记入访问日志）"))

    class RevealOutput(serializers.Serializer):
        uuid = serializers.UUIDField()
        id_number = serializers.CharField()

    def stale_representation(self, child):
        return ChildOutput(child, context={"request": self.request}).data

    @extend_schema(parameters=[ChildFilter], responses=ChildListOutput)
    def list(self, request):
        """Children in the user's areas; `q` searches (logged once, ID numbers not written)."""
        params = self.ChildFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        query = filters.pop("q", "").strip()
        rows = selectors.child_list(user=request.user, filters=filters)
        if query:
            rows = selectors.child_search(user=request.user, query=query, base=rows, filters=filters)
        return paginated_response(
            serializer_class=ChildListOutput,
            rows=selectors.with_open_categories(rows),
            request=request,
            view=self,
        )

    @extend_schema(responses=ChildOutput)
    def retrieve(self, request, uuid=None):
        """Open a child's file (每次查看记入访问日志): every read is logged."""
        child = selectors.child_file_open(user=request.user, uuid=uuid)
        return Response(ChildOutput(child).data)

    @extend_schema(request=ChildCreateInput, responses={201: ChildOutput, 409: _CONFLICT})
    def create(self, request):
        """Register a child; 409 for a duplicate identity number or possible duplicates."""
        data = self.ChildCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        id_number = fields.pop("id_number", "")
        reason = fields.pop("duplicate_reason", "")
        try:
            child = services.child_register(
                user=request.user, fields=fields, id_number=id_number, duplicate_reason=reason
            )
        except (DuplicateIdBlocked, PossibleDuplicates) as exc:
            return _duplicate_conflict(exc, request.user)
        return Response(ChildOutput(child).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChildUpdateInput, responses={200: ChildOutput, 409: _CONFLICT})
    def update(self, request, uuid=None, partial=False):
        """Edit a child's file; `version` must be the one read, or 409 with the current record."""
        child = selectors.child_get(user=request.user, uuid=uuid)
        data = self.ChildUpdateInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        id_number = fields.pop("id_number", None)
        try:
            child = services.child_update(
                user=request.user, child=child, expected_version=version, fields=fields, id_number=id_number
            )
        except DuplicateIdBlocked as exc:
            return _duplicate_conflict(exc, request.user)
        return Response(ChildOutput(child).data)

    @extend_schema(request=ChildUpdateInput, responses={200: ChildOutput, 409: _CONFLICT})
    def partial_update(self, request, uuid=None):
        """Edit some fields of a child's file; `version` is still required."""
        return self.update(request, uuid=uuid, partial=True)

    @extend_schema(request=RevealInput, responses=RevealOutput)
    @action(detail=True, methods=["post"], url_path="reveal-id")
    def reveal_id(self, request, uuid=None):
        """Show the full identity number: needs the reveal right and a reason; written to the access log."""
        child = selectors.child_get(user=request.user, uuid=uuid)
        data = self.RevealInput(data=request.data)
        data.is_valid(raise_exception=True)
        number = services.child_reveal_id_number(
            user=request.user, child=child, reason=data.validated_data.get("reason", "")
        )
        response = Response(self.RevealOutput({"uuid": child.uuid, "id_number": number}).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(methods=["GET"], responses=PersonOutput(many=True))
    @extend_schema(methods=["POST"], request=PersonApi.PersonCreateInput, responses={201: PersonOutput})
    @action(detail=True, methods=["get", "post"])
    def persons(self, request, uuid=None):
        """The child's family members and carers (reading them opens the file: logged)."""
        if request.method == "GET":
            child = selectors.child_file_open(user=request.user, uuid=uuid)
            return paginated_response(
                serializer_class=PersonOutput,
                rows=selectors.child_persons(child=child),
                request=request,
                view=self,
            )
        child = selectors.child_get(user=request.user, uuid=uuid)
        data = PersonApi.PersonCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        id_number = fields.pop("id_number", "")
        person = services.person_create(user=request.user, child=child, fields=fields, id_number=id_number)
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["persons"])
class SituationApi(viewsets.ViewSet):
    """End a family member's situation (the parent came home, was released): kept, never deleted."""

    lookup_value_converter = "int"

    class SituationEndInput(serializers.Serializer):
        ended_on = serializers.DateField()

    @extend_schema(request=SituationEndInput, responses=SituationOutput)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a situation on `ended_on` (the row is kept)."""
        situation = selectors.situation_get(user=request.user, pk=pk)
        data = self.SituationEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        situation = services.situation_end(
            user=request.user, situation=situation, ended_on=data.validated_data["ended_on"]
        )
        return Response(SituationOutput(situation).data)


@extend_schema(tags=["category-assignments"])
class CategoryAssignmentApi(viewsets.ViewSet):
    """Category assignments (类别认定) with the rule and reasons behind each; read-only."""

    pagination_class = PageNumberPagination

    class AssignmentFilter(serializers.Serializer):
        child = serializers.UUIDField(required=False, help_text=gettext_lazy("儿童 uuid"))
        category = choice_field(Category.choices)
        open = serializers.BooleanField(required=False, help_text=gettext_lazy("只看当前有效的认定"))

    @extend_schema(parameters=[AssignmentFilter], responses=AssignmentOutput)
    def list(self, request):
        """Category assignments of the children in the user's areas, with rule and reasons."""
        params = self.AssignmentFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = params.validated_data
        rows = selectors.assignment_list(user=request.user)
        if filters.get("child"):
            rows = rows.filter(child__uuid=filters["child"])
        if filters.get("category"):
            rows = rows.filter(category=filters["category"])
        if filters.get("open"):
            rows = rows.filter(ended_on__isnull=True)
        rows = rows.order_by("child_id", "-started_on", "-pk")
        return paginated_response(
            serializer_class=AssignmentOutput, rows=rows, request=request, view=self, audit="category_assignments"
        )
