"""The counsellor pool (心理辅导员库), requests for help and the counsellor's session notes.

A request comes from the portal ("talk to a counsellor"), from a screening result, from a referral or
from a member of staff; it is assigned to a counsellor of the area with room for it. Session notes are
the most private text in the system: only the counsellor who wrote them and that counsellor's
supervisor read them (not the area's officers, not the system administrator).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seedling.core.models import TimeStamped, Versioned


class Counsellor(Versioned, TimeStamped):
    scope_field = "home_area"

    class Qualification(models.TextChoices):
        PSYCHOTHERAPIST = "psychotherapist", _("心理治疗师")
        COUNSELLOR_2 = "counsellor_2", _("心理咨询师（二级）")
        COUNSELLOR_3 = "counsellor_3", _("心理咨询师（三级）")
        SCHOOL_TEACHER = "school_teacher", _("学校心理健康教师")
        SOCIAL_WORKER = "social_worker", _("社会工作师")
        PSYCHIATRIST = "psychiatrist", _("精神科医师")
        TRAINED = "trained", _("经培训的辅导员")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counsellor", verbose_name=_("用户")
    )
    qualification = models.CharField(_("资质"), max_length=20, choices=Qualification.choices)
    # Language codes as ",zh,en," (putonghua is "zh"; minority languages by ISO 639: ug, bo, ii, mn, ...).
    languages = models.CharField(_("服务语言"), max_length=100, default=",zh,")
    home_area = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区域")
    )
    areas = models.ManyToManyField("geo.Division", blank=True, related_name="+", verbose_name=_("服务区域"))
    capacity = models.PositiveSmallIntegerField(_("同时跟进上限"), default=20)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_counsellors",
        verbose_name=_("督导"),
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("心理辅导员")
        verbose_name_plural = _("心理辅导员")
        ordering = ["home_area_id", "pk"]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @staticmethod
    def encode_languages(codes) -> str:
        return "," + ",".join(sorted(set(codes))) + "," if codes else ""


class HelpRequest(Versioned, TimeStamped):
    """A request for a counsellor (求助): new → assigned → in progress → closed."""

    scope_field = "area"

    class Source(models.TextChoices):
        PORTAL = "portal", _("自助服务平台")
        SCREENING = "screening", _("筛查结果")
        REFERRAL = "referral", _("转介")
        STAFF = "staff", _("工作人员登记")

    class Requester(models.TextChoices):
        CHILD = "child", _("儿童本人")
        GUARDIAN = "guardian", _("监护人")
        TEACHER = "teacher", _("教师")
        WORKER = "worker", _("儿童主任或社工")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        NEW = "new", _("待分派")
        ASSIGNED = "assigned", _("已分派")
        IN_PROGRESS = "in_progress", _("跟进中")
        CLOSED = "closed", _("已结束")

    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    requester = models.CharField(
        _("求助人"), max_length=10, choices=Requester.choices, default=Requester.CHILD
    )
    area = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    child = models.ForeignKey(
        "registry.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_requests",
        verbose_name=_("儿童"),
    )
    response = models.ForeignKey(
        "assessments.Response",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="help_requests",
        verbose_name=_("相关答卷"),
    )
    # What the requester chose to give: a name or nickname and a way to reach them (both optional).
    contact_name = models.CharField(_("称呼"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=50, blank=True)
    message = models.TextField(_("想说的话"), blank=True)
    language = models.CharField(_("希望使用的语言"), max_length=10, default="zh")
    urgent = models.BooleanField(_("紧急"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NEW)
    counsellor = models.ForeignKey(
        Counsellor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("心理辅导员"),
    )
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closing_note = models.CharField(_("结束说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("求助请求")
        verbose_name_plural = _("求助请求")
        ordering = ["-urgent", "-created_at", "-pk"]
        indexes = [models.Index(fields=["counsellor", "status"], name="helprequest_counsellor_status")]

    def __str__(self):
        return f"{self.get_source_display()} #{self.pk}"


class SessionNote(TimeStamped):
    """A counselling session's note: read only by its counsellor and that counsellor's supervisor."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("面谈")
        PHONE = "phone", _("电话")
        ONLINE = "online", _("网络")

    class Risk(models.TextChoices):
        NONE = "none", _("未见风险")
        LOW = "low", _("低")
        MODERATE = "moderate", _("中")
        HIGH = "high", _("高")

    request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, related_name="notes")
    child = models.ForeignKey(
        "registry.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    counsellor = models.ForeignKey(Counsellor, on_delete=models.PROTECT, related_name="notes")
    held_on = models.DateField(_("日期"))
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    risk = models.CharField(_("风险评估"), max_length=10, choices=Risk.choices, default=Risk.NONE)
    text = models.TextField(_("记录"))
    next_on = models.DateField(_("下次跟进"), null=True, blank=True)
    # The counsellor or their supervisor: both may write on the request's file.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("辅导记录")
        verbose_name_plural = _("辅导记录")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.request} {self.held_on}"
