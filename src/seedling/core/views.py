"""The access-log page (访问日志): auditors review who read or changed which file, when and why."""

import json

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audit import row_intact, verification_last
from .models import AccessLog
from .selectors import access_log_list, area_names, audit_child_id, user_may_audit

PAGE_SIZE = 50


class AccessLogFilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(
        label=gettext_lazy("操作"),
        required=False,
        choices=[("", gettext_lazy("全部操作")), *AccessLog.Action.choices],
    )
    username = forms.CharField(label=gettext_lazy("用户名"), required=False, max_length=150)
    child = forms.UUIDField(
        label=gettext_lazy("儿童编号"),
        required=False,
        error_messages={"invalid": gettext_lazy("请输入有效的儿童编号（档案页地址中的 UUID）。")},
    )
    area = forms.RegexField(
        label=gettext_lazy("区划代码前缀"),
        required=False,
        regex=r"^[0-9]{1,12}$",
        error_messages={"invalid": gettext_lazy("区划代码前缀应为 1 至 12 位数字。")},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data


def _object_label(object_type: str) -> str:
    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def _detail_text(detail: dict) -> str:
    if not detail:
        return ""
    if set(detail) == {"fields"}:
        return _("字段：%(fields)s") % {"fields": "、".join(detail["fields"]) or "—"}
    return json.dumps(detail, ensure_ascii=False, sort_keys=True)


def _filters(request, form) -> dict | None:
    """The valid filters; None when a child was asked for that the auditor may not see."""
    form.is_valid()  # invalid fields are left out of cleaned_data and shown as errors
    data = dict(getattr(form, "cleaned_data", {}))
    uuid = data.pop("child", None)
    if uuid:
        child_id = audit_child_id(user=request.user, uuid=uuid)
        if child_id is None:
            form.add_error("child", _("在您可审计的区域内没有这个儿童。"))
            return None
        data["child_id"] = child_id
    return {key: value for key, value in data.items() if value not in (None, "")}


@login_required
def audit_log_page(request):
    """The access log of the user's audit areas, newest first, with each row's chain status."""
    if not user_may_audit(request.user):
        return render(request, "core/forbidden.html", status=403)
    form = AccessLogFilterForm(request.GET or None)
    filters = _filters(request, form) if request.GET else {}
    rows = (
        access_log_list(user=request.user, filters=filters)
        if filters is not None
        else AccessLog.objects.none()
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    names = area_names(row.area_code for row in page)
    for row in page:
        row.chain_ok = row_intact(row)
        row.area_name = names.get(row.area_code, "")
        row.object_label = _object_label(row.object_type)
        row.detail_text = _detail_text(row.detail)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "unsealed": rows.filter(seq__isnull=True).count(),
            "page_broken": [row for row in page if row.chain_ok is False],
            "last_verification": verification_last(),
        },
    )
