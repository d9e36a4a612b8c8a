"""REST API of cases (个案): list, intake, read (logged), edit with version, and every workflow step.

Thin, like the pages: parse, call a selector (scope, access log) or a service (rules, audit), render.
A case outside the user's scope is 404. Errors name the field (core.api); a stale version is 409.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.core.api import paginated_response
from seedling.registry import selectors as registry_selectors
from seedling.registry.serializers import VersionedInput, choice_field, text_field

from .. import selectors, services
from ..choices import (
    ActionStatus,
    CaseStatus,
    ClosureReason,
    IntakeSource,
    Rating,
    ReviewDecision,
    RiskLevel,
    ServiceKind,
)
from ..models import Organization, PlanAction
from ..serializers import (
    CaseActionOutput,
    CaseApprovalOutput,
    CaseAssessmentOutput,
    CaseGoalOutput,
    CaseListOutput,
    CaseOutput,
    CaseReviewOutput,
    CaseServiceOutput,
    UsernameField,
)

_CONFLICT = OpenApiResponse(description=gettext_lazy("版本冲突：返回当前版本和内容"))


def _data(serializer_class, request, **kwargs) -> dict:
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class OrganizationIdField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(queryset=Organization.objects.all(), **kwargs)


@extend_schema(tags=["cases"])
class CaseApi(viewsets.ViewSet):
    """Social-work cases of the children in the user's case areas."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination

    class CaseFilter(serializers.Serializer):
        mine = serializers.BooleanField(required=False, help_text=gettext_lazy("只看我负责的个案"))
        status = choice_field([("open", gettext_lazy("未结案")), *CaseStatus.choices])
        risk = choice_field(RiskLevel.choices)
        area = serializers.RegexField(r"^[0-9]{2,12}$", required=False)
        q = text_field(50, help_text=gettext_lazy("个案编号或儿童姓名"))

    class CaseCreateInput(serializers.Serializer):
        child = serializers.UUIDField(help_text=gettext_lazy("儿童 uuid"))
        source_kind = serializers.ChoiceField(choices=IntakeSource.choices)
        source_type = text_field(40)
        source_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        presenting_problem = serializers.CharField(max_length=2000)
        opened_on = serializers.DateField(required=False)
        worker = UsernameField(help_text=gettext_lazy("负责社工的用户名；默认为接案人"))

    class CaseUpdateInput(VersionedInput):
        source_kind = choice_field(IntakeSource.choices)
        source_type = text_field(40)
        source_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        presenting_problem = serializers.CharField(max_length=2000, required=False)
        supervisor = UsernameField()

    class CaseTransitionInput(VersionedInput):
        status = serializers.ChoiceField(choices=CaseStatus.choices)

    class CaseReopenInput(VersionedInput):
        status = serializers.ChoiceField(
            choices=[
                (CaseStatus.ASSESSMENT, CaseStatus.ASSESSMENT.label),
                (CaseStatus.PLAN, CaseStatus.PLAN.label),
            ]
        )
        reason = serializers.CharField(max_length=500)

    class CaseAssignInput(VersionedInput):
        worker = UsernameField(required=True, allow_null=False)

    class CaseAssessmentInput(serializers.Serializer):
        assessed_on = serializers.DateField(required=False)
        safety_rating = serializers.ChoiceField(choices=Rating.choices)
        safety_notes = text_field(500)
        health_rating = serializers.ChoiceField(choices=Rating.choices)
        health_notes = text_field(500)
        education_rating = serializers.ChoiceField(choices=Rating.choices)
        education_notes = text_field(500)
        family_rating = serializers.ChoiceField(choices=Rating.choices)
        family_notes = text_field(500)
        emotional_rating = serializers.ChoiceField(choices=Rating.choices)
        emotional_notes = text_field(500)
        risk_level = choice_field(RiskLevel.choices, help_text=gettext_lazy("不填则按评分自动建议"))
        summary = text_field(1000)

    class CaseGoalInput(serializers.Serializer):
        text = serializers.CharField(max_length=300)

    class CasePlanActionInput(serializers.Serializer):
        text = serializers.CharField(max_length=300)
        goal = serializers.IntegerField(required=False, allow_null=True)
        owner = UsernameField(required=True)
        due_on = serializers.DateField()

    class CasePlanNoteInput(serializers.Serializer):
        note = text_field(1000)

    class CaseClosureInput(serializers.Serializer):
        closure_reason = serializers.ChoiceField(choices=ClosureReason.choices)
        note = text_field(1000)

    class CaseServiceInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ServiceKind.choices)
        delivered_on = serializers.DateField(required=False)
        provider_user = UsernameField()
        provider_org = OrganizationIdField()
        outcome = text_field(1000)

    class CaseReviewInput(serializers.Serializer):
        reviewed_on = serializers.DateField(required=False)
        progress = serializers.CharField(max_length=2000)
        decision = serializers.ChoiceField(choices=ReviewDecision.choices)

    def stale_representation(self, case):
        return CaseOutput(case).data

    def _case(self, pk):
        return selectors.case_get(user=self.request.user, pk=pk)

    def _done(self, case, code=status.HTTP_200_OK):
        case = self._case(case.pk)
        return Response(CaseOutput(case).data, status=code)

    @extend_schema(parameters=[CaseFilter], responses=CaseListOutput)
    def list(self, request):
        """Cases in the user's case areas (`mine`: as worker); filters by stage and risk."""
        params = self.CaseFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        rows = selectors.case_list(user=request.user, filters=filters)
        return paginated_response(serializer_class=CaseListOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=CaseOutput)
    def retrieve(self, request, pk=None):
        """Open a case with all its stages (logged as a read of the child's file)."""
        return Response(CaseOutput(selectors.case_open(user=request.user, pk=pk)).data)

    @extend_schema(request=CaseCreateInput, responses={201: CaseOutput})
    def create(self, request):
        """Open a case (接案) for a child in scope; one open case per child."""
        fields = _data(self.CaseCreateInput, request)
        child = registry_selectors.child_get(user=request.user, uuid=fields.pop("child"))
        case = services.case_open(user=request.user, child=child, fields=fields)
        return self._done(case, status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateInput, responses={200: CaseOutput, 409: _CONFLICT})
    def partial_update(self, request, pk=None):
        """Edit the intake; `version` must be the one read, or 409 with the current case."""
        case = self._case(pk)
        fields = _data(self.CaseUpdateInput, request, partial=True)
        version = fields.pop("version")
        case = services.case_update(user=request.user, case=case, expected_version=version, fields=fields)
        return self._done(case)

    @extend_schema(request=CaseTransitionInput, responses={200: CaseOutput, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move to the next stage when the rules allow (closing needs an approved closure)."""
        fields = _data(self.CaseTransitionInput, request)
        case = services.case_transition(
            user=request.user,
            case=self._case(pk),
            target=fields["status"],
            expected_version=fields["version"],
        )
        return self._done(case)

    @extend_schema(request=CaseReopenInput, responses={200: CaseOutput, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a closed case with a reason, back to assessment or plan."""
        fields = _data(self.CaseReopenInput, request)
        case = services.case_reopen(
            user=request.user,
            case=self._case(pk),
            target=fields["status"],
            reason=fields["reason"],
            expected_version=fields["version"],
        )
        return self._done(case)

    @extend_schema(request=CaseAssignInput, responses={200: CaseOutput, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign or reassign the case's worker (the supervisor, or the current worker)."""
        fields = _data(self.CaseAssignInput, request)
        case = services.case_assign(
            user=request.user,
            case=self._case(pk),
            worker=fields["worker"],
            expected_version=fields["version"],
        )
        return self._done(case)

    @extend_schema(request=CaseAssessmentInput, responses={201: CaseAssessmentOutput})
    @action(detail=True, methods=["post"])
    def assessments(self, request, pk=None):
        """Record an assessment of the five domains and the risk level."""
        fields = _data(self.CaseAssessmentInput, request)
        record = services.assessment_save(user=request.user, case=self._case(pk), fields=fields)
        return Response(CaseAssessmentOutput(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseGoalInput, responses={201: CaseGoalOutput})
    @action(detail=True, methods=["post"])
    def goals(self, request, pk=None):
        """Add a goal to the plan being drafted."""
        goal = services.goal_add(
            user=request.user, case=self._case(pk), text=_data(self.CaseGoalInput, request)["text"]
        )
        return Response(CaseGoalOutput(goal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CasePlanActionInput, responses={201: CaseActionOutput})
    @action(detail=True, methods=["post"], url_path="plan-actions")
    def plan_actions(self, request, pk=None):
        """Add an action (owner, due date) to the plan being drafted."""
        case = self._case(pk)
        fields = _data(self.CasePlanActionInput, request)
        goal_id = fields.pop("goal", None)
        fields["goal"] = case.plangoals.filter(pk=goal_id).first() if goal_id else None
        if goal_id and fields["goal"] is None:
            raise serializers.ValidationError({"goal": [gettext_lazy("目标不属于该个案。")]})
        record = services.action_add(user=request.user, case=case, fields=fields)
        return Response(CaseActionOutput(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CasePlanNoteInput, responses={201: CaseApprovalOutput})
    @action(detail=True, methods=["post"], url_path="plan-approval")
    def plan_approval(self, request, pk=None):
        """Send the drafted plan to the supervisor for approval."""
        note = _data(self.CasePlanNoteInput, request).get("note", "")
        approval = services.plan_approval_request(user=request.user, case=self._case(pk), note=note)
        return Response(CaseApprovalOutput(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseClosureInput, responses={201: CaseApprovalOutput})
    @action(detail=True, methods=["post"])
    def closure(self, request, pk=None):
        """Ask the supervisor to close the case (it closes once approved)."""
        fields = _data(self.CaseClosureInput, request)
        approval = services.closure_request(
            user=request.user,
            case=self._case(pk),
            closure_reason=fields["closure_reason"],
            note=fields.get("note", ""),
        )
        return Response(CaseApprovalOutput(approval).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseServiceInput, responses={201: CaseServiceOutput})
    @action(detail=True, methods=["post"])
    def services(self, request, pk=None):
        """Record a service delivered (after plan approval; a case interview at any stage)."""
        fields = {k: v for k, v in _data(self.CaseServiceInput, request).items() if v is not None}
        record = services.service_record(user=request.user, case=self._case(pk), fields=fields)
        return Response(CaseServiceOutput(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseReviewInput, responses={201: CaseReviewOutput})
    @action(detail=True, methods=["post"])
    def reviews(self, request, pk=None):
        """Review the case: continue, revise the plan, or propose closure."""
        record = services.review_record(
            user=request.user, case=self._case(pk), fields=_data(self.CaseReviewInput, request)
        )
        return Response(CaseReviewOutput(record).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["cases"])
class PlanActionApi(viewsets.ViewSet):
    """An action of a case plan: done or cancelled by its owner or the case team."""

    lookup_value_converter = "int"

    class CasePlanActionUpdateInput(VersionedInput):
        status = choice_field(ActionStatus.choices)
        text = serializers.CharField(max_length=300, required=False)
        owner = UsernameField()
        due_on = serializers.DateField(required=False)

    def stale_representation(self, record):
        return CaseActionOutput(record).data

    @extend_schema(request=CasePlanActionUpdateInput, responses={200: CaseActionOutput, 409: _CONFLICT})
    def partial_update(self, request, pk=None):
        """Mark done or cancelled (`status`), or change text, owner or due date while the plan is drafted."""
        record = PlanAction.objects.select_related("case", "case__child").filter(pk=pk).first()
        if record is None:
            raise Http404
        selectors.case_get(user=request.user, pk=record.case_id)  # scope: 404 outside it
        fields = _data(self.CasePlanActionUpdateInput, request, partial=True)
        version = fields.pop("version")
        new_status = fields.pop("status", None)
        if fields:
            record = services.action_update(
                user=request.user, action=record, expected_version=version, fields=fields
            )
            version = record.version
        if new_status:
            record = services.action_status_set(
                user=request.user, action=record, expected_version=version, status=new_status
            )
        return Response(CaseActionOutput(record).data)
