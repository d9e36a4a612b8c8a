"""Mandatory reports (强制报告): a risk to a child, reported at once to the police and civil affairs.

Minors Protection Law Art. 11 and 117, 2020 opinion on mandatory reporting: anyone in the system who
meets a statutory situation reports at once; the report is timestamped at detection, cannot be
deleted, keeps the reporter confidential and is tracked until the police and civil affairs have
acknowledged it. Reports, their routing and their events are never deleted: the ORM refuses here, and
triggers of migration 0002 refuse in the database (SQLite and PostgreSQL).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seedling.core import clock
from seedling.core.crypto import decrypt_text, encrypt_text

from .choices import ContactKind, EventKind, Situation, Source, Status


class DeletionRefused(PermissionDenied):
    """Mandatory reports and their records are kept for good."""

    def __init__(self):
        super().__init__(_("强制报告及其记录不能删除。"))


class UndeletableQuerySet(models.QuerySet):
    def delete(self):
        raise DeletionRefused

    delete.queryset_only = True  # type: ignore[attr-defined]


class Undeletable(models.Model):
    objects = UndeletableQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise DeletionRefused


class ReportContact(models.Model):
    """A police or civil-affairs contact for an area (e.g. 武义县公安局履坦派出所): a report about a
    child goes to the most specific contact of each kind whose area prefix contains the child's village.

    The contact's Seedling accounts (`users`) see exactly the reports routed to this contact, with
    the minimum of the child's file; there is no police role: being linked here is the permission.
    """

    area_prefix = models.CharField(
        _("负责区域（区划代码前缀）"),
        max_length=12,
        validators=[RegexValidator(r"^[0-9]{2,12}$", _("请填写 2–12 位数字的区划代码前缀。"))],
        help_text=_("如 330723 表示武义县全县，330723101 表示履坦镇。"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ContactKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="report_contacts",
        verbose_name=_("接报账号"),
        help_text=_("该单位在小苗中的账号：只能看到推送给本单位的报告及儿童的最少信息。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("接报单位")
        verbose_name_plural = _("接报单位")
        constraints = [
            models.UniqueConstraint(fields=["area_prefix", "kind", "name"], name="report_contact_unique")
        ]
        indexes = [models.Index(fields=["kind", "area_prefix"], name="report_contact_kind_area")]

    def __str__(self):
        return self.name


class MandatoryReport(Undeletable):
    """One mandatory report about one child (强制报告)."""

    scope_field = "child__area"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="mandatory_reports", verbose_name=_("儿童")
    )
    situation = models.CharField(_("情形"), max_length=32, choices=Situation.choices)
    # When the reporter learned of it (may be before the report was entered): the legal clock starts here.
    detected_at = models.DateTimeField(_("发现时间"))
    created_at = models.DateTimeField(_("报告时间"), default=clock.now, db_index=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报告人")
    )
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.DIRECT)
    # The visit or case it came from: a plain id, so this app depends on neither.
    source_id = models.PositiveBigIntegerField(_("来源编号"), null=True, blank=True)
    description_cipher = models.TextField(editable=False)

    status = models.CharField(
        _("状态"), max_length=32, choices=Status.choices, default=Status.REPORTED, db_index=True
    )
    ack_due_at = models.DateTimeField(_("接报期限"))
    police_acknowledged_at = models.DateTimeField(_("公安接报时间"), null=True, blank=True)
    police_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    police_reference = models.CharField(_("接警回执号"), max_length=64, blank=True)
    police_acknowledged_on_behalf = models.BooleanField(_("由民政代为登记"), default=False)
    civil_affairs_acknowledged_at = models.DateTimeField(_("民政接报时间"), null=True, blank=True)
    civil_affairs_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.TextField(_("办结说明"), blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("强制报告")
        verbose_name_plural = _("强制报告")
        constraints = [
            # A visit or case note raises a situation once, however often it is saved.
            models.UniqueConstraint(
                fields=["source", "source_id", "situation"],
                condition=~Q(source="direct"),
                name="report_once_per_source_situation",
            ),
            models.CheckConstraint(
                condition=Q(source="direct", source_id__isnull=True)
                | (~Q(source="direct") & Q(source_id__isnull=False)),
                name="report_source_id_iff_not_direct",
            ),
        ]
        indexes = [models.Index(fields=["status", "ack_due_at"], name="report_status_due")]

    def __str__(self):
        return f"#{self.pk} {self.get_situation_display()}"

    description_context = "protection.report.description"

    @property
    def description(self) -> str:
        """The free text (sensitive: may describe abuse); stored encrypted."""
        if not self.description_cipher:
            return ""
        return decrypt_text(self.description_cipher, context=self.description_context)

    @description.setter
    def description(self, value: str) -> None:
        self.description_cipher = encrypt_text(value, context=self.description_context)

    @property
    def reported_at(self):
        return self.created_at

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ReportRouting(Undeletable):
    """Where a report was sent: the contact chosen at creation, with its name and phone as they were."""

    scope_field = "child__area"

    report = models.ForeignKey(MandatoryReport, on_delete=models.PROTECT, related_name="routings")
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(ReportContact, on_delete=models.PROTECT, related_name="routings")
    kind = models.CharField(_("类型"), max_length=16, choices=ContactKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    routed_at = models.DateTimeField(_("推送时间"), default=clock.now)

    class Meta:
        verbose_name = _("报告推送")
        verbose_name_plural = _("报告推送")
        constraints = [models.UniqueConstraint(fields=["report", "contact"], name="routing_once_per_contact")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"


class ReportEvent(Undeletable):
    """One step in a report's history; append-only (the database refuses updates and deletes)."""

    scope_field = "child__area"

    report = models.ForeignKey(MandatoryReport, on_delete=models.PROTECT, related_name="events")
    child = models.ForeignKey("registry.Child", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("事项"), max_length=32, choices=EventKind.choices)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("报告记录")
        verbose_name_plural = _("报告记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.get_kind_display()
