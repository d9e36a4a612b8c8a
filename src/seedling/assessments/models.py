"""Instruments (量表), questionnaires (问卷) and their responses.

Instruments and questionnaires are reference data, kept by version: a response keeps the exact
version it was answered with, so a later edit of the instrument never changes an old score. Every
fillable form is a QuestionnaireVersion: an XLSForm import, or the form generated from an
instrument version. Campaigns (later) hang off responses through their own foreign key.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedling.core.models import TimeStamped, Versioned


class Instrument(TimeStamped):
    """A scored instrument such as PHQ-9; its content lives in its versions."""

    code = models.SlugField(_("标识"), max_length=50, unique=True)
    name_zh = models.CharField(_("名称（中文）"), max_length=200)
    name_en = models.CharField(_("名称（英文）"), max_length=200)
    builtin = models.BooleanField(_("系统内置"), default=False)

    class Meta:
        verbose_name = _("量表")
        verbose_name_plural = _("量表")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name_zh} ({self.code})"


class InstrumentVersion(models.Model):
    """One version of an instrument's definition, frozen once loaded (same id + version, same content)."""

    class Source(models.TextChoices):
        BUILTIN = "builtin", _("系统内置")
        FILE = "file", _("文件导入")
        ADMIN = "admin", _("管理后台上传")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(_("版本"), max_length=30)
    definition = models.JSONField(_("定义"))
    checksum = models.CharField(_("内容校验值"), max_length=64, editable=False)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.FILE)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("量表版本")
        verbose_name_plural = _("量表版本")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="instrument_version_unique")
        ]
        ordering = ["instrument", "-loaded_at"]

    def __str__(self):
        return f"{self.instrument.code} {self.version}"


