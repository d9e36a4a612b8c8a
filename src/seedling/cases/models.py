"""Social-work cases (个案), approvals, transfers between areas, organizations and referrals (转介).

Every row about a child carries `child_id` (the distribution key) and is scoped through the child's
area (`scope_field = "child__area"`): when an accepted transfer moves the child, its cases and
referrals move with it. Organizations are reference data, not scoped by area.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from seedling.core import clock
from seedling.core.models import TimeStamped, Versioned

from .choices import (
    ActionStatus,
    ApprovalDecision,
    ApprovalKind,
    CaseStatus,
    ClosureReason,
    IntakeSource,
    OrganizationKind,
    OrganizationService,
    PlanStatus,
    Rating,
    ReferralStatus,
    ReviewDecision,
    RiskLevel,
    ServiceKind,
    SharedPart,
    TransferStatus,
)

USER = settings.AUTH_USER_MODEL


def _user(verbose_name, **kwargs):
    return models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


def _child():
    return models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="+", verbose_name=_("儿童")
    )


class Case(Versioned, TimeStamped):
    """A social-work case of one child: intake → assessment → plan → services → review → closed."""

    scope_field = "child__area"

    child = _child()
    number = models.CharField(_("个案编号"), max_length=32, unique=True, editable=False)
    status = models.CharField(
        _("阶段"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.INTAKE, db_index=True
    )
    source_kind = models.CharField(_("来源"), max_length=10, choices=IntakeSource.choices)
    # A report lives in the protection app: kept as type + id, not a foreign key (no app cycle).
    source_type = models.CharField(_("来源记录类型"), max_length=40, blank=True)
    source_id = models.BigIntegerField(_("来源记录编号"), null=True, blank=True)
    presenting_problem = models.TextField(_("接案情况"), max_length=2000)
    opened_on = models.DateField(_("接案日期"))
    opened_by = _user(_("接案人"))
    worker = _user(_("负责社工"))
    supervisor = _user(_("督导"))  # empty: the township supervisor of the child's area
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, blank=True)
    plan_status = models.CharField(
        _("服务计划"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.NONE
    )
    plan_approved_at = models.DateTimeField(_("计划批准时间"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    closure_reason = models.CharField(_("结案原因"), max_length=12, choices=ClosureReason.choices, blank=True)
    closure_note = models.CharField(_("结案说明"), max_length=500, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重新开案次数"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("个案")
        verbose_name_plural = _("个案")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=~Q(status="closed"), name="case_one_open_per_child"
            )
        ]
        indexes = [models.Index(fields=["worker", "status"], name="case_worker_status")]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED


class CaseNumberCounter(models.Model):
    """The last case number given per county and year (个案编号 = county code + year + sequence)."""

    county = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="case_counter_unique")]

    def __str__(self):
        return f"{self.county}-{self.year}: {self.last}"


class CaseEvent(models.Model):
    """The case's journal (append-only): what happened, when, by whom. Feeds the timeline."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("接案")
        STATUS = "status", _("阶段变更")
        ASSIGNED = "assigned", _("指派社工")
        ASSESSED = "assessed", _("评估")
        PLAN_REQUESTED = "plan_requested", _("申请审批服务计划")
        PLAN_APPROVED = "plan_approved", _("服务计划已批准")
        PLAN_REJECTED = "plan_rejected", _("服务计划被驳回")
        SERVICE = "service", _("提供服务")
        REVIEWED = "reviewed", _("回顾")
        CLOSURE_REQUESTED = "closure_requested", _("申请结案")
        CLOSURE_REJECTED = "closure_rejected", _("结案申请被驳回")
        CLOSED = "closed", _("结案")
        REOPENED = "reopened", _("重新开案")
        TRANSFERRED = "transferred", _("随儿童转移")
        REFERRED = "referred", _("转介")

    scope_field = "child__area"

    child = _child()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=clock.now)
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    actor = _user(_("操作人"))
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("个案记录")
        verbose_name_plural = _("个案记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.get_kind_display()


class CaseRow(Versioned, TimeStamped):
    """A row of a case: scoped through the child, carries child_id (the distribution key)."""

    scope_field = "child__area"

    child = _child()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="%(class)ss")

    class Meta:
        abstract = True


