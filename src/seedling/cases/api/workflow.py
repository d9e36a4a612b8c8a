"""REST API of approvals (plans and closures) and transfers between areas."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from seedling.core.api import paginated_response
from seedling.registry import selectors as registry_selectors
from seedling.registry.serializers import DivisionCodeField, choice_field, text_field

from .. import selectors, services
from ..serializers import CaseApprovalOutput, CaseTransferOutput, UsernameField
from .cases import _data


@extend_schema(tags=["case-approvals"])
class ApprovalApi(viewsets.ViewSet):
    """Plans and closures waiting for the supervisor (or county) of the child's area."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination

    class CaseApprovalDecisionInput(serializers.Serializer):
        decision = serializers.ChoiceField(
            choices=[("approved", gettext_lazy("批准")), ("rejected", gettext_lazy("驳回"))]
        )
        comment = text_field(1000, help_text=gettext_lazy("驳回时必填"))

    @extend_schema(responses=CaseApprovalOutput)
    def list(self, request):
        """The approval queue: pending requests the user may decide, oldest first."""
        rows = selectors.approval_queue(user=request.user)
        return paginated_response(
            serializer_class=CaseApprovalOutput, rows=rows, request=request, view=self, audit="case_approvals"
        )

    @extend_schema(responses=CaseApprovalOutput)
    def retrieve(self, request, pk=None):
        return Response(CaseApprovalOutput(selectors.approval_get(user=request.user, pk=pk)).data)

    @extend_schema(request=CaseApprovalDecisionInput, responses=CaseApprovalOutput)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve, or reject with a comment (nobody decides their own request)."""
        approval = selectors.approval_get(user=request.user, pk=pk)
        fields = _data(self.CaseApprovalDecisionInput, request)
        approval = services.approval_decide(
            user=request.user,
            approval=approval,
            decision=fields["decision"],
            comment=fields.get("comment", ""),
        )
        return Response(CaseApprovalOutput(approval).data)


@extend_schema(tags=["case-transfers"])
class TransferApi(viewsets.ViewSet):
    """A child moves: the destination accepts (the file moves with the area scope) or declines."""

    lookup_value_converter = "int"
    pagination_class = PageNumberPagination

    class CaseTransferFilter(serializers.Serializer):
        direction = choice_field([("incoming", gettext_lazy("转入")), ("outgoing", gettext_lazy("转出"))])

    class CaseTransferCreateInput(serializers.Serializer):
        child = serializers.UUIDField()
        to_area = DivisionCodeField(help_text=gettext_lazy("迁入村（居）的 12 位区划代码"))
        reason = serializers.CharField(max_length=500)

    class CaseTransferDecisionInput(serializers.Serializer):
        decision = serializers.ChoiceField(
            choices=[("accepted", gettext_lazy("接收")), ("declined", gettext_lazy("拒绝"))]
        )
        comment = text_field(500, help_text=gettext_lazy("拒绝时必填"))
        worker = UsernameField(help_text=gettext_lazy("在办个案交由的社工（可不填）"))

    @extend_schema(parameters=[CaseTransferFilter], responses=CaseTransferOutput)
    def list(self, request):
        """Incoming (to the user's villages) or outgoing (from the user's areas) transfers."""
        params = self.CaseTransferFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        if params.validated_data.get("direction") == "outgoing":
            rows = selectors.transfer_outgoing(user=request.user)
        else:
            rows = selectors.transfer_incoming(user=request.user)
        return paginated_response(serializer_class=CaseTransferOutput, rows=rows, request=request, view=self)

    @extend_schema(responses=CaseTransferOutput)
    def retrieve(self, request, pk=None):
        """Read a transfer (shows the child's name and village: logged)."""
        return Response(CaseTransferOutput(selectors.transfer_open(user=request.user, pk=pk)).data)

    @extend_schema(request=CaseTransferCreateInput, responses={201: CaseTransferOutput})
    def create(self, request):
        """Ask the destination village to take over the child's file."""
        fields = _data(self.CaseTransferCreateInput, request)
        child = registry_selectors.child_get(user=request.user, uuid=fields["child"])
        transfer = services.transfer_request(
            user=request.user, child=child, to_area=fields["to_area"], reason=fields["reason"]
        )
        return Response(CaseTransferOutput(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseTransferDecisionInput, responses=CaseTransferOutput)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Accept (the file moves) or decline with a comment."""
        transfer = selectors.transfer_get(user=request.user, pk=pk)
        fields = _data(self.CaseTransferDecisionInput, request)
        transfer = services.transfer_decide(
            user=request.user,
            transfer=transfer,
            decision=fields["decision"],
            comment=fields.get("comment", ""),
            worker=fields.get("worker"),
        )
        transfer.refresh_from_db()
        return Response(CaseTransferOutput(transfer).data)

    @extend_schema(request=None, responses=CaseTransferOutput)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Withdraw an unanswered transfer request."""
        transfer = services.transfer_cancel(
            user=request.user, transfer=selectors.transfer_get(user=request.user, pk=pk)
        )
        return Response(CaseTransferOutput(transfer).data)
