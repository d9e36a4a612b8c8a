"""An import of a roster file (花名册导入任务): the uploaded file, its dry run and its commit."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seedling.core.models import TimeStamped


def _upload_path(job: "ImportJob", filename: str) -> str:
    # Never the user's file name on disk (it often holds a village's or a child's name).
    extension = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    return f"imports/{job.uuid}.{extension}"


class ImportJob(TimeStamped):
    """One uploaded roster: checked first (dry run), then imported at once or not at all.

    The file lives under MEDIA_ROOT/imports/, which is never served: only its owner sees the job.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        CHECKING = "checking", _("正在检查")
        CHECKED = "checked", _("检查完成")
        IMPORTING = "importing", _("正在导入")
        IMPORTED = "imported", _("已导入")
        FAILED = "failed", _("未导入")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    # The areas where the user could register children at upload (their ADD prefixes, comma-separated).
    area_codes = models.CharField(_("区域"), max_length=200, blank=True)
    file = models.FileField(_("文件"), upload_to=_upload_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    file_format = models.CharField(_("格式"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.UPLOADED, db_index=True
    )
    language = models.CharField(max_length=16, default="zh-hans")
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    errors = models.PositiveIntegerField(_("错误"), default=0)
    warnings = models.PositiveIntegerField(_("提醒"), default=0)
    imported = models.PositiveIntegerField(_("已导入"), default=0)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    reason = models.CharField(_("疑似重复仍导入的理由"), max_length=300, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    # The last run's summary and its first problems (exchange.services.RosterResult.as_json).
    result = models.JSONField(default=dict, blank=True)
    problems_file = models.FileField(max_length=200, blank=True)
    checked_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.UPLOADED, self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def may_commit(self) -> bool:
        return self.status == self.Status.CHECKED and self.rows > 0 and self.errors == 0 and not self.message
