"""Home visits (走访): visit plans by category, visit records with versions and attachments, and each
child's next-due date.

Visit, VisitVersion and VisitAttachment are rows of the child's file (scoped through the child,
distributed by child_id). ChildVisitStatus is a denormalised row per child that holds its next-due
date and alert state: the work lists and the periodic job read it instead of the visits.
Columns a bulk loader may leave out (`seedling generate` writes VISIT_FIELDS only) have database
defaults.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seedling.core import clock
from seedling.core.models import Versioned
from seedling.registry.choices import Category

from .choices import HIGH_RISK, Alert, Present, RiskFlag, VisitMethod

FREQUENCY_KEYS = [*Category.choices, (HIGH_RISK, _("高风险（最近一次走访发现须强制报告的情形）"))]


class VisitFrequency(models.Model):
    """How often children of a category must be visited in an area (走访频次); the longest matching
    area prefix wins, "" is the national default. A blank interval means no regular visits."""

    area_prefix = models.CharField(
        _("区域代码前缀"),
        max_length=12,
        blank=True,
        help_text=_("省、市、县、乡或村的区划代码；留空表示全国默认"),
    )
    category = models.CharField(_("类别"), max_length=32, choices=FREQUENCY_KEYS)
    interval_days = models.PositiveSmallIntegerField(
        _("走访间隔（天）"), null=True, blank=True, help_text=_("留空表示该区域此类别无需定期走访")
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("走访频次")
        verbose_name_plural = _("走访频次")
        ordering = ["area_prefix", "category"]
        constraints = [
            models.UniqueConstraint(fields=["area_prefix", "category"], name="visit_frequency_unique"),
            models.CheckConstraint(condition=models.Q(interval_days__gt=0), name="visit_frequency_positive"),
        ]

    def __str__(self):
        return f"{self.area_prefix or _('全国')} · {self.get_category_display()}"


def _codes(value: str) -> list[str]:
    return [c for c in (value or "").split(",") if c]


class Visit(Versioned):
    """One home visit (走访记录). Edits within the edit window change it; later edits keep the replaced
    content as a VisitVersion (see services.visit_update)."""

    scope_field = "child__area"
    CONTENT_FIELDS = (
        "visited_on",
        "method",
        "other_visitors",
        "present",
        "present_notes",
        "guardianship",
        "schooling",
        "health",
        "mental_health",
        "risk_flags",
        "risk_notes",
        "actions",
        "follow_up_on",
    )

    version = models.PositiveIntegerField(_("版本"), default=1, db_default=1)
    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="visits", verbose_name=_("儿童")
    )
    # Where the child lived when visited (the file's area may change later; scope follows the child).
    area_code = models.CharField(_("走访时所在村（居）"), max_length=12)
    visited_on = models.DateField(_("走访日期"))
    method = models.CharField(
        _("走访方式"), max_length=10, choices=VisitMethod.choices, default=VisitMethod.HOME, db_default="home"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("走访人"),
    )
    other_visitors = models.CharField(_("同行人员"), max_length=200, blank=True, db_default="")
    present = models.CharField(_("在场人员"), max_length=200, blank=True, db_default="")
    present_notes = models.CharField(_("在场人员说明"), max_length=200, blank=True, db_default="")
    guardianship = models.CharField(_("监护照料情况"), max_length=1000, blank=True, db_default="")
    schooling = models.CharField(_("就学情况"), max_length=1000, blank=True, db_default="")
    health = models.CharField(_("身体健康状况"), max_length=1000, blank=True, db_default="")
    mental_health = models.CharField(_("心理状况观察"), max_length=1000, blank=True, db_default="")
    risk_flags = models.CharField(_("发现的风险"), max_length=400, blank=True, db_default="")
    risk_notes = models.CharField(_("风险说明"), max_length=1000, blank=True, db_default="")
    # Any mandatory-report risk among risk_flags: kept as a column so set-based SQL can read it.
    high_risk = models.BooleanField(_("高风险"), default=False, db_default=False)
    actions = models.CharField(_("采取的措施"), max_length=1000, blank=True, db_default="")
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True)
    revision = models.PositiveSmallIntegerField(_("修订版次"), default=1, db_default=1)
    # Set from the system clock (not auto_now) so the edit window follows clock.travel in tests.
    created_at = models.DateTimeField(_("记录时间"), default=clock.now)
    updated_at = models.DateTimeField(_("更新时间"), default=clock.now)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["child", "visited_on"], name="visit_child_date")]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.get_method_display()}"

    @property
    def present_list(self) -> list[str]:
        return _codes(self.present)

    @property
    def risk_flag_list(self) -> list[str]:
        return _codes(self.risk_flags)

    def present_labels(self) -> list[str]:
        labels = dict(Present.choices)
        return [str(labels.get(c, c)) for c in self.present_list]

    def risk_labels(self) -> list[str]:
        labels = dict(RiskFlag.choices)
        return [str(labels.get(c, c)) for c in self.risk_flag_list]


class VisitVersion(models.Model):
    """The content of a visit as it was before an edit made after the edit window (kept, readable)."""

    scope_field = "child__area"

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveSmallIntegerField(_("版次"))
    content = models.JSONField(_("内容"))
    recorded_at = models.DateTimeField(_("该版记录时间"))
    replaced_at = models.DateTimeField(_("被替换时间"), default=clock.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("修改理由"), max_length=300)

    class Meta:
        verbose_name = _("走访记录历史版本")
        verbose_name_plural = _("走访记录历史版本")
        ordering = ["-revision"]
        constraints = [models.UniqueConstraint(fields=["visit", "revision"], name="visit_version_unique")]

    def __str__(self):
        return f"{self.visit_id} r{self.revision}"


def attachment_path(instance, filename: str) -> str:
    """visits/<child_id>/<random name>.<ext>: the original name (it may hold a name) stays in the row."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"visits/{instance.child_id}/{uuid.uuid4().hex}.{ext}"


