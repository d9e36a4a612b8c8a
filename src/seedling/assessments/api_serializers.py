"""How the API shows screening campaigns, invitations, consents and results; scoped input fields.

People appear by username and display name, areas by division code, choices as codes with a
`*_display` label in the request's language. Schools, classes and campaigns given as input are looked
up inside the user's scope only, so an id outside it is simply "not found".
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from seedling.accounts.roles import Action
from seedling.core.scope import restrict
from seedling.registry.serializers import display
from seedling.schools.models import School, SchoolClass, Student

from . import campaign_selectors as selectors
from .campaign_progress import Progress
from .models import Campaign, GuardianConsent, QuestionnaireVersion, Response


@extend_schema_field(OpenApiTypes.INT)
class _ScopedPk(serializers.PrimaryKeyRelatedField):
    """A related row by id, looked up among the rows the requesting user may screen."""

    model = None

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return restrict(self.model.objects.all(), getattr(request, "user", None), Action.SCREEN)


@extend_schema_field(OpenApiTypes.INT)
class ScopedClassField(_ScopedPk):
    model = SchoolClass


@extend_schema_field(OpenApiTypes.INT)
class ScopedSchoolField(_ScopedPk):
    model = School


@extend_schema_field(OpenApiTypes.INT)
class ScopedStudentField(_ScopedPk):
    model = Student


@extend_schema_field(OpenApiTypes.INT)
class ScopedCampaignField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.campaign_list(user=getattr(request, "user", None))


class QuestionnaireVersionField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=QuestionnaireVersion.objects.all(), **kwargs)


class ScreeningPersonOutput(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="__str__")


class ScreeningCampaignOutput(serializers.ModelSerializer):
    questionnaire = serializers.CharField(source="questionnaire_version.questionnaire.title", read_only=True)
    target_display = display("target")
    status_display = display("status")
    area = serializers.CharField(source="area_id")
    area_name = serializers.CharField(source="area.name")
    counsellor = ScreeningPersonOutput(read_only=True)
    public_path = serializers.SerializerMethodField(help_text=_("公开链接（匿名填写或输入个人邀请码）"))
    anonymous = serializers.BooleanField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "version",
            "title",
            "questionnaire_version",
            "questionnaire",
            "target",
            "target_display",
            "anonymous",
            "school",
            "school_class",
            "area",
            "area_name",
            "opens_at",
            "closes_at",
            "status",
            "status_display",
            "opened_at",
            "closed_at",
            "counsellor",
            "remind_every_days",
            "rescreen_after_days",
            "previous",
            "public_path",
        ]

    def get_public_path(self, campaign) -> str:
        return f"/s/{campaign.token}/"


class ScreeningProgressOutput(serializers.Serializer):
    invited = serializers.IntegerField(help_text=_("已邀请（不含免于筛查）"))
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=_("各状态人数"))
    bands = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_(
            "各分级答卷数；空键为未分级。匿名筛查中少于最小格数（默认 5）的格为字符串，如“<5”；为防止从合计推算而隐藏的格为 null"
        ),
    )
    responses = serializers.IntegerField()
    high_risk = serializers.IntegerField(
        allow_null=True, help_text=_("红色或需当天紧急转介的答卷数；匿名筛查中数量太少时为 null")
    )
    suppressed = serializers.BooleanField(help_text=_("匿名筛查中有的数字因太小而未精确显示"))
    classes = serializers.ListField(child=serializers.DictField(), help_text=_("学校筛查时按班级的进度"))


def progress_data(progress: Progress) -> dict:
    return {
        "invited": progress.invited,
        "counts": progress.counts,
        "bands": dict(progress.bands),
        "responses": progress.responses,
        "high_risk": progress.high_risk,
        "suppressed": progress.suppressed,
        "classes": [
            {"name": name, "invited": invited, **counts} for name, counts, invited in progress.groups
        ],
    }


class ScreeningCampaignDetailOutput(ScreeningCampaignOutput):
    progress = serializers.SerializerMethodField()

    class Meta(ScreeningCampaignOutput.Meta):
        fields = [*ScreeningCampaignOutput.Meta.fields, "progress"]

    def get_progress(self, campaign) -> ScreeningProgressOutput:
        return progress_data(self.context["progress"])


class ScreeningInvitationOutput(serializers.Serializer):
    id = serializers.IntegerField(source="invitation.pk")
    name = serializers.CharField()
    group = serializers.CharField(help_text=_("班级，或区域筛查时儿童所在村（居）"))
    state = serializers.CharField(help_text=_("invited / started / completed / excused / awaiting_consent"))
    band = serializers.CharField()
    result = serializers.CharField(source="response_uuid", help_text=_("结果 uuid（已完成时）"))
    started_at = serializers.DateTimeField(source="invitation.started_at")
    completed_at = serializers.DateTimeField(source="invitation.completed_at")
    reminders = serializers.IntegerField(source="invitation.reminders")


class ScreeningCodeOutput(serializers.Serializer):
    invitation = serializers.IntegerField(source="invitation.pk")
    name = serializers.SerializerMethodField()
    code = serializers.CharField(source="display", help_text=_("个人邀请码，仅此一次返回"))

    def get_name(self, issued) -> str:
        inv = issued.invitation
        return inv.student.name if inv.student_id else inv.child.name


class ScreeningConsentOutput(serializers.ModelSerializer):
    method_display = display("method")
    child = serializers.UUIDField(source="child.uuid", allow_null=True, default=None)
    recorded_by = ScreeningPersonOutput(read_only=True)

    class Meta:
        model = GuardianConsent
        fields = [
            "id",
            "student",
            "child",
            "campaign",
            "guardian_name",
            "relation",
            "method",
            "method_display",
            "given_on",
            "note",
            "withdrawn_at",
            "recorded_by",
        ]


class ScreeningResultOutput(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)
    child = serializers.UUIDField(source="child.uuid", allow_null=True, default=None)
    instrument = serializers.CharField(
        source="instrument_version.instrument.code", allow_null=True, default=None
    )

    class Meta:
        model = Response
        fields = [
            "uuid",
            "campaign",
            "child",
            "instrument",
            "questionnaire_version",
            "answers",
            "score",
            "band",
            "action",
            "started_at",
            "submitted_at",
        ]
