"""Admin for mandatory reporting: the police and civil-affairs contacts of each area, and a read-only
list of reports for operations (no child's name, description or reporter: administrators do not
read children's files). No report can be added, changed or deleted here, singly or in bulk.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seedling.accounts.admin import managed_prefixes, may_use_admin
from seedling.core.scope import area_q

from .models import MandatoryReport, ReportContact


def _within(prefixes: list[str], field: str) -> Q:
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= area_q(field, prefix)
    return condition


class ReportContactForm(forms.ModelForm):
    class Meta:
        model = ReportContact
        fields = ["area_prefix", "kind", "name", "phone", "users", "is_active"]

    def __init__(self, *args, manager=None, **kwargs):
        self.manager = manager
        super().__init__(*args, **kwargs)

    def clean_area_prefix(self):
        prefix = self.cleaned_data.get("area_prefix", "")
        prefixes = managed_prefixes(self.manager) if self.manager is not None else None
        if prefixes is not None and not prefix.startswith(tuple(prefixes)):
            raise forms.ValidationError(gettext("您只能为自己管理的区域配置接报单位。"))
        return prefix


@admin.register(ReportContact)
class ReportContactAdmin(admin.ModelAdmin):
    form = ReportContactForm
    list_display = ["name", "kind", "area_prefix", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "area_prefix"]
    raw_id_fields = ["users"]

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_add_permission(self, request):
        return may_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        # A contact reports were routed to stays (PROTECT); deactivate it instead.
        return may_use_admin(request.user) and (obj is None or not obj.routings.exists())

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        prefixes = managed_prefixes(request.user)
        if prefixes is None:
            return qs
        return qs.filter(_within(prefixes, "area_prefix"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ManagedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, manager=request.user, **kw)

        return ManagedForm


@admin.register(MandatoryReport)
class MandatoryReportAdmin(admin.ModelAdmin):
    list_display = ["id", "situation", "area", "status", "created_at", "ack_due_at", "escalated_at"]
    list_filter = ["status", "situation"]
    fields = ["id", "situation", "area", "status", "created_at", "ack_due_at", "escalated_at"]
    readonly_fields = fields
    actions = None  # no bulk actions at all, so no "delete selected"

    @admin.display(description=_("区域"))
    def area(self, obj):
        return obj.child.area_id

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("child")
        prefixes = managed_prefixes(request.user)
        if prefixes is None:
            return qs
        return qs.filter(_within(prefixes, "child__area"))

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
