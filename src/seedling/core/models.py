"""Shared kernel: base models, the access log (审计日志)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A record edited by people: a stale save is refused (see core.locking)."""

    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        abstract = True


class AccessLog(models.Model):
    """Append-only log of every read of a child's file, change, export and reveal.

    Rows are written without a lock; `audit_seal` later chains them in order of `seq` with an HMAC,
    so tampering with or removing a sealed row shows (see core.audit).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        SEARCH = "search", _("搜索")
        CREATE = "create", _("新建")
        CHANGE = "change", _("修改")
        DELETE = "delete", _("删除")
        REVEAL = "reveal", _("显示完整证件号")
        EXPORT = "export", _("导出")
        DECIDE = "decide", _("审核")
        LOGIN = "login", _("登录")
        DUPLICATE_OVERRIDE = "duplicate_override", _("疑似重复仍继续")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    child_id = models.BigIntegerField(_("儿童"), null=True, blank=True, db_index=True)
    area_code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    path = models.CharField(_("访问路径"), max_length=300, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    # Chain fields, filled by the sealer; NULL until sealed.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    row_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("访问日志")
        verbose_name_plural = _("访问日志")
        indexes = [models.Index(fields=["area_code", "at"], name="accesslog_area_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}:{self.object_id}"


class ScheduledJob(models.Model):
    """When a periodic job last ran: the scheduler claims a run here so two schedulers never both run it."""

    name = models.CharField(max_length=100, primary_key=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
