"""Tasks and notifications (待办与通知): one inbox per user, fed by every workflow.

A task is addressed either to one user or to a role at an area (e.g. the township supervisor of the
child's township): every user holding that role over the task's area sees it. Tasks are opened and
closed by the workflows through inbox.services, idempotently by `key`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Task(models.Model):
    class Priority(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")

    class Status(models.TextChoices):
        OPEN = "open", _("待办")
        DONE = "done", _("已办")
        CANCELLED = "cancelled", _("已取消")

    key = models.CharField(max_length=200, help_text="what the task is about, e.g. visit_due:child:42")
    kind = models.CharField(_("类型"), max_length=40, db_index=True)
    title = models.CharField(_("事项"), max_length=200)
    url = models.CharField(max_length=300, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    assignee_role = models.CharField(max_length=32, blank=True)
    area_code = models.CharField(max_length=12, blank=True, db_index=True)
    child = models.ForeignKey(
        "registry.Child", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    due_at = models.DateTimeField(_("期限"), null=True, blank=True)
    priority = models.CharField(_("优先级"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=Q(status="open"), name="one_open_task_per_key"),
            models.CheckConstraint(
                condition=Q(assignee__isnull=False) | ~Q(assignee_role=""), name="task_has_an_addressee"
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status"], name="task_assignee_status"),
            models.Index(fields=["assignee_role", "status", "area_code"], name="task_role_status_area"),
        ]

    def __str__(self):
        return self.title


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=200)
    url = models.CharField(max_length=300, blank=True)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return self.title
