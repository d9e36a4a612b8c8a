"""Forms of the cases pages. They collect input; every rule is checked once, in cases.services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from seedling.accounts.models import User
from seedling.geo.models import Division
from seedling.registry.forms import BootstrapMixin, DateInput

from .choices import (
    CaseStatus,
    ClosureReason,
    IntakeSource,
    OrganizationKind,
    OrganizationService,
    ReviewDecision,
    RiskLevel,
    ServiceKind,
)
from .models import Assessment, Organization


class Form(BootstrapMixin, forms.Form):
    pass


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


def _users(queryset, label, required=False):
    return UserChoiceField(queryset=queryset, label=label, required=required)


class CaseFilterForm(Form):
    SCOPES = [("mine", _("我负责的")), ("area", _("本区域"))]
    scope = forms.ChoiceField(label=_("范围"), choices=SCOPES, required=False)
    status = forms.ChoiceField(
        label=_("阶段"), choices=[("", _("全部")), ("open", _("未结案")), *CaseStatus.choices], required=False
    )
    risk = forms.ChoiceField(label=_("风险"), choices=[("", _("全部")), *RiskLevel.choices], required=False)
    q = forms.CharField(label=_("编号或姓名"), max_length=50, required=False)


class CaseOpenForm(Form):
    source_kind = forms.ChoiceField(label=_("来源"), choices=IntakeSource.choices)
    source_id = forms.IntegerField(label=_("来源记录编号"), required=False, min_value=1)
    presenting_problem = forms.CharField(
        label=_("接案情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    opened_on = forms.DateField(label=_("接案日期"), widget=DateInput(), required=False)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _users(workers if workers is not None else User.objects.none(), _("负责社工"))


class CaseEditForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    source_kind = forms.ChoiceField(label=_("来源"), choices=IntakeSource.choices)
    source_id = forms.IntegerField(label=_("来源记录编号"), required=False, min_value=1)
    presenting_problem = forms.CharField(
        label=_("接案情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AssessmentForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Assessment
        fields = [
            "assessed_on",
            "safety_rating",
            "safety_notes",
            "health_rating",
            "health_notes",
            "education_rating",
            "education_notes",
            "family_rating",
            "family_notes",
            "emotional_rating",
            "emotional_notes",
            "risk_level",
            "summary",
        ]
        widgets = {"assessed_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_level"].required = False
        self.fields["risk_level"].help_text = _("留空则按五个维度的评分自动建议")


class GoalForm(Form):
    text = forms.CharField(label=_("目标"), max_length=300)


class ActionForm(Form):
    text = forms.CharField(label=_("行动"), max_length=300)
    due_on = forms.DateField(label=_("完成期限"), widget=DateInput())

    def __init__(self, *args, goals=(), workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"] = forms.TypedChoiceField(
            label=_("目标"),
            choices=[("", "—"), *[(g.pk, g.text) for g in goals]],
            coerce=int,
            required=False,
            empty_value=None,
        )
        self.fields["owner"] = _users(
            workers if workers is not None else User.objects.none(), _("负责人"), True
        )
        self.order_fields(["goal", "text", "owner", "due_on"])


class NoteForm(Form):
    note = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ClosureForm(Form):
    closure_reason = forms.ChoiceField(label=_("结案原因"), choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ServiceForm(Form):
    kind = forms.ChoiceField(label=_("服务类型"), choices=ServiceKind.choices)
    delivered_on = forms.DateField(label=_("服务日期"), widget=DateInput())
    outcome = forms.CharField(
        label=_("服务成效"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, workers=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider_user"] = _users(
            workers if workers is not None else User.objects.none(), _("服务提供人")
        )
        self.fields["provider_org"] = forms.ModelChoiceField(
            queryset=organizations if organizations is not None else Organization.objects.none(),
            label=_("服务提供机构"),
            required=False,
        )
        self.order_fields(["kind", "delivered_on", "provider_user", "provider_org", "outcome"])


class ReviewForm(Form):
    reviewed_on = forms.DateField(label=_("回顾日期"), widget=DateInput())
    progress = forms.CharField(label=_("进展"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label=_("结论"), choices=ReviewDecision.choices)


class ReopenForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.ChoiceField(
        label=_("回到"),
        choices=[
            (CaseStatus.ASSESSMENT, CaseStatus.ASSESSMENT.label),
            (CaseStatus.PLAN, CaseStatus.PLAN.label),
        ],
    )
    reason = forms.CharField(label=_("重新开案理由"), max_length=500)


class AssignForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _users(
            workers if workers is not None else User.objects.none(), _("负责社工"), True
        )


class DecisionForm(Form):
    DECISIONS = [("approved", _("批准")), ("rejected", _("驳回"))]
    decision = forms.ChoiceField(label=_("审批结果"), choices=DECISIONS)
    comment = forms.CharField(label=_("审批意见（驳回时必填）"), max_length=1000, required=False)


class DivisionCodeField(forms.CharField):
    """A village given by its 12-digit code."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        area = Division.objects.filter(code=value).first()
        if area is None:
            raise forms.ValidationError(_("区划代码 %(code)s 不存在。"), params={"code": value})
        return area


