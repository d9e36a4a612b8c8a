"""REST API of screening (心理筛查): campaigns, their progress and invitations, guardian consent, results.

Thin, like the pages: parse, call a selector (scope, access log) or a service (rules, audit), render.
A campaign outside the user's SCREEN/COUNSEL scope is 404; errors name the field (core.api); a stale
version is 409. Personal codes appear once, in the answer that issues them.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.accounts.models import User
from seedling.accounts.roles import Action
from seedling.core.api import paginated_response
from seedling.registry import selectors as registry_selectors
from seedling.registry.serializers import DivisionCodeField, VersionedInput, choice_field, text_field

from . import campaign_selectors as selectors
from . import campaigns, consents
from .api_serializers import (
    QuestionnaireVersionField,
    ScopedCampaignField,
    ScopedClassField,
    ScopedSchoolField,
    ScopedStudentField,
    ScreeningCampaignDetailOutput,
    ScreeningCampaignOutput,
    ScreeningCodeOutput,
    ScreeningConsentOutput,
    ScreeningInvitationOutput,
    ScreeningResultOutput,
)
from .campaign_access import invitations_read
from .campaign_progress import campaign_progress
from .models import Campaign, GuardianConsent

_CONFLICT = OpenApiResponse(description=gettext_lazy("版本冲突：返回当前版本和内容"))
CodesOutput = inline_serializer(
    "ScreeningCodesOutput",
    {"campaign": ScreeningCampaignOutput(), "codes": ScreeningCodeOutput(many=True)},
)


def _data(serializer_class, request, **kwargs) -> dict:
    data = serializer_class(data=request.data, context={"request": request}, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class UsernameField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": gettext_lazy("用户 {value} 不存在。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


@extend_schema(tags=["screening"])
class CampaignApi(viewsets.ViewSet):
    """Screening campaigns (筛查活动) of the areas where the user screens or counsels."""

    lookup_value_converter = "int"

    class ScreeningCampaignFilter(serializers.Serializer):
        status = choice_field(Campaign.Status.choices)
        mine = serializers.BooleanField(required=False, help_text=gettext_lazy("只看我负责的"))

    class ScreeningCampaignInput(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        questionnaire_version = QuestionnaireVersionField()
        target = serializers.ChoiceField(choices=Campaign.Target.choices)
        school_class = ScopedClassField(help_text=gettext_lazy("对象为班级时必填"))
        school = ScopedSchoolField(help_text=gettext_lazy("对象为学校时必填"))
        area = DivisionCodeField(
            required=False, allow_null=True, help_text=gettext_lazy("对象为区域或匿名时必填：区划代码")
        )
        opens_at = serializers.DateTimeField()
        closes_at = serializers.DateTimeField()
        counsellor = UsernameField(help_text=gettext_lazy("负责心理辅导员的用户名；默认为本人"))
        remind_every_days = serializers.IntegerField(required=False, min_value=0, max_value=30)
        rescreen_after_days = serializers.IntegerField(required=False, allow_null=True)

    class ScreeningCampaignUpdateInput(VersionedInput, ScreeningCampaignInput):
        pass

    class ScreeningTransitionInput(serializers.Serializer):
        version = serializers.IntegerField(required=False, min_value=1)

    class ScreeningCodesInput(serializers.Serializer):
        invitations = serializers.ListField(
            child=serializers.IntegerField(),
            required=False,
            help_text=gettext_lazy("不填则为全部未完成的邀请"),
        )

    def stale_representation(self, campaign):
        return ScreeningCampaignOutput(campaign).data

    def _campaign(self, pk):
        return selectors.campaign_get(user=self.request.user, pk=pk)

    def _codes(self, campaign, codes):
        # The answer names every child or student invited: a read of each, tied to the child.
        invitations_read(
            user=self.request.user, campaign=campaign, invitations=[c.invitation for c in codes], shown="codes"
        )
        return Response(
            {
                "campaign": ScreeningCampaignOutput(self._campaign(campaign.pk)).data,
                "codes": ScreeningCodeOutput(codes, many=True).data,
            },
            headers={"Cache-Control": "no-store"},
        )

    @extend_schema(parameters=[ScreeningCampaignFilter], responses=ScreeningCampaignOutput(many=True))
    def list(self, request):
        """Campaigns in scope, newest window first."""
        params = self.ScreeningCampaignFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.campaign_list(user=request.user, filters=dict(params.validated_data))
        return paginated_response(
            serializer_class=ScreeningCampaignOutput, rows=rows, request=request, view=self
        )

    @extend_schema(request=ScreeningCampaignInput, responses={201: ScreeningCampaignOutput})
    def create(self, request):
        """Create a campaign (a draft; open it to invite and get the codes)."""
        fields = _data(self.ScreeningCampaignInput, request)
        campaign = campaigns.campaign_create(user=request.user, fields=fields)
        return Response(
            ScreeningCampaignOutput(self._campaign(campaign.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=ScreeningCampaignDetailOutput)
    def retrieve(self, request, pk=None):
        """A campaign with its progress and band distribution (reading results is logged)."""
        campaign = self._campaign(pk)
        progress = campaign_progress(campaign=campaign)
        selectors.campaign_results_read(user=request.user, campaign=campaign, shown=progress.responses)
        return Response(ScreeningCampaignDetailOutput(campaign, context={"progress": progress}).data)

    @extend_schema(
        request=ScreeningCampaignUpdateInput, responses={200: ScreeningCampaignOutput, 409: _CONFLICT}
    )
    def partial_update(self, request, pk=None):
        """Edit a draft; `version` must be the one read, or 409 with the current campaign."""
        campaign = self._campaign(pk)
        fields = _data(self.ScreeningCampaignUpdateInput, request, partial=True)
        version = fields.pop("version")
        campaigns.campaign_update(
            user=request.user, campaign=campaign, expected_version=version, fields=fields
        )
        return Response(ScreeningCampaignOutput(self._campaign(pk)).data)

    @extend_schema(request=ScreeningTransitionInput, responses={200: CodesOutput, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open: invites everyone of an identified target; the personal codes are in this answer only."""
        fields = _data(self.ScreeningTransitionInput, request)
        opened = campaigns.campaign_open(
            user=request.user, campaign=self._campaign(pk), expected_version=fields.get("version")
        )
        return self._codes(opened.campaign, opened.codes)

    @extend_schema(request=ScreeningTransitionInput, responses={200: ScreeningCampaignOutput, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an open campaign before its window ends."""
        fields = _data(self.ScreeningTransitionInput, request)
        campaigns.campaign_close(
            user=request.user, campaign=self._campaign(pk), expected_version=fields.get("version")
        )
        return Response(ScreeningCampaignOutput(self._campaign(pk)).data)

    @extend_schema(request=ScreeningCodesInput, responses={200: CodesOutput})
    @action(detail=True, methods=["post"])
    def codes(self, request, pk=None):
        """New personal codes for invitations not yet completed (all, or those listed); old codes stop working."""
        campaign = self._campaign(pk)
        fields = _data(self.ScreeningCodesInput, request)
        only = None
        if "invitations" in fields:
            only = [
                selectors.invitation_get(user=request.user, campaign=campaign, pk=i)
                for i in fields["invitations"]
            ]
        codes = campaigns.invitation_codes_issue(user=request.user, campaign=campaign, invitations=only)
        return self._codes(campaign, codes)

    @extend_schema(responses=ScreeningInvitationOutput(many=True))
    @action(detail=True, methods=["get"])
    def invitations(self, request, pk=None):
        """Every invitation with its state and band (reading results is logged)."""
        campaign = self._campaign(pk)
        rows = [] if campaign.anonymous else selectors.invitation_rows(campaign=campaign)
        paginator = (getattr(self, "pagination_class", None) or PageNumberPagination)()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        # Only the children on this page are shown, so only they get a row in their trail.
        selectors.campaign_results_read(
            user=request.user,
            campaign=campaign,
            shown=sum(1 for r in page if r.response_uuid),
            invitations=[r.invitation for r in page],
            where="api",
        )
        data = ScreeningInvitationOutput(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


@extend_schema(tags=["screening"])
class ConsentApi(viewsets.ViewSet):
    """Guardian consent to identified screening of a child under 14 (PIPL Art. 31)."""

    lookup_value_converter = "int"

    class ScreeningConsentFilter(serializers.Serializer):
        student = serializers.IntegerField(required=False)
        child = serializers.UUIDField(required=False)

    class ScreeningConsentInput(serializers.Serializer):
        student = ScopedStudentField(help_text=gettext_lazy("名单上的学生 id（与 child 至少填一个）"))
        child = serializers.UUIDField(
            required=False, allow_null=True, help_text=gettext_lazy("登记儿童 uuid")
        )
        campaign = ScopedCampaignField(help_text=gettext_lazy("仅适用于这次筛查；不填为今后的实名筛查"))
        guardian_name = serializers.CharField(max_length=50)
        relation = serializers.CharField(max_length=20)
        method = serializers.ChoiceField(choices=GuardianConsent.Method.choices)
        given_on = serializers.DateField()
        note = text_field(300)

    class ScreeningWithdrawInput(serializers.Serializer):
        note = text_field(200)

    def _child(self, uuid):
        return (
            registry_selectors.child_get(user=self.request.user, uuid=uuid, action=Action.SCREEN)
            if uuid
            else None
        )

    @extend_schema(parameters=[ScreeningConsentFilter], responses=ScreeningConsentOutput(many=True))
    def list(self, request):
        """Consents the user may manage; by student (id) or child (uuid)."""
        params = self.ScreeningConsentFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        student = None
        if "student" in params.validated_data:
            student = selectors.student_get(user=request.user, pk=params.validated_data["student"])
            if student is None:
                return paginated_response(
                    serializer_class=ScreeningConsentOutput, rows=[], request=request, view=self
                )
        child = self._child(params.validated_data.get("child"))
        rows = selectors.consent_list(user=request.user, student=student, child=child)
        return paginated_response(
            serializer_class=ScreeningConsentOutput, rows=rows, request=request, view=self, audit="consents"
        )

    @extend_schema(request=ScreeningConsentInput, responses={201: ScreeningConsentOutput})
    def create(self, request):
        """Record a guardian's consent (for one campaign, or in general until withdrawn)."""
        fields = _data(self.ScreeningConsentInput, request)
        student, campaign = fields.pop("student", None), fields.pop("campaign", None)
        child = self._child(fields.pop("child", None))
        consent = consents.consent_record(
            user=request.user, fields=fields, student=student, child=child, campaign=campaign
        )
        return Response(ScreeningConsentOutput(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScreeningWithdrawInput, responses=ScreeningConsentOutput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The guardian withdraws consent: no identified screening from now on (answers given before stay)."""
        fields = _data(self.ScreeningWithdrawInput, request)
        consent = consents.consent_withdraw(
            user=request.user,
            consent=selectors.consent_get(user=request.user, pk=pk),
            note=fields.get("note", ""),
        )
        return Response(ScreeningConsentOutput(consent).data)


@extend_schema(tags=["screening"])
class ResultApi(viewsets.ViewSet):
    """One identified screening result, for SCREEN/COUNSEL over the child's or the campaign's area."""

    lookup_field = "uuid"
    lookup_value_converter = "uuid"

    @extend_schema(responses=ScreeningResultOutput)
    def retrieve(self, request, uuid=None):
        """A result with its answers and score (logged as a read of the child's file)."""
        return Response(
            ScreeningResultOutput(selectors.screening_result_get(user=request.user, uuid=uuid)).data
        )
