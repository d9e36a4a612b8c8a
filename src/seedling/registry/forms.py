"""Forms of the child's file. They collect input; every rule is checked once, in registry.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from seedling.geo.models import Division

from .choices import Capacity, Evidence, Health, Relation, Situation
from .models import Child, Person, PersonSituation
from .services import CHILD_FIELDS


class BootstrapMixin:
    """Bootstrap classes on every widget, and aria-invalid on fields with errors."""

    def _style(self):
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if self.is_bound and name in self.errors:
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"

    def full_clean(self):
        super().full_clean()
        self._style()

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field → message errors onto the form (unknown fields become form errors)."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
        self._style()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parent = obj.parent.name if obj.parent_id else ""
        return f"{parent} {obj.name}".strip()


class ChildForm(BootstrapMixin, forms.ModelForm):
    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        max_length=25,
        help_text=_("填写后自动带出出生日期和性别；没有身份证号请选择原因。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    hukou_code = forms.CharField(
        label=_("户籍地区划代码"),
        required=False,
        max_length=12,
        help_text=_("户籍所在村（居）或县的统计用区划代码；留空表示与现居地相同。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Child
        # Every field the registry service takes, except those the service fills in itself; id_number and
        # hukou_code are form fields of their own.
        fields = [name for name in CHILD_FIELDS if name not in ("director", "supervisor", "hukou_area")]
        widgets = {
            "birth_date": DateInput(),
            "resident_since": DateInput(),
            "status_changed_on": DateInput(),
        }
        field_classes = {"area": VillageChoiceField}

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Birth date and sex can come from the ID number, so they are not required here.
        self.fields["sex"].required = False
        self.fields["birth_date"].required = False
        self.fields["area"].queryset = villages if villages is not None else Division.objects.none()
        self.fields["area"].empty_label = _("请选择村（居）")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.hukou_area_id:
                self.fields["hukou_code"].initial = self.instance.hukou_area_id
        else:
            for name in ("status", "status_changed_on"):
                del self.fields[name]
        self._style()

    def clean_hukou_code(self):
        code = self.cleaned_data.get("hukou_code", "").strip()
        if not code:
            return None
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise ValidationError(_("区划代码 %(code)s 不存在。") % {"code": code})
        return division

    def service_fields(self) -> dict:
        """The cleaned values the registry services take (names as in services.CHILD_FIELDS)."""
        data = {k: v for k, v in self.cleaned_data.items() if k in CHILD_FIELDS}
        data["hukou_area"] = self.cleaned_data.get("hukou_code") or data.get("area")
        if data.get("disability_grade") in ("", None):
            data["disability_grade"] = None
        return data


class FamilyMemberForm(BootstrapMixin, forms.Form):
    """A parent or the delegated carer on the registration form (一人一表), with one current situation."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=64)
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=25)
    phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    situation = forms.ChoiceField(
        label=_("目前状况"), required=False, choices=[("", _("在家 / 无特殊情况"))] + list(Situation.choices)
    )
    since = forms.DateField(label=_("自何时起"), required=False, widget=DateInput())
    place = forms.CharField(label=_("地点（如务工地）"), required=False, max_length=100)
    outside_county = forms.BooleanField(label=_("在本县（市、区）以外"), required=False, initial=True)
    evidence_type = forms.ChoiceField(
        label=_("证明材料"), required=False, choices=[("", "—")] + list(Evidence.choices)
    )

    def __init__(self, *args, relation: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.relation = relation
        self._style()

    @property
    def filled(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("name"))


class CarerForm(BootstrapMixin, forms.Form):
    """The delegated carer (委托照护人) of a left-behind child."""

    name = forms.CharField(label=_("姓名"), required=False, max_length=64)
    relation = forms.ChoiceField(
        label=_("与儿童关系"),
        required=False,
        choices=[("", "—")] + [c for c in Relation.choices if c[0] not in ("father", "mother")],
    )
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=25)
    phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    health = forms.ChoiceField(label=_("健康状况"), choices=Health.choices, initial=Health.HEALTHY)
    capacity = forms.ChoiceField(label=_("照护能力"), choices=Capacity.choices, initial=Capacity.FULL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("relation"):
            self.add_error("relation", _("请选择照护人与儿童的关系。"))
        return data

    @property
    def filled(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("name"))


class PersonForm(BootstrapMixin, forms.ModelForm):
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=25)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [
            "relation",
            "name",
            "id_number",
            "phone",
            "is_guardian",
            "is_delegated_carer",
            "lives_with_child",
            "health",
            "capacity",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style()


class SituationForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = PersonSituation
        fields = [
            "kind",
            "started_on",
            "ended_on",
            "place",
            "outside_county",
            "evidence_type",
            "evidence_ref",
            "notes",
        ]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class EndSituationForm(BootstrapMixin, forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RevealForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("查看理由"), max_length=300, help_text=_("查看完整身份证号会记入访问日志。")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DecisionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("审核意见"), required=False, max_length=500)
    evidence = forms.CharField(label=_("证明材料"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ChildFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("姓名、拼音、首字母、身份证号或后四位、监护人")}
        ),
    )
    category = forms.ChoiceField(label=_("类别"), required=False)
    area = forms.ChoiceField(label=_("区域"), required=False)
    age_band = forms.ChoiceField(label=_("年龄段"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, areas=(), **kwargs):
        from .choices import Category, ChildStatus
        from .selectors import AGE_BANDS

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部类别"))] + list(Category.choices)
        self.fields["area"].choices = [("", _("全部区域"))] + list(areas)
        self.fields["age_band"].choices = [("", _("全部年龄"))] + [
            (b, _("%(b)s 岁") % {"b": b}) for b in AGE_BANDS
        ]
        self.fields["status"].choices = [("", _("全部状态"))] + list(ChildStatus.choices)
        self._style()
