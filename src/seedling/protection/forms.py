"""Forms of mandatory reports. They collect input; every rule is checked once, in protection.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedling.core import clock
from seedling.registry.forms import BootstrapMixin

from .choices import Status, grouped_situations
from .services import DESCRIPTION_MAX, NOTE_MAX


class ServiceErrorsMixin(BootstrapMixin):
    def add_service_errors(self, error: ValidationError) -> None:
        """A service's errors on the form: field → message where it names a field, else on the form."""
        if hasattr(error, "error_dict"):
            super().add_service_errors(error)
        else:
            self.add_error(None, error.messages)
            self._style()


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ReportForm(ServiceErrorsMixin, forms.Form):
    situation = forms.ChoiceField(label=_("情形"), choices=[("", "---------"), *grouped_situations()])
    detected_at = forms.DateTimeField(
        label=_("发现时间"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("您得知该情况的时间，可早于现在填报的时间。"),
    )
    description = forms.CharField(
        label=_("情况说明"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("发现了什么、何时何地、儿童现在是否安全。只写必要的事实。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "detected_at", timezone.localtime(clock.now()).replace(second=0, microsecond=0)
            )
        self._style()


class PoliceAckForm(ServiceErrorsMixin, forms.Form):
    reference = forms.CharField(label=_("接警回执号"), max_length=64, required=False)


class NoteForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("说明"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("open", _("未办结")), *Status.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    overdue = forms.BooleanField(
        label=_("仅看超时未接报"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