class TransferForm(Form):
    to_area = DivisionCodeField(
        label=_("迁入村（居）区划代码"), max_length=12, help_text=_("12 位统计用区划代码")
    )
    reason = forms.CharField(label=_("迁移原因"), max_length=500)


class TransferDecisionForm(Form):
    DECISIONS = [("accepted", _("接收")), ("declined", _("拒绝"))]
    decision = forms.ChoiceField(label=_("处理"), choices=DECISIONS)
    comment = forms.CharField(label=_("处理意见（拒绝时必填）"), max_length=500, required=False)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _users(
            workers if workers is not None else User.objects.none(), _("在办个案交由（可不选，由督导员指派）")
        )


def _codes(raw: str) -> list[str]:
    return [c for c in re.split(r"[\s,，、;；]+", raw or "") if c]


class OrganizationForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=OrganizationKind.choices)
    services = forms.MultipleChoiceField(
        label=_("提供的服务"), choices=OrganizationService.choices, widget=forms.CheckboxSelectMultiple
    )
    area_codes = forms.CharField(
        label=_("服务区域"), required=False, help_text=_("区划代码，多个用空格或逗号分隔，如 330723")
    )
    nationwide = forms.BooleanField(label=_("服务全国"), required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=64, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    active = forms.BooleanField(label=_("有效"), required=False, initial=True)
    member_usernames = forms.CharField(
        label=_("机构用户"), required=False, help_text=_("用户名，多个用空格或逗号分隔")
    )

    def _style(self):
        super()._style()
        self.fields["services"].widget.attrs["class"] = "form-check-input"

    def clean_area_codes(self):
        codes = _codes(self.cleaned_data.get("area_codes", ""))
        areas = list(Division.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {a.code for a in areas})
        if missing:
            raise forms.ValidationError(_("区划代码不存在：%(codes)s"), params={"codes": "、".join(missing)})
        return areas

    def clean_member_usernames(self):
        names = _codes(self.cleaned_data.get("member_usernames", ""))
        users = list(User.objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(
                _("用户不存在或已停用：%(names)s"), params={"names": "、".join(missing)}
            )
        return users


class ReferralForm(Form):
    service = forms.ChoiceField(label=_("所需服务"), choices=OrganizationService.choices)
    reason = forms.CharField(label=_("转介原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("回复期限"), widget=DateInput())
    share_guardian_contact = forms.BooleanField(label=_("共享监护人联系方式"), required=False)
    share_health = forms.BooleanField(label=_("共享健康状况"), required=False)
    share_assessment = forms.BooleanField(label=_("共享评估摘要"), required=False)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = forms.ModelChoiceField(
            queryset=organizations, label=_("接收机构"), help_text=_("只列出服务该儿童所在区域的机构")
        )
        self.order_fields(["organization", "service", "reason", "due_on"])


class ReferralRespondForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("处理"),
        choices=[("accepted", _("接收")), ("declined", _("拒绝")), ("completed", _("已完成"))],
    )
    note = forms.CharField(
        label=_("说明（拒绝理由或服务结果）"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferralCancelForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("撤回理由"), max_length=1000)