class Questionnaire(TimeStamped):
    """A fillable form: an imported XLSForm, or the form of an instrument."""

    code = models.SlugField(_("标识"), max_length=120, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    instrument = models.OneToOneField(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="questionnaire"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def current_version(self):
        return self.versions.order_by("-number").first()


class QuestionnaireVersion(models.Model):
    """One version of a form: the compiled spec the fill page and the server check both use."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本序号"))
    form_version = models.CharField(_("表单版本"), max_length=100, blank=True)
    instrument_version = models.OneToOneField(
        InstrumentVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="form"
    )
    spec = models.JSONField(_("表单定义"))
    pyxform = models.JSONField(_("pyxform 结构"), null=True, blank=True)
    source_name = models.CharField(_("源文件名"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    source_file = models.BinaryField(_("源文件"), null=True, blank=True, editable=False)
    warnings = models.JSONField(_("导入提示"), default=list, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("问卷版本")
        verbose_name_plural = _("问卷版本")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="questionnaire_version_unique")
        ]
        ordering = ["questionnaire", "-number"]

    def __str__(self):
        return f"{self.questionnaire.title} v{self.number}"


class Response(models.Model):
    """A submitted form: every answer as checked by the server, and the score for an instrument."""

    scope_field = "child__area"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses", verbose_name=_("问卷版本")
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("量表版本"),
    )
    # Nullable until campaigns link identified screening to a child's file.
    child = models.ForeignKey(
        "registry.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_responses",
        verbose_name=_("儿童"),
    )
    campaign = models.ForeignKey(
        "Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("筛查活动"),
    )
    # Where an anonymous response comes from (the campaign's area, or the area a portal user chose):
    # anonymous counts per area without a child.
    area = models.ForeignKey(
        "geo.Division",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("区域"),
    )
    anonymous = models.BooleanField(_("匿名"), default=False)
    answers = models.JSONField(_("回答"), default=dict)
    score = models.JSONField(_("计分结果"), null=True, blank=True)
    band = models.CharField(_("分级"), max_length=10, blank=True, db_index=True)
    action = models.CharField(_("处理建议"), max_length=32, blank=True)
    language = models.CharField(_("填写语言"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提交人"),
    )

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.questionnaire_version} {self.submitted_at:%Y-%m-%d %H:%M}"


class Campaign(Versioned, TimeStamped):
    """A screening campaign (筛查活动): one questionnaire, a target, a window, reminders and progress.

    Identified campaigns (a class, a school, the registered children of an area) invite each child
    and put the result in the child's file; an anonymous campaign is open to anyone with its link or QR
    code and keeps no identity. Results of identified screening reach `counsellor` as tasks.
    """

    scope_field = "area"

    class Target(models.TextChoices):
        CLASS = "class", _("班级")
        SCHOOL = "school", _("学校")
        AREA = "area", _("区域内登记儿童")
        ANONYMOUS = "anonymous", _("匿名（链接或二维码）")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("名称"), max_length=200)
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("问卷")
    )
    target = models.CharField(_("对象"), max_length=10, choices=Target.choices)
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("学校"),
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("班级"),
    )
    # Always set: the school's area, the target area, or the area an anonymous campaign serves.
    area = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # When it was actually opened and closed (a campaign may close before closes_at); reminders count
    # from the opening, a re-screen from the closing.
    opened_at = models.DateTimeField(_("开放时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The public link /s/<token>/ (and its QR code): the form of an anonymous campaign, the personal
    # code page of an identified one.
    token = models.CharField(max_length=32, unique=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("负责心理辅导员")
    )
    remind_every_days = models.PositiveSmallIntegerField(_("提醒间隔（天）"), default=3)
    rescreen_after_days = models.PositiveSmallIntegerField(_("复筛间隔（天）"), null=True, blank=True)
    # Anonymous campaigns: the newest high-risk answer already reported to the counsellor by the sweep
    # (campaign_jobs.anonymous_risks_report); later ones are reported on its next run.
    risk_reported_at = models.DateTimeField(_("高风险结果已汇报至"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rescreens",
        verbose_name=_("上一轮筛查"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("筛查活动")
        verbose_name_plural = _("筛查活动")
        ordering = ["-opens_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def anonymous(self) -> bool:
        return self.target == self.Target.ANONYMOUS


class Invitation(TimeStamped):
    """One invited child of an identified campaign: invited → started → completed."""

    scope_field = "campaign__area"

    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        STARTED = "started", _("已开始")
        COMPLETED = "completed", _("已完成")
        EXCUSED = "excused", _("免于筛查")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="invitations")
    student = models.ForeignKey(
        "schools.Student",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("学生"),
    )
    child = models.ForeignKey(
        "registry.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("儿童"),
    )
    # The personal code the child types (or the link carries) to open their questionnaire; hashed.
    code_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.INVITED)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("最近提醒"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("提醒次数"), default=0)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.PROTECT, related_name="invitation"
    )

    class Meta:
        verbose_name = _("筛查邀请")
        verbose_name_plural = _("筛查邀请")
        ordering = ["campaign", "pk"]
        indexes = [models.Index(fields=["campaign", "status"], name="invitation_campaign_status")]

    def __str__(self):
        return f"{self.campaign} #{self.pk}"

    @property
    def subject_child(self):
        """The registered child this invitation is about, as linked NOW: a student's current child.

        A wrong match corrected while the campaign runs (unlinked or linked to another child) moves the
        result, the guardian's consent and the age with it. `child` is used only without a student
        (area campaigns); a copy made on a student's invitation by an older version is ignored.
        """
        if self.student_id:
            return self.student.child
        return self.child


class GuardianConsent(TimeStamped):
    """A guardian's consent to identified screening of a child under 14 (PIPL Art. 31)."""

    # Through the student's school when the child is not registered: see the selectors.
    scope_field = "child__area"

    class Method(models.TextChoices):
        PAPER = "paper", _("书面同意书")
        IN_PERSON = "in_person", _("当面确认")
        PHONE = "phone", _("电话确认（有记录）")
        ONLINE = "online", _("线上确认")

    # The registered child, or a student on a class roster who is not (yet) registered: one of the two.
    child = models.ForeignKey(
        "registry.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_consents",
        verbose_name=_("儿童"),
    )
    student = models.ForeignKey(
        "schools.Student",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_consents",
        verbose_name=_("学生"),
    )
    guardian_name = models.CharField(_("监护人姓名"), max_length=50)
    relation = models.CharField(_("与儿童关系"), max_length=20)
    method = models.CharField(_("方式"), max_length=10, choices=Method.choices)
    given_on = models.DateField(_("同意日期"))
    # Consent may cover one campaign or, when empty, identified screening in general until withdrawn.
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("适用的筛查活动"),
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("监护人同意")
        verbose_name_plural = _("监护人同意")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False) | models.Q(student__isnull=False),
                name="consent_for_a_child_or_student",
            )
        ]

    def __str__(self):
        return f"{self.guardian_name} {self.given_on}"
