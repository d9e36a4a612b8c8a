"""Forms of the school pages. They collect input; every rule is checked once, in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seedling.geo.models import Division
from seedling.registry.forms import BootstrapMixin, DateInput

from .models import EducationActivity, School, SchoolClass, Student


class Form(BootstrapMixin, forms.Form):
    pass


class DivisionCodeField(forms.RegexField):
    def __init__(self, **kwargs):
        super().__init__(regex=r"^[0-9]{2,12}$", **kwargs)
        self.error_messages["invalid"] = _("区划代码须为 2 到 12 位数字。")

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        division = Division.objects.filter(code=code).first()
        if division is None:
            raise forms.ValidationError(_("区划代码 %(code)s 不存在。") % {"code": code})
        return division


class SchoolFilterForm(Form):
    q = forms.CharField(label=_("名称或标识码"), max_length=50, required=False)
    pilot = forms.NullBooleanField(
        label=_("试点学校"),
        required=False,
        widget=forms.Select(choices=[("", _("全部")), ("true", _("试点学校")), ("false", _("非试点"))]),
    )
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *School.Kind.choices], required=False)
    area = forms.RegexField(label=_("区划代码"), regex=r"^[0-9]{2,12}$", required=False)


class SchoolForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("学校名称"), max_length=100)
    code = forms.CharField(
        label=_("学校标识码"), max_length=10, required=False, help_text=_("教育部 10 位学校标识码，可不填")
    )
    kind = forms.ChoiceField(label=_("学校类型"), choices=School.Kind.choices)
    area = DivisionCodeField(
        label=_("所在区域（区划代码）"), help_text=_("乡镇 9 位或村 12 位代码，例如 330723101")
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    pilot = forms.BooleanField(label=_("心理健康试点学校"), required=False)
    pilot_since = forms.DateField(label=_("试点开始日期"), widget=DateInput(), required=False)
    active = forms.BooleanField(label=_("有效"), required=False, initial=True)


class ClassForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    school_year = forms.IntegerField(
        label=_("学年（起始年份）"), help_text=_("例如 2024 表示 2024—2025 学年")
    )
    grade = forms.IntegerField(label=_("年级"), help_text=_("小学 1–6，初中 7–9，高中 10–12"))
    name = forms.CharField(label=_("班级名称"), max_length=30)
    head_teacher = forms.CharField(label=_("班主任"), max_length=50, required=False)


class StudentForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("姓名"), max_length=64)
    sex = forms.ChoiceField(label=_("性别"), choices=[("", _("未填")), *Student.Sex.choices], required=False)
    birth_date = forms.DateField(label=_("出生日期"), widget=DateInput(), required=False)
    student_number = forms.CharField(label=_("学号"), max_length=30, required=False)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        required=False,
        help_text=_("可不填；只保存用于匹配儿童档案的加密索引和掩码"),
    )


class ImportForm(Form):
    file = forms.FileField(label=_("名单文件（.xlsx 或 .csv）"))


class ActivityForm(Form):
    held_on = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("活动类型"), choices=EducationActivity.Kind.choices)
    audience = forms.ChoiceField(label=_("对象"), choices=EducationActivity.Audience.choices)
    title = forms.CharField(label=_("主题"), max_length=200)
    participants = forms.IntegerField(label=_("参加人数"), min_value=0, initial=0)
    school_class = forms.ModelChoiceField(
        label=_("班级"), queryset=SchoolClass.objects.none(), required=False
    )
    notes = forms.CharField(label=_("记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if classes is not None:
            self.fields["school_class"].queryset = classes
