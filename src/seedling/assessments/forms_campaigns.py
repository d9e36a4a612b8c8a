"""Forms of the screening pages. They parse input; every rule is checked once, in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seedling.accounts.models import User
from seedling.geo.models import Division
from seedling.registry.forms import BootstrapMixin, DateInput
from seedling.schools.models import School, SchoolClass

from . import campaign_selectors as selectors
from .models import Campaign, GuardianConsent, QuestionnaireVersion


class Form(BootstrapMixin, forms.Form):
    def _style(self):
        super()._style()
        # Radio buttons are form-check inputs, not a full-width form-control.
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                invalid = " is-invalid" if self.is_bound and name in self.errors else ""
                field.widget.attrs["class"] = "form-check-input" + invalid


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class _Labelled(forms.ModelChoiceField):
    def __init__(self, *args, label_of=str, **kwargs):
        self.label_of = label_of
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.label_of(obj)


def _class_label(c: SchoolClass) -> str:
    return f"{c.school.name} {c.name}（{c.school_year}）"


def _area_label(d: Division) -> str:
    return f"{d.parent.name} {d.name}" if d.parent_id and d.level == "village" else d.name


def _user_label(u) -> str:
    return f"{u.full_name}（{u.username}）" if u.full_name else u.username


class CampaignForm(Form):
    title = forms.CharField(
        label=_("名称"), max_length=200, help_text=_("例如：2025 年秋季初二（3）班情绪筛查")
    )
    questionnaire_version = _Labelled(
        queryset=QuestionnaireVersion.objects.none(),
        label=_("量表或问卷"),
        label_of=lambda v: v.questionnaire.title,
    )
    target = forms.ChoiceField(label=_("筛查对象"), choices=Campaign.Target.choices, widget=forms.RadioSelect)
    school_class = _Labelled(
        queryset=SchoolClass.objects.none(), label=_("班级"), required=False, label_of=_class_label
    )
    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("学校"), required=False)
    area = _Labelled(
        queryset=Division.objects.none(),
        label=_("区域"),
        required=False,
        label_of=_area_label,
        help_text=_("“区域内登记儿童”和“匿名”时填写：匿名筛查的结果按这个区域统计，并显示该区域的求助热线。"),
    )
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=DateTimeInput())
    counsellor = _Labelled(
        queryset=User.objects.none(),
        label=_("负责心理辅导员"),
        required=False,
        label_of=_user_label,
        help_text=_("接收筛查结果和预警任务的人；不选则为您本人。"),
    )
    remind_every_days = forms.IntegerField(
        label=_("提醒间隔（天）"), initial=3, help_text=_("每隔几天提醒一次未完成的人数；0 表示不提醒。")
    )
    rescreen_after_days = forms.IntegerField(
        label=_("复筛间隔（天）"),
        required=False,
        help_text=_("结束后多少天自动开始下一轮（同样的对象和量表）；不复筛请留空。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        versions = selectors.questionnaire_versions()
        self.fields["questionnaire_version"].queryset = QuestionnaireVersion.objects.filter(
            pk__in=[v.pk for v in versions]
        ).select_related("questionnaire", "instrument_version")
        self.fields["school_class"].queryset = selectors.class_choices(user=user).order_by(
            "school__name", "-school_year", "grade", "name"
        )
        self.fields["school"].queryset = selectors.school_choices(user=user).order_by("name")
        self.fields["area"].queryset = Division.objects.filter(
            code__in=[d.code for d in selectors.area_choices(user=user)]
        ).select_related("parent")
        people = selectors.counsellor_choices(user=user)
        self.fields["counsellor"].queryset = User.objects.filter(pk__in=[u.pk for u in people]).order_by(
            "full_name", "username"
        )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ConsentForm(Form):
    SCOPE_CAMPAIGN, SCOPE_GENERAL = "campaign", "general"
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50)
    relation = forms.CharField(label=_("与孩子的关系"), max_length=20, help_text=_("如：父亲、母亲、祖母"))
    method = forms.ChoiceField(label=_("确认方式"), choices=GuardianConsent.Method.choices)
    given_on = forms.DateField(label=_("同意日期"), widget=DateInput())
    scope = forms.ChoiceField(
        label=_("同意范围"),
        choices=[(SCOPE_CAMPAIGN, _("仅本次筛查")), (SCOPE_GENERAL, _("今后的实名心理筛查（可随时撤回）"))],
        widget=forms.RadioSelect,
        initial=SCOPE_CAMPAIGN,
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("scope")
        return data


class WithdrawForm(Form):
    note = forms.CharField(label=_("撤回说明"), max_length=200, required=False)


class CodeForm(Form):
    code = forms.CharField(
        label=_("个人邀请码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "form-control form-control-lg text-center font-monospace",
                "placeholder": "ABCD-EFGH",
            }
        ),
    )
