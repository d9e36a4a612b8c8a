"""Django admin: load instrument definitions and import XLSForms (系统管理员).

Uploads go through the same services as the management commands, so a definition or a form is
checked the same way wherever it comes from; versions are read-only once stored.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seedling.accounts.admin import SysadminAccess

from . import selectors, services
from .definitions import InstrumentDefinitionError, definition_check, definition_read
from .models import Instrument, InstrumentVersion, Questionnaire, QuestionnaireVersion
from .xlsform import FormRefused, xlsform_compile

MAX_UPLOAD = 20 * 1024 * 1024


def _read_upload(upload) -> bytes:
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError(gettext("文件过大（最多 20 MB）。"))
    return upload.read()


class InstrumentUploadForm(forms.ModelForm):
    file = forms.FileField(label=_("量表定义文件（JSON 或 YAML）"))

    class Meta:
        model = InstrumentVersion
        fields: list[str] = []

    def clean_file(self):
        import tempfile
        from pathlib import Path

        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in services.BUILTIN_SUFFIXES:
            raise forms.ValidationError(gettext("只接受 .json、.yaml 或 .yml 文件。"))
        content = _read_upload(upload)
        with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
            tmp.write(content)
            tmp.flush()
            try:
                definition = definition_read(Path(tmp.name))
                definition_check(definition)
            except InstrumentDefinitionError as exc:
                raise forms.ValidationError(exc.errors) from exc
        if selectors.instrument_version_conflicts(definition=definition):
            raise forms.ValidationError(
                gettext("量表 %(id)s 的版本 %(version)s 已导入且内容不同；请使用新的版本号。")
                % {"id": definition["id"], "version": definition["version"]}
            )
        self.definition = definition
        return upload


class XLSFormUploadForm(forms.ModelForm):
    file = forms.FileField(label=_("XLSForm 文件（.xlsx 或 .xls）"))
    code = forms.SlugField(label=_("问卷标识（可不填，默认用表单 ID）"), required=False)

    class Meta:
        model = QuestionnaireVersion
        fields: list[str] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = _read_upload(upload)
        try:
            xlsform_compile(content, upload.name)
        except FormRefused as exc:
            raise forms.ValidationError([p.message for p in exc.problems]) from exc
        self.content = content
        return upload


class ReadOnlyVersions(SysadminAccess):
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Instrument)
class InstrumentAdmin(SysadminAccess, admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "builtin"]
    readonly_fields = ["code", "builtin"]
    fields = ["code", "name_zh", "name_en", "builtin"]

    def has_add_permission(self, request, *args):
        return False  # instruments arrive as definition files (量表版本 -> 上传)


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyVersions, admin.ModelAdmin):
    list_display = ["instrument", "version", "source", "loaded_at"]
    list_filter = ["source"]
    readonly_fields = ["instrument", "version", "source", "checksum", "loaded_at", "loaded_by", "definition"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InstrumentUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["file"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        loaded = services.instrument_load(
            definition=form.definition, source=InstrumentVersion.Source.ADMIN, user=request.user
        )
        obj.pk, obj.instrument, obj.version = (
            loaded.version.pk,
            loaded.version.instrument,
            loaded.version.version,
        )


@admin.register(Questionnaire)
class QuestionnaireAdmin(SysadminAccess, admin.ModelAdmin):
    list_display = ["title", "code", "instrument", "created_at"]
    search_fields = ["title", "code"]
    readonly_fields = ["code", "instrument", "created_by"]
    fields = ["title", "code", "instrument", "created_by"]

    def has_add_permission(self, request, *args):
        return False  # questionnaires arrive as XLSForm files (问卷版本 -> 上传)


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(ReadOnlyVersions, admin.ModelAdmin):
    list_display = ["questionnaire", "number", "form_version", "source_name", "imported_at"]
    readonly_fields = [
        "questionnaire",
        "number",
        "form_version",
        "source_name",
        "warnings",
        "imported_at",
        "imported_by",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = XLSFormUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["file", "code"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        version = services.questionnaire_import(
            content=form.content,
            filename=upload.name,
            user=request.user,
            code=form.cleaned_data.get("code", ""),
        )
        obj.pk, obj.questionnaire, obj.number = version.pk, version.questionnaire, version.number