class VisitAttachment(models.Model):
    """A photo or document of a visit; served only through the scoped download view, never MEDIA_URL."""

    scope_field = "child__area"

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=clock.now)

    class Meta:
        verbose_name = _("走访附件")
        verbose_name_plural = _("走访附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ChildVisitStatus(models.Model):
    """A child's visit plan today: last visit, interval, next-due date and the alert already raised.

    Kept up to date on every visit and category change (services) and by the periodic sweep (sweep.py).
    `area_code` copies the child's area so the work lists count by area without touching the child.
    """

    scope_field = "area_code"

    child = models.OneToOneField(
        "registry.Child", on_delete=models.CASCADE, primary_key=True, related_name="visit_status"
    )
    area_code = models.CharField(max_length=12)
    last_visit_on = models.DateField(_("最近走访"), null=True, blank=True)
    follow_up_on = models.DateField(_("跟进日期"), null=True, blank=True)
    high_risk = models.BooleanField(default=False, db_default=False)
    interval_days = models.PositiveSmallIntegerField(_("走访间隔（天）"), null=True, blank=True)
    next_due_on = models.DateField(_("下次走访截止"), null=True, blank=True)
    alert = models.CharField(max_length=10, choices=Alert.choices, blank=True, default="", db_default="")
    alerted_due_on = models.DateField(null=True, blank=True)  # next_due_on the open tasks were raised for
    overdue_since = models.DateField(_("逾期起始"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("上报督导时间"), null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("儿童走访状态")
        verbose_name_plural = _("儿童走访状态")
        indexes = [models.Index(fields=["area_code", "next_due_on"], name="visitstatus_area_due")]

    def __str__(self):
        return f"{self.child_id}: {self.next_due_on}"


class VisitSweep(models.Model):
    """One run of the periodic recomputation: when, for which day, what it changed and how long it took."""

    day = models.DateField()
    full = models.BooleanField(default=True)  # due dates recomputed too, not only the alerts
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    frequencies = models.CharField(max_length=64, blank=True)  # fingerprint of VisitFrequency at the run
    statuses_created = models.PositiveIntegerField(default=0)
    due_dates_changed = models.PositiveIntegerField(default=0)
    alerts_changed = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("走访状态重算")
        verbose_name_plural = _("走访状态重算")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.day} ({self.seconds:.1f}s)"
