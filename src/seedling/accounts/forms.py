"""The sign-in form in our words and for small phones (allauth's form, relabelled)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("用户名")
        # Phones capitalise and autocorrect the first word; usernames are case-sensitive.
        login.widget.attrs.update(
            {"placeholder": "", "autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
        )
        password = self.fields["password"]
        password.label = _("密码")
        # Accounts have no e-mail address, so allauth's "forgot your password?" link leads nowhere.
        password.help_text = ""
        password.widget.attrs["placeholder"] = ""
