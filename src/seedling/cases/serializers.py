"""How the API shows cases, approvals, transfers, organizations and referrals; field helpers.

People appear by username (with their display name beside it), areas by division code, choices as
codes with a `*_display` label in the request's language. A referral seen by the receiving
organization shows only what the referral shares (see selectors.referral_shared).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from seedling.accounts.models import User
from seedling.registry.serializers import display

from .models import (
    ApprovalRequest,
    Assessment,
    Case,
    CaseReview,
    Organization,
    PlanAction,
    PlanGoal,
    Referral,
    ServiceRecord,
    TransferRequest,
)


class UsernameField(serializers.SlugRelatedField):
    """A person given by username."""

    default_error_messages = {"does_not_exist": _("用户 {value} 不存在。"), "invalid": _("用户名无效。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


class CasePersonOutput(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


def person(source: str = "") -> CasePersonOutput:
    """A person (username and display name); the field's own name is its source."""
    return CasePersonOutput(read_only=True, allow_null=True)


class CaseChildOutput(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    area = serializers.CharField(source="area_id")
    area_name = serializers.CharField(source="area.name")


class CaseAssessmentOutput(serializers.ModelSerializer):
    risk_level_display = display("risk_level")
    assessed_by = person()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "version",
            "assessed_on",
            "assessed_by",
            *(
                f"{d}_{k}"
                for d in ("safety", "health", "education", "family", "emotional")
                for k in ("rating", "notes")
            ),
            "risk_level",
            "risk_level_display",
            "summary",
        ]


class CaseActionOutput(serializers.ModelSerializer):
    owner = person()
    status_display = display("status")

    class Meta:
        model = PlanAction
        fields = ["id", "version", "goal", "text", "owner", "due_on", "status", "status_display", "done_on"]


class CaseGoalOutput(serializers.ModelSerializer):
    class Meta:
        model = PlanGoal
        fields = ["id", "version", "text", "achieved"]


class CaseServiceOutput(serializers.ModelSerializer):
    kind_display = display("kind")
    provider_user = person()
    provider_org_name = serializers.CharField(
        source="provider_org.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "kind",
            "kind_display",
            "delivered_on",
            "provider_user",
            "provider_org",
            "provider_org_name",
            "outcome",
        ]


class CaseReviewOutput(serializers.ModelSerializer):
    decision_display = display("decision")
    reviewer = person()

    class Meta:
        model = CaseReview
        fields = ["id", "reviewed_on", "reviewer", "progress", "decision", "decision_display"]


class CaseApprovalOutput(serializers.ModelSerializer):
    kind_display = display("kind")
    decision_display = display("decision")
    closure_reason_display = display("closure_reason")
    requested_by = person()
    decided_by = person()
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "case",
            "case_number",
            "kind",
            "kind_display",
            "requested_by",
            "requested_at",
            "note",
            "closure_reason",
            "closure_reason_display",
            "decision",
            "decision_display",
            "decided_by",
            "decided_at",
            "comment",
        ]


class CaseListOutput(serializers.ModelSerializer):
    child = CaseChildOutput(read_only=True)
    status_display = display("status")
    risk_level_display = display("risk_level")
    worker = person()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "child",
            "status",
            "status_display",
            "risk_level",
            "risk_level_display",
            "worker",
            "opened_on",
        ]


class CaseOutput(CaseListOutput):
    source_kind_display = display("source_kind")
    plan_status_display = display("plan_status")
    closure_reason_display = display("closure_reason")
    supervisor = person()
    opened_by = person()
    assessments = CaseAssessmentOutput(many=True, read_only=True)
    goals = CaseGoalOutput(many=True, read_only=True, source="plangoals")
    actions = CaseActionOutput(many=True, read_only=True, source="planactions")
    services = CaseServiceOutput(many=True, read_only=True, source="servicerecords")
    reviews = CaseReviewOutput(many=True, read_only=True, source="casereviews")
    approvals = CaseApprovalOutput(many=True, read_only=True)

    class Meta(CaseListOutput.Meta):
        fields = [
            *CaseListOutput.Meta.fields,
            "version",
            "source_kind",
            "source_kind_display",
            "source_type",
            "source_id",
            "presenting_problem",
            "opened_by",
            "supervisor",
            "plan_status",
            "plan_status_display",
            "plan_approved_at",
            "closed_on",
            "closure_reason",
            "closure_reason_display",
            "closure_note",
            "reopened_count",
            "assessments",
            "goals",
            "actions",
            "services",
            "reviews",
            "approvals",
        ]


class CaseTransferOutput(serializers.ModelSerializer):
    child = CaseChildOutput(read_only=True)
    status_display = display("status")
    from_area_name = serializers.CharField(source="from_area.name", read_only=True)
    to_area_name = serializers.CharField(source="to_area.name", read_only=True)
    requested_by = person()
    decided_by = person()

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "child",
            "from_area",
            "from_area_name",
            "to_area",
            "to_area_name",
            "reason",
            "requested_by",
            "requested_at",
            "status",
            "status_display",
            "decided_by",
            "decided_at",
            "comment",
        ]


class OrganizationOutput(serializers.ModelSerializer):
    kind_display = display("kind")
    services = serializers.ListField(source="service_list", child=serializers.CharField(), read_only=True)
    areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "version",
            "name",
            "kind",
            "kind_display",
            "services",
            "areas",
            "nationwide",
            "contact_person",
            "phone",
            "address",
            "active",
        ]


class ReferralOutput(serializers.ModelSerializer):
    """A referral; `shared` holds the part of the child's file it shares (all the receiver gets)."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    service_display = display("service")
    status_display = display("status")
    sent_by = person()
    shared = serializers.SerializerMethodField()
    shared_parts = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "version",
            "case",
            "organization",
            "organization_name",
            "service",
            "service_display",
            "reason",
            "shared_parts",
            "status",
            "status_display",
            "due_on",
            "sent_by",
            "sent_at",
            "responded_at",
            "response_note",
            "completed_at",
            "outcome",
            "shared",
        ]

    def get_shared(self, referral) -> dict:
        shared = self.context.get("shared")
        if shared is None:  # lists: basic facts only (name and village)
            return {"basic": {"name": referral.child.name, "village": referral.child.area.name}}
        return shared
