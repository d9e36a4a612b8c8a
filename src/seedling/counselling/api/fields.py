"""Field helpers of the counselling API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from seedling.accounts.models import User

from ..services import LANGUAGE_CODES


class UsernameField(serializers.SlugRelatedField):
    """A person given by username."""

    default_error_messages = {"does_not_exist": _("用户 {value} 不存在。"), "invalid": _("用户名无效。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)


def languages_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CODES),
        allow_empty=False,
        help_text=_("服务语言代码，如 zh、ug、bo"),
        **kwargs,
    )


def person_name(user) -> str | None:
    if user is None:
        return None
    return user.full_name or user.username
