"""Forms of home visits: short, for a phone. They collect input; the rules are in services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from seedling.registry.forms import BootstrapMixin, DateInput

from .choices import CONCERN_FLAGS, LEFT_BEHIND_TRIGGERS, STATUTORY_FLAGS, Present, RiskFlag, VisitMethod
from .selectors import SHOW_CHOICES

CHECKS = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _flag_choices(flags) -> list[tuple[str, str]]:
    labels = dict(RiskFlag.choices)
    return [(str(f), labels[f]) for f in flags]


class VisitForm(BootstrapMixin, forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("走访方式"),
        choices=VisitMethod.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    present = forms.MultipleChoiceField(
        label=_("在场人员"), choices=Present.choices, required=False, widget=CHECKS
    )
    present_notes = forms.CharField(label=_("在场人员说明"), max_length=200, required=False)
    other_visitors = forms.CharField(label=_("同行人员"), max_length=200, required=False)
    guardianship = forms.CharField(
        label=_("监护照料情况"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    schooling = forms.CharField(
        label=_("就学情况"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    health = forms.CharField(
        label=_("身体健康状况"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    mental_health = forms.CharField(
        label=_("心理状况观察"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    statutory_flags = forms.MultipleChoiceField(
        label=_("强制报告情形"),
        choices=_flag_choices(STATUTORY_FLAGS),
        required=False,
        widget=CHECKS,
    )
    left_behind_flags = forms.MultipleChoiceField(
        label=_("留守儿童须立即报告的情形"),
        choices=_flag_choices(LEFT_BEHIND_TRIGGERS),
        required=False,
        widget=CHECKS,
    )
    concern_flags = forms.MultipleChoiceField(
        label=_("需要关注的问题"),
        choices=_flag_choices(CONCERN_FLAGS),
        required=False,
        widget=CHECKS,
    )
    risk_notes = forms.CharField(
        label=_("风险说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    actions = forms.CharField(
        label=_("采取的措施"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up_on = forms.DateField(label=_("下次跟进日期"), required=False, widget=DateInput())

    FLAG_GROUPS = ("statutory_flags", "left_behind_flags", "concern_flags")

    def service_fields(self) -> dict:
        """The cleaned data as services.visit_record/visit_update take it."""
        data = dict(self.cleaned_data)
        flags = []
        for group in self.FLAG_GROUPS:
            flags += data.pop(group, [])
        data["risk_flags"] = flags
        for name in ("version", "reason"):
            data.pop(name, None)
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Service errors on risk_flags belong to the flag groups; the rest as in the registry forms."""
        mapped = {}
        for name, messages in error.message_dict.items():
            mapped["concern_flags" if name == "risk_flags" else name] = messages
        super().add_service_errors(ValidationError(mapped))

    @classmethod
    def initial_from(cls, visit) -> dict:
        initial = {name: getattr(visit, name) for name in ("visited_on", "method", "present_notes", "other_visitors",
                                                           "guardianship", "schooling", "health", "mental_health",
                                                           "risk_notes", "actions", "follow_up_on")}  # fmt: skip
        initial["present"] = visit.present_list
        flags = set(visit.risk_flag_list)
        initial["statutory_flags"] = [f for f in flags if f in STATUTORY_FLAGS]
        initial["left_behind_flags"] = [f for f in flags if f in LEFT_BEHIND_TRIGGERS]
        initial["concern_flags"] = [f for f in flags if f in CONCERN_FLAGS]
        initial["version"] = visit.version
        return initial


class VisitEditForm(VisitForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("修改理由"),
        max_length=300,
        required=False,
        help_text=_("记录满 7 天后的修改另存为新版本，须说明理由。"),
    )


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("照片或文件"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )


class WorklistForm(forms.Form):
    area = forms.RegexField(regex=r"^[0-9]{2,12}$", required=False)
    within = forms.IntegerField(min_value=0, max_value=365, required=False)
    show = forms.ChoiceField(choices=[(s, s) for s in SHOW_CHOICES], required=False)
