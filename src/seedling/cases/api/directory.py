"""REST API of the organizations directory and of referrals (sent by my area / received by my organization)."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.accounts.models import User
from seedling.core.api import paginated_response
from seedling.geo.models import Division
from seedling.registry import selectors as registry_selectors
from seedling.registry.serializers import VersionedInput, choice_field, text_field

from .. import access, selectors, services
from ..choices import OrganizationKind, OrganizationService
from ..models import Organization
from ..serializers import OrganizationOutput, ReferralOutput
from .cases import _data

_CONFLICT = OpenApiResponse(description=gettext_lazy("版本冲突：返回当前版本和内容"))


@extend_schema(tags=["organizations"])
class OrganizationApi(viewsets.ViewSet):
    """The directory of organizations: services offered, areas served, contact."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination
    error_field_names = {"members": "member_usernames"}

    class OrganizationFilter(serializers.Serializer):
        q = text_field(50)
        kind = choice_field(OrganizationKind.choices)
        service = choice_field(OrganizationService.choices)
        area = serializers.RegexField(
            r"^[0-9]{2,12}$", required=False, help_text=gettext_lazy("服务该区域的机构")
        )

    class OrganizationInput(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        kind = serializers.ChoiceField(choices=OrganizationKind.choices)
        services = serializers.ListField(child=serializers.ChoiceField(choices=OrganizationService.choices))
        areas = serializers.SlugRelatedField(
            slug_field="code", queryset=Division.objects.all(), many=True, required=False
        )
        nationwide = serializers.BooleanField(required=False)
        contact_person = text_field(64)
        phone = text_field(30)
        address = text_field(200)
        active = serializers.BooleanField(required=False)
        member_usernames = serializers.ListField(child=serializers.CharField(max_length=150), required=False)

    class OrganizationUpdateInput(VersionedInput, OrganizationInput):
        pass

    def stale_representation(self, organization):
        return OrganizationOutput(organization).data

    def _save(self, request, organization=None, partial=False):
        serializer = self.OrganizationUpdateInput if organization else self.OrganizationInput
        fields = _data(serializer, request, partial=partial)
        version = fields.pop("version", None)
        areas = fields.pop("areas", None)
        names = fields.pop("member_usernames", None)
        members = None
        if names is not None:
            members = list(User.objects.filter(username__in=names, is_active=True))
            missing = sorted(set(names) - {u.username for u in members})
            if missing:
                message = _("用户不存在或已停用：%(names)s") % {"names": "、".join(missing)}
                raise serializers.ValidationError({"member_usernames": [message]})
        return services.organization_save(
            user=request.user,
            organization=organization,
            expected_version=version,
            fields=fields,
            areas=areas,
            members=members,
        )

    @extend_schema(parameters=[OrganizationFilter], responses=OrganizationOutput)
    def list(self, request):
        params = self.OrganizationFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.organization_list(filters=params.validated_data)
        return paginated_response(serializer_class=OrganizationOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=OrganizationOutput)
    def retrieve(self, request, pk=None):
        return Response(OrganizationOutput(selectors.organization_get(pk=pk)).data)

    @extend_schema(request=OrganizationInput, responses={201: OrganizationOutput})
    def create(self, request):
        """Add an organization (county officers and above, system administrators) in their areas."""
        return Response(OrganizationOutput(self._save(request)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganizationUpdateInput, responses={200: OrganizationOutput, 409: _CONFLICT})
    def partial_update(self, request, pk=None):
        """Edit an organization; `version` must be the one read."""
        organization = selectors.organization_get(pk=pk)
        return Response(OrganizationOutput(self._save(request, organization, partial=True)).data)


@extend_schema(tags=["referrals"])
class ReferralApi(viewsets.ViewSet):
    """Referrals to organizations; the receiving organization's users see only what each one shares."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination

    class ReferralFilter(serializers.Serializer):
        box = choice_field([("sent", gettext_lazy("本区域发出")), ("received", gettext_lazy("本机构收到"))])

    class ReferralCreateInput(serializers.Serializer):
        child = serializers.UUIDField()
        case = serializers.IntegerField(required=False, allow_null=True)
        organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
        service = serializers.ChoiceField(choices=OrganizationService.choices)
        reason = serializers.CharField(max_length=1000)
        due_on = serializers.DateField(required=False)
        share_guardian_contact = serializers.BooleanField(required=False)
        share_health = serializers.BooleanField(required=False)
        share_assessment = serializers.BooleanField(required=False)

    class ReferralRespondInput(VersionedInput):
        status = serializers.ChoiceField(
            choices=[
                ("accepted", gettext_lazy("接收")),
                ("declined", gettext_lazy("拒绝")),
                ("completed", gettext_lazy("已完成")),
            ]
        )
        note = text_field(1000, help_text=gettext_lazy("拒绝理由或服务结果"))

    class ReferralCancelInput(VersionedInput):
        reason = serializers.CharField(max_length=1000)

    def stale_representation(self, referral):
        return ReferralOutput(referral).data

    @extend_schema(parameters=[ReferralFilter], responses=ReferralOutput)
    def list(self, request):
        """`box=sent`: referrals of children in the user's case areas; `box=received`: those addressed to
        the user's organizations (the default for organization users)."""
        params = self.ReferralFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        box = params.validated_data.get("box") or ("sent" if _has_case_role(request.user) else "received")
        rows = (
            selectors.referral_received(user=request.user)
            if box == "received"
            else selectors.referral_sent(user=request.user)
        )
        return paginated_response(
            serializer_class=ReferralOutput, rows=rows, request=request, view=self, audit="referrals"
        )

    @extend_schema(responses=ReferralOutput)
    def retrieve(self, request, pk=None):
        """A referral with the part of the child's file it shares (logged)."""
        referral, _side, shared = selectors.referral_open(user=request.user, pk=pk)
        return Response(ReferralOutput(referral, context={"shared": shared}).data)

    @extend_schema(request=ReferralCreateInput, responses={201: ReferralOutput})
    def create(self, request):
        """Refer a child (optionally from one of its cases) to an organization."""
        fields = _data(self.ReferralCreateInput, request)
        child = registry_selectors.child_get(user=request.user, uuid=fields.pop("child"))
        case_id = fields.pop("case", None)
        case = None
        if case_id:
            case = selectors.case_list(user=request.user).filter(pk=case_id).first()
            if case is None:
                raise serializers.ValidationError({"case": [_("请选择该儿童未结案的个案。")]})
        organization = fields.pop("organization")
        referral = services.referral_send(
            user=request.user, child=child, organization=organization, fields=fields, case=case
        )
        return Response(ReferralOutput(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralRespondInput, responses={200: ReferralOutput, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """The receiving organization accepts, declines (with a reason) or completes (with the outcome)."""
        referral, side = selectors.referral_get(user=request.user, pk=pk)
        if side != "receiver":
            raise Http404
        fields = _data(self.ReferralRespondInput, request)
        referral = services.referral_respond(
            user=request.user,
            referral=referral,
            expected_version=fields["version"],
            status=fields["status"],
            note=fields.get("note", ""),
        )
        return Response(ReferralOutput(referral).data)

    @extend_schema(request=ReferralCancelInput, responses={200: ReferralOutput, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The sending side withdraws an open referral, with a reason."""
        referral, side = selectors.referral_get(user=request.user, pk=pk)
        if side != "sender":
            raise Http404
        fields = _data(self.ReferralCancelInput, request)
        referral = services.referral_cancel(
            user=request.user, referral=referral, expected_version=fields["version"], reason=fields["reason"]
        )
        return Response(ReferralOutput(referral).data)


def _has_case_role(user) -> bool:
    return bool(access.role_prefixes(user, access.CASE_VIEW))
