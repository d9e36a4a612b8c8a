"""Forms of the portal. They collect input; the rules are checked once, in portal.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seedling.registry.forms import BootstrapMixin

from . import rules
from .models import HelpArticle, PortalInvitation, Topic

# Languages a counsellor may speak (counselling.Counsellor.languages): putonghua, English, and the
# minority languages by ISO 639 code.
TALK_LANGUAGES = [
    ("zh", _("普通话（中文）")),
    ("en", "English"),
    ("ug", _("维吾尔语")),
    ("bo", _("藏语")),
    ("mn", _("蒙古语")),
    ("ii", _("彝语")),
    ("za", _("壮语")),
    ("ko", _("朝鲜语")),
]


class Form(BootstrapMixin, forms.Form):
    pass


class ProfileForm(Form):
    """Who is doing the self-check: a child (with an age) or a parent/carer."""

    who = forms.ChoiceField(
        label=_("我是"),
        choices=[(rules.CHILD, _("孩子或青少年")), (rules.GUARDIAN, _("家长或照料孩子的大人"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择你是孩子还是家长。")},
    )
    age = forms.TypedChoiceField(
        label=_("我今年几岁"),
        choices=[("", _("请选择")), *[(str(a), str(a)) for a in rules.AGES]],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("who") == rules.CHILD and data.get("age") is None:
            self.add_error("age", _("请选择你的年龄，我们好推荐适合你的自测。"))
        return data


class TalkForm(Form):
    """ "Talk to a counsellor": who you are, what you want to say, how to reach you (all optional)."""

    requester = forms.ChoiceField(
        label=_("我是"),
        choices=[("child", _("孩子或青少年")), ("guardian", _("家长或监护人"))],
        widget=forms.RadioSelect,
        initial="child",
        error_messages={"required": _("请选择你是孩子还是家长。")},
    )
    message = forms.CharField(
        label=_("你想说的话"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("发生了什么，你希望得到什么帮助。写多写少都可以。"),
    )
    contact_name = forms.CharField(label=_("怎么称呼你（可以用昵称，可不填）"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("怎么联系你（电话、QQ 或微信，可不填）"),
        max_length=50,
        required=False,
        help_text=_("留下联系方式，心理辅导员才能联系你；不留也可以，请记下下面的求助电话。"),
    )
    language = forms.ChoiceField(label=_("希望用什么语言交流"), choices=TALK_LANGUAGES)
    not_safe = forms.BooleanField(label=_("我现在不安全"), required=False)
    share_check = forms.BooleanField(label=_("把我刚才的自测结果也发给心理辅导员"), required=False)
    check = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        sends_check = data.get("share_check") and data.get("check")
        if not (data.get("message") or "").strip() and not data.get("not_safe") and not sends_check:
            self.add_error("message", _("请写下你想说的话，或者勾选“我现在不安全”。"))
        return data


class SigninForm(Form):
    code = forms.CharField(
        label=_("邀请码"),
        max_length=20,
        error_messages={"required": _("请输入邀请码。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("8 位字母和数字，老师或儿童主任给你的，例如 ABCD-2345。"),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if rules.invitation_code_normalize(code) is None:
            raise forms.ValidationError(_("邀请码是 8 位字母和数字（不含 0、O、1、I、L），请检查后再输入。"))
        return code


class ArticleForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title_zh = forms.CharField(label=_("标题（中文）"), max_length=200)
    title_en = forms.CharField(label=_("标题（英文）"), max_length=200)
    slug = forms.CharField(
        label=_("网址标识"),
        max_length=80,
        required=False,
        help_text=_("小写英文字母、数字和短横线；不填则由英文标题生成。"),
    )
    topic = forms.ChoiceField(label=_("主题"), choices=Topic.choices)
    audience = forms.ChoiceField(label=_("读者"), choices=HelpArticle.Audience.choices)
    body_zh = forms.CharField(
        label=_("正文（中文）"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("纯文本，段落之间空一行；不支持 HTML。"),
    )
    body_en = forms.CharField(label=_("正文（英文）"), widget=forms.Textarea(attrs={"rows": 12}))
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=100, required=False)


class PublishForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    published = forms.BooleanField(required=False, widget=forms.HiddenInput)


class HotlineForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.CharField(
        label=_("区域代码"),
        max_length=12,
        required=False,
        help_text=_("本辖区或下级区域的区划代码，例如 330723；留空表示全国热线（仅限国家级）。"),
    )
    name_zh = forms.CharField(label=_("名称（中文）"), max_length=100)
    name_en = forms.CharField(label=_("名称（英文）"), max_length=100)
    number = forms.CharField(
        label=_("号码"), max_length=30, help_text=_("数字和短横线，3 到 20 位，例如 0579-87654321。")
    )
    hours_zh = forms.CharField(label=_("服务时间（中文）"), max_length=100, required=False)
    hours_en = forms.CharField(label=_("服务时间（英文）"), max_length=100, required=False)
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=100, required=False)
    active = forms.BooleanField(label=_("有效（在自助服务平台显示）"), required=False, initial=True)


class InvitationForm(Form):
    holder = forms.ChoiceField(label=_("给谁使用"), choices=PortalInvitation.Holder.choices)
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=365, initial=90)
