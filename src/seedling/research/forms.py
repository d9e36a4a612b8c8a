"""Forms of the research page; they collect input, research.filters and research.services check it."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from seedling.registry.forms import BootstrapMixin, DateInput

from . import selectors
from .services import PURPOSE_MAX

FILTER_FIELDS = ("instrument", "questionnaire", "campaign", "date_from", "date_to", "area")


def instrument_label(instrument) -> str:
    name = instrument.name_en if (get_language() or "").startswith("en") else instrument.name_zh
    return f"{name}（{instrument.code}）"


class FilterForm(BootstrapMixin, forms.Form):
    instrument = forms.ChoiceField(label=_("量表"), required=False)
    questionnaire = forms.ChoiceField(label=_("问卷（XLSForm）"), required=False)
    campaign = forms.ChoiceField(label=_("筛查活动"), required=False)
    date_from = forms.DateField(label=_("提交日期从"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("提交日期到"), required=False, widget=DateInput())
    area = forms.CharField(
        label=_("区域"),
        required=False,
        max_length=6,
        help_text=_("省、市或县的区划代码（2、4 或 6 位）；不填为您的全部研究范围。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["instrument"].choices = everything + [
            (i.code, instrument_label(i)) for i in selectors.instrument_choices()
        ]
        self.fields["questionnaire"].choices = everything + [
            (q.code, q.title) for q in selectors.questionnaire_choices()
        ]
        self.fields["campaign"].choices = everything + [
            (str(c.pk), f"{c.title}（{c.opens_at:%Y-%m}）") for c in selectors.campaign_choices(user=user)
        ]
        self._style()

    def raw(self) -> dict:
        """The filter values as typed (for research.filters.filters_clean), empty ones left out."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {name: data.get(name) for name in FILTER_FIELDS if data.get(name) not in (None, "")}


class ExportForm(BootstrapMixin, forms.Form):
    format = forms.ChoiceField(
        label=_("格式"), choices=[("csv", "CSV"), ("xlsx", "Excel（.xlsx）")], initial="csv"
    )
    project = forms.ChoiceField(
        label=_("研究项目"),
        required=False,
        help_text=_("同一项目的各次导出中，同一儿童的假名编号相同；不选则假名只在本文件内一致。"),
    )
    # Required, but checked by the service (one message for the page, the API and the command).
    purpose = forms.CharField(
        label=_("导出用途（必填）"),
        required=False,
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
        help_text=_("写明研究课题和用途；用途会和筛选条件、行数一起记入访问日志。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("不指定"))] + [
            (str(p.pk), f"{p.title}（#{p.pk}）") for p in selectors.project_list(user=user)
        ]
        self._style()


class ProjectForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("新研究项目名称"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
