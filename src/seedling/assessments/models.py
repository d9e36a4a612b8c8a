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

from seedling.core.models import TimeStamped


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