class Assessment(CaseRow):
    """Assessment of five domains with a rating and notes each, and an overall risk level."""

    assessed_on = models.DateField(_("评估日期"))
    assessed_by = _user(_("评估人"))
    safety_rating = models.PositiveSmallIntegerField(_("安全"), choices=Rating.choices)
    safety_notes = models.CharField(_("安全说明"), max_length=500, blank=True)
    health_rating = models.PositiveSmallIntegerField(_("健康"), choices=Rating.choices)
    health_notes = models.CharField(_("健康说明"), max_length=500, blank=True)
    education_rating = models.PositiveSmallIntegerField(_("教育"), choices=Rating.choices)
    education_notes = models.CharField(_("教育说明"), max_length=500, blank=True)
    family_rating = models.PositiveSmallIntegerField(_("家庭"), choices=Rating.choices)
    family_notes = models.CharField(_("家庭说明"), max_length=500, blank=True)
    emotional_rating = models.PositiveSmallIntegerField(_("情绪"), choices=Rating.choices)
    emotional_notes = models.CharField(_("情绪说明"), max_length=500, blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    summary = models.CharField(_("评估摘要"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("评估")
        verbose_name_plural = _("评估")
        ordering = ["-assessed_on", "-pk"]


class PlanGoal(CaseRow):
    text = models.CharField(_("目标"), max_length=300)
    achieved = models.BooleanField(_("已达成"), default=False)

    class Meta:
        verbose_name = _("计划目标")
        verbose_name_plural = _("计划目标")
        ordering = ["pk"]

    def __str__(self):
        return self.text


class PlanAction(CaseRow):
    goal = models.ForeignKey(
        PlanGoal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("目标"),
    )
    text = models.CharField(_("行动"), max_length=300)
    owner = _user(_("负责人"))
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("计划行动")
        verbose_name_plural = _("计划行动")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text


class ServiceRecord(CaseRow):
    """A service delivered: case interview, group or community activity, counselling, aid, ..."""

    kind = models.CharField(_("服务类型"), max_length=20, choices=ServiceKind.choices)
    delivered_on = models.DateField(_("服务日期"))
    provider_user = _user(_("服务提供人"))
    provider_org = models.ForeignKey(
        "Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("服务提供机构"),
    )
    outcome = models.CharField(_("服务成效"), max_length=1000, blank=True)
    recorded_by = _user(_("记录人"))

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-delivered_on", "-pk"]


class CaseReview(CaseRow):
    reviewed_on = models.DateField(_("回顾日期"))
    reviewer = _user(_("回顾人"))
    progress = models.TextField(_("进展"), max_length=2000)
    decision = models.CharField(_("结论"), max_length=10, choices=ReviewDecision.choices)

    class Meta:
        verbose_name = _("个案回顾")
        verbose_name_plural = _("个案回顾")
        ordering = ["-reviewed_on", "-pk"]


class ApprovalRequest(TimeStamped):
    """A plan or a closure waiting for the supervisor: approved, or rejected with a comment."""

    scope_field = "child__area"

    child = _child()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("审批事项"), max_length=8, choices=ApprovalKind.choices)
    requested_by = _user(_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), default=clock.now)
    note = models.CharField(_("申请说明"), max_length=1000, blank=True)
    closure_reason = models.CharField(_("结案原因"), max_length=12, choices=ClosureReason.choices, blank=True)
    decision = models.CharField(
        _("审批结果"), max_length=10, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    decided_by = _user(_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.CharField(_("审批意见"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("审批申请")
        verbose_name_plural = _("审批申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=Q(decision="pending"), name="approval_one_pending"
            )
        ]


class TransferRequest(TimeStamped):
    """A child moved: the file goes to another village once the receiving side accepts."""

    scope_field = "child__area"

    child = _child()
    from_area = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("迁出村（居）")
    )
    to_area = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("迁入村（居）")
    )
    reason = models.CharField(_("迁移原因"), max_length=500)
    requested_by = _user(_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), default=clock.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    decided_by = _user(_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    comment = models.CharField(_("处理意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("转移申请")
        verbose_name_plural = _("转移申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(status="requested"), name="transfer_one_pending_per_child"
            )
        ]


class Organization(Versioned, TimeStamped):
    """An organization in the directory: departments, social organizations, schools, hospitals, ..."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=OrganizationKind.choices)
    # Stored as ",counselling,medical," so "offers X" is one indexed-free but portable LIKE.
    services = models.CharField(_("提供的服务"), max_length=300, blank=True)
    areas = models.ManyToManyField("geo.Division", blank=True, related_name="+", verbose_name=_("服务区域"))
    nationwide = models.BooleanField(_("服务全国"), default=False)
    contact_person = models.CharField(_("联系人"), max_length=64, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    members = models.ManyToManyField(
        USER, blank=True, related_name="organizations", verbose_name=_("机构用户")
    )
    created_by = _user(_("创建人"))

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [s for s in self.services.split(",") if s]

    def service_labels(self) -> list[str]:
        labels = dict(OrganizationService.choices)
        return [str(labels.get(s, s)) for s in self.service_list]

    @staticmethod
    def encode_services(services) -> str:
        return "," + ",".join(sorted(set(services))) + "," if services else ""


class Referral(Versioned, TimeStamped):
    """A referral of a child to an organization: sent → accepted or declined → completed."""

    scope_field = "child__area"

    child = _child()
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("个案"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("接收机构")
    )
    service = models.CharField(_("所需服务"), max_length=20, choices=OrganizationService.choices)
    reason = models.CharField(_("转介原因"), max_length=1000)
    share_guardian_contact = models.BooleanField(SharedPart.GUARDIAN_CONTACT.label, default=False)
    share_health = models.BooleanField(SharedPart.HEALTH.label, default=False)
    share_assessment = models.BooleanField(SharedPart.ASSESSMENT.label, default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    due_on = models.DateField(_("回复期限"))
    sent_by = _user(_("转介人"))
    sent_at = models.DateTimeField(_("转介时间"), default=clock.now)
    responded_by = _user(_("回复人"))
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    response_note = models.CharField(_("回复说明"), max_length=1000, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    outcome = models.CharField(_("服务结果"), max_length=1000, blank=True)
    reminded_due_soon_on = models.DateField(null=True, blank=True, editable=False)
    reminded_overdue_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = _("转介")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.organization} · {self.get_service_display()}"

    @property
    def shared_parts(self) -> list[str]:
        flags = {
            SharedPart.GUARDIAN_CONTACT: self.share_guardian_contact,
            SharedPart.HEALTH: self.share_health,
            SharedPart.ASSESSMENT: self.share_assessment,
        }
        return [str(part) for part, on in flags.items() if on]
