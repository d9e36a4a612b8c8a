"""Staff pages that keep the portal's content (Action.CONTENT): help articles and hotlines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seedling.core.locking import StaleEdit

from .. import selectors, services
from ..forms import ArticleForm, HotlineForm, PublishForm


def _require_content(request) -> None:
    if not services.may_manage_content(request.user):
        raise PermissionDenied


@login_required
def manage(request):
    """Articles (drafts too) and the hotlines the user keeps; lines from above shown read-only."""
    _require_content(request)
    return render(
        request,
        "portal/manage/index.html",
        {
            "articles": selectors.article_manage_list(user=request.user),
            "hotlines": selectors.hotline_manage_list(user=request.user),
            "hotlines_above": selectors.hotlines_above(user=request.user),
            "nationwide": services.may_manage_nationwide(request.user),
        },
    )


def _article_initial(article) -> dict:
    names = ["version", "title_zh", "title_en", "slug", "topic", "audience", "body_zh", "body_en", "order"]
    return {name: getattr(article, name) for name in names}


@login_required
def article_edit(request, pk=None):
    """Write (pk None) or edit an article; a stale edit is refused with the other person's text shown."""
    _require_content(request)
    article = selectors.article_manage_get(user=request.user, pk=pk) if pk else None
    initial = _article_initial(article) if article else {"order": 100}
    form = ArticleForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            article = services.article_save(
                user=request.user, fields=data, article=article, expected_version=version
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            stale = exc.current
            form.add_error(
                None, _("这篇文章在您打开之后已被他人修改。下面是最新内容，请核对后重新编辑保存。")
            )
        else:
            messages.success(request, _("已保存。"))
            return redirect("portal:manage")
    status = 400 if form.is_bound and (form.errors or stale) else 200
    return render(
        request,
        "portal/manage/article_form.html",
        {"form": form, "article": article, "stale": stale},
        status=status,
    )


@login_required
@require_POST
def article_publish(request, pk):
    """Publish an article or take it back to a draft (the version read must still be current)."""
    _require_content(request)
    article = selectors.article_manage_get(user=request.user, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求缺少版本号，请刷新页面后再试。"))
        return redirect("portal:manage")
    try:
        services.article_publish(
            user=request.user,
            article=article,
            published=form.cleaned_data["published"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit:
        messages.error(request, _("这篇文章在您打开页面之后已被他人修改，请查看最新状态后再操作。"))
    else:
        if article.published:
            messages.success(request, _("已发布：儿童和家长现在可以看到这篇文章。"))
        else:
            messages.success(request, _("已撤回为草稿：自助服务平台上不再显示这篇文章。"))
    return redirect("portal:manage")


def _hotline_initial(hotline) -> dict:
    names = ["version", "name_zh", "name_en", "number", "hours_zh", "hours_en", "order", "active"]
    return {**{name: getattr(hotline, name) for name in names}, "area": hotline.area_id or ""}


@login_required
def hotline_edit(request, pk=None):
    """Add (pk None) or edit a hotline of an area in the user's scope."""
    _require_content(request)
    hotline = selectors.hotline_manage_get(user=request.user, pk=pk) if pk else None
    initial = _hotline_initial(hotline) if hotline else {"order": 100, "active": True}
    form = HotlineForm(request.POST if request.method == "POST" else None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, area = data.pop("version"), data.pop("area")
        try:
            services.hotline_save(
                user=request.user, fields=data, area_code=area, hotline=hotline, expected_version=version
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except StaleEdit as exc:
            stale = exc.current
            form.add_error(None, _("这条热线在您打开之后已被他人修改。下面是最新内容，请核对后重新保存。"))
        else:
            messages.success(request, _("已保存。"))
            return redirect("portal:manage")
    status = 400 if form.is_bound and (form.errors or stale) else 200
    return render(
        request,
        "portal/manage/hotline_form.html",
        {
            "form": form,
            "hotline": hotline,
            "stale": stale,
            "nationwide": services.may_manage_nationwide(request.user),
        },
        status=status,
    )
