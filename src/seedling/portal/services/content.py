"""The portal's content (帮助文章, 求助热线), kept by users with Action.CONTENT.

Articles are the same for the whole country: any content manager writes and publishes them. A
hotline belongs to an area: a county officer keeps the lines of the county and below, a province
officer the province's; nationwide lines (no area) only a national officer or the system administrator.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from seedling.accounts.roles import Action
from seedling.core.audit import audit_log
from seedling.core.locking import save_versioned
from seedling.core.models import AccessLog
from seedling.core.scope import user_may
from seedling.geo.models import Division

from .. import rules
from ..models import HelpArticle, Hotline, Topic

TITLE_MAX = 200
BODY_MAX = 20000
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def may_manage_content(user) -> bool:
    """Whether the user keeps portal content anywhere (articles; hotlines within their areas)."""
    return bool(user is not None and user.is_authenticated and user.area_prefixes(Action.CONTENT))


def may_manage_nationwide(user) -> bool:
    """Nationwide hotlines: national officers and system administrators (a CONTENT membership at "")."""
    return may_manage_content(user) and "" in user.area_prefixes(Action.CONTENT)


def _require_content(user) -> None:
    if not may_manage_content(user):
        raise PermissionDenied


def _text(fields: dict, name: str) -> str:
    return str(fields.get(name) or "").strip()


def _order(value) -> int | None:
    """The sort order as typed (a number or digits; empty means 100), None when it is not a number."""
    if value in (None, ""):
        return 100
    if isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _slug_taken(slug: str, article: HelpArticle | None) -> bool:
    others = HelpArticle.objects.filter(slug=slug)
    if article is not None:
        others = others.exclude(pk=article.pk)
    return others.exists()


def _article_errors(values: dict, article: HelpArticle | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    slug = values["slug"]
    if not slug:
        errors["slug"] = _("请填写网址标识（小写英文字母、数字和短横线），或填写英文标题以自动生成。")
    elif len(slug) > 80 or not _SLUG.match(slug):
        errors["slug"] = _("网址标识只能包含小写英文字母、数字和短横线，最多 80 个字符，例如 sleep-well。")
    elif _slug_taken(slug, article):
        errors["slug"] = _("网址标识“%(slug)s”已被另一篇文章使用，请换一个。") % {"slug": slug}
    if values["topic"] not in Topic.values:
        errors["topic"] = _("请选择主题。")
    if values["audience"] not in HelpArticle.Audience.values:
        errors["audience"] = _("请选择读者。")
    for name, label in (("title_zh", _("中文标题")), ("title_en", _("英文标题"))):
        if not values[name]:
            errors[name] = _("请填写%(label)s。") % {"label": label}
        elif len(values[name]) > TITLE_MAX:
            errors[name] = _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": TITLE_MAX}
    for name, label in (("body_zh", _("中文正文")), ("body_en", _("英文正文"))):
        if not values[name]:
            errors[name] = _("请填写%(label)s。") % {"label": label}
        elif len(values[name]) > BODY_MAX:
            errors[name] = _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": BODY_MAX}
    if not isinstance(values["order"], int) or not 0 <= values["order"] <= 32767:
        errors["order"] = _("排序必须是 0 到 32767 之间的整数。")
    return errors


@transaction.atomic
def article_save(
    *, user, fields: dict, article: HelpArticle | None = None, expected_version: int | None = None
) -> HelpArticle:
    """Write a new article or edit one (a stale edit is refused: core.locking.StaleEdit).

    The body is plain text (paragraphs separated by blank lines); pages escape it, so no HTML gets
    through. Publishing is a separate step (article_publish). Raises ValidationError by field.
    """
    _require_content(user)
    values: dict = {
        "slug": _text(fields, "slug").lower(),
        "topic": _text(fields, "topic"),
        "audience": _text(fields, "audience") or HelpArticle.Audience.ALL,
        "title_zh": _text(fields, "title_zh"),
        "title_en": _text(fields, "title_en"),
        "body_zh": _text(fields, "body_zh").replace("\r\n", "\n"),
        "body_en": _text(fields, "body_en").replace("\r\n", "\n"),
        "order": _order(fields.get("order")),
    }
    if not values["slug"] and values["title_en"]:
        values["slug"] = slugify(str(values["title_en"]))[:80].strip("-")
    errors = _article_errors(values, article)
    if errors:
        raise ValidationError(errors)
    if article is None:
        article = HelpArticle.objects.create(author=user, **values)
        audit_log(user=user, action=AccessLog.Action.CREATE, obj=article)
        return article
    if expected_version is None:
        raise ValidationError({"version": _("缺少版本号，请重新打开页面再保存。")})
    for name, value in values.items():
        setattr(article, name, value)
    save_versioned(article, expected_version=expected_version)
    audit_log(user=user, action=AccessLog.Action.CHANGE, obj=article)
    return article


@transaction.atomic
def article_publish(*, user, article: HelpArticle, published: bool, expected_version: int) -> HelpArticle:
    """Publish an article (children and guardians see it at once) or take it back to draft."""
    _require_content(user)
    article.published = bool(published)
    save_versioned(article, expected_version=expected_version)
    audit_log(user=user, action=AccessLog.Action.CHANGE, obj=article, detail={"published": article.published})
    return article


def _hotline_errors(values: dict, area_code: str, user) -> tuple[dict[str, str], Division | None]:
    errors: dict[str, str] = {}
    for name, label in (("name_zh", _("中文名称")), ("name_en", _("英文名称"))):
        if not values[name]:
            errors[name] = _("请填写%(label)s。") % {"label": label}
        elif len(values[name]) > 100:
            errors[name] = _("%(label)s不能超过 100 个字。") % {"label": label}
    if not values["number"]:
        errors["number"] = _("请填写号码。")
    elif not rules.phone_number_valid(values["number"]):
        errors["number"] = _("号码只能包含数字和短横线（-），长度 3 到 20 位，例如 12355 或 0579-87654321。")
    for name in ("hours_zh", "hours_en"):
        if len(values[name]) > 100:
            errors[name] = _("服务时间不能超过 100 个字。")
    if not isinstance(values["order"], int) or not 0 <= values["order"] <= 32767:
        errors["order"] = _("排序必须是 0 到 32767 之间的整数。")
    area = None
    if not area_code:
        if not may_manage_nationwide(user):
            errors["area"] = _("全国热线只能由国家级民政干部或系统管理员设置；请填写本辖区的区划代码。")
    else:
        area = Division.objects.filter(code=area_code).first()
        if area is None:
            errors["area"] = _("区划代码 %(code)s 不存在。") % {"code": area_code}
        elif not user_may(user, Action.CONTENT, area.code):
            errors["area"] = _("您只能设置本辖区及下级区域的热线。")
    return errors, area


@transaction.atomic
def hotline_save(
    *,
    user,
    fields: dict,
    area_code: str = "",
    hotline: Hotline | None = None,
    expected_version: int | None = None,
) -> Hotline:
    """Add or edit a hotline of an area within the user's CONTENT scope ("" = nationwide).

    Raises ValidationError by field (number: digits and dashes, 3–20 characters) and StaleEdit.
    """
    _require_content(user)
    if hotline is not None and not _may_keep(user, hotline):
        raise PermissionDenied
    values: dict = {
        "name_zh": _text(fields, "name_zh"),
        "name_en": _text(fields, "name_en"),
        "number": _text(fields, "number"),
        "hours_zh": _text(fields, "hours_zh"),
        "hours_en": _text(fields, "hours_en"),
        "order": _order(fields.get("order")),
        "active": bool(fields.get("active", True)),
    }
    errors, area = _hotline_errors(values, (area_code or "").strip(), user)
    if errors:
        raise ValidationError(errors)
    if hotline is None:
        hotline = Hotline.objects.create(area=area, **values)
        audit_log(user=user, action=AccessLog.Action.CREATE, obj=hotline, area_code=area.code if area else "")
        return hotline
    if expected_version is None:
        raise ValidationError({"version": _("缺少版本号，请重新打开页面再保存。")})
    for name, value in values.items():
        setattr(hotline, name, value)
    hotline.area = area
    save_versioned(hotline, expected_version=expected_version)
    audit_log(user=user, action=AccessLog.Action.CHANGE, obj=hotline, area_code=area.code if area else "")
    return hotline


def _may_keep(user, hotline: Hotline) -> bool:
    if hotline.area_id is None:
        return may_manage_nationwide(user)
    return user_may(user, Action.CONTENT, hotline.area_id)
