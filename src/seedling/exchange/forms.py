"""Forms of the import and export pages; every rule is checked in exchange.services and exchange.export."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seedling.registry.forms import BootstrapMixin


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("花名册文件"),
        allow_empty_file=True,  # the service says "the file is empty" like every other file problem
        help_text=_("Excel（.xlsx）或 CSV 文件，表头使用模板的列名。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class CommitForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("疑似重复仍导入的理由"),
        required=False,
        max_length=300,
        help_text=_("已逐一核对疑似重复的儿童，确认不是同一人时填写；理由会记入访问日志。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel")], initial="csv")
    full_ids = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=300)
