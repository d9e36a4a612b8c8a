"""Forms of the counselling pages. They collect input; every rule is checked once, in services."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from seedling.accounts.models import User
from seedling.geo.models import Division
from seedling.registry.forms import BootstrapMixin, DateInput

from .models import Counsellor, HelpRequest, SessionNote

LANGUAGE_CHOICES = [
    ("zh", _("普通话")),
    ("yue", _("粤语")),
    ("en", _("英语")),
    ("ug", _("维吾尔语")),
    ("bo", _("藏语")),
    ("ii", _("彝语")),
    ("mn", _("蒙古语")),
    ("za", _("壮语")),
    ("ko", _("朝鲜语")),
    ("kk", _("哈萨克语")),
]


class Form(BootstrapMixin, forms.Form):
    pass


class LanguagesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
        super().__init__(choices=LANGUAGE_CHOICES, label=_("服务语言"), **kwargs)


def _division_codes(text: str) -> list[Division]:
    codes = [c for c in re.split(r"[\s,，、]+", text or "") if c]
    bad = [c for c in codes if not re.fullmatch(r"[0-9]{2,12}", c)]
    if bad:
        raise forms.ValidationError(_("区划代码须为 2 到 12 位数字：%(codes)s。") % {"codes": "、".join(bad)})
    found = {d.code: d for d in Division.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise forms.ValidationError(_("区划代码不存在：%(codes)s。") % {"codes": "、".join(missing)})
    return [found[c] for c in codes]


def _user(username: str, label) -> User | None:
    username = (username or "").strip()
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise forms.ValidationError(_("找不到用户名为“%(name)s”的用户。") % {"name": username})
    return user


class CounsellorForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    username = forms.CharField(label=_("用户名"), max_length=150, required=False)
    qualification = forms.ChoiceField(label=_("资质"), choices=Counsellor.Qualification.choices)
    languages = LanguagesField()
    home_area = forms.RegexField(label=_("所属区域代码"), regex=r"^[0-9]{2,12}$")
    area_codes = forms.CharField(
        label=_("服务区域代码"),
        max_length=500,
        help_text=_("一个或多个区划代码，用空格或逗号分隔，例如 330723101"),
    )
    capacity = forms.IntegerField(label=_("同时跟进上限"), min_value=1, max_value=200, initial=20)
    supervisor_username = forms.CharField(
        label=_("督导（用户名）"),
        max_length=150,
        required=False,
        help_text=_("须为辅导员库中在岗的另一位心理辅导员；督导可查看该辅导员的全部求助和辅导记录"),
    )
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    active = forms.BooleanField(label=_("在岗"), required=False, initial=True)

    def __init__(self, *args, creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["username"].required = True
        else:
            del self.fields["username"]

    def clean_username(self):
        return _user(self.cleaned_data.get("username"), _("用户名"))

    def clean_home_area(self):
        code = self.cleaned_data["home_area"]
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise forms.ValidationError(_("区划代码 %(code)s 不存在。") % {"code": code})
        return division

    def clean_area_codes(self):
        return _division_codes(self.cleaned_data["area_codes"])

    def clean_supervisor_username(self):
        return _user(self.cleaned_data.get("supervisor_username"), _("督导"))


class OwnProfileForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    languages = LanguagesField()
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    active = forms.BooleanField(label=_("在岗（接收新的求助）"), required=False)


class RequestFilterForm(Form):
    STATUS = [("", _("全部")), ("open", _("未结束")), *HelpRequest.Status.choices]
    box = forms.ChoiceField(
        label=_("范围"), choices=[("mine", _("我负责的")), ("supervised", _("我督导的"))], required=False
    )
    status = forms.ChoiceField(label=_("状态"), choices=STATUS, required=False)


class VersionForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReassignForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    counsellor = forms.ModelChoiceField(label=_("改派给"), queryset=Counsellor.objects.none())

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["counsellor"].queryset = choices
        self.fields["counsellor"].label_from_instance = lambda c: str(c)


class CloseForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Not required here: the service says what is missing, in the same words as the API.
    note = forms.CharField(
        label=_("结束说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionNoteForm(Form):
    held_on = forms.DateField(label=_("日期"), widget=DateInput(), required=False)
    mode = forms.ChoiceField(label=_("方式"), choices=SessionNote.Mode.choices)
    risk = forms.ChoiceField(label=_("风险评估"), choices=SessionNote.Risk.choices)
    text = forms.CharField(
        label=_("记录"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    next_on = forms.DateField(label=_("下次跟进"), widget=DateInput(), required=False)
