"""Admin of visit frequencies (走访频次): national defaults and provincial (or lower) overrides.

System administrators edit them like the other settings of the admin; one placed at an area edits
only the frequencies of prefixes inside it. The periodic job applies a change within the hour.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from seedling.accounts.admin import SysadminAccess, managed_prefixes
from seedling.geo.models import Division

from .models import VisitFrequency, VisitSweep


class VisitFrequencyForm(forms.ModelForm):
    class Meta:
        model = VisitFrequency
        fields = ["area_prefix", "category", "interval_days", "basis"]

    def __init__(self, *args, manager=None, **kwargs):
        self.manager = manager
        super().__init__(*args, **kwargs)

    def clean_area_prefix(self):
        prefix = (self.cleaned_data.get("area_prefix") or "").strip()
        if prefix and not Division.objects.filter(code=prefix).exists():
            raise forms.ValidationError(gettext("区划代码 %(code)s 不存在。") % {"code": prefix})
        allowed = managed_prefixes(self.manager) if self.manager is not None else None
        if allowed is not None and not any(prefix.startswith(p) and prefix for p in allowed):
            raise forms.ValidationError(gettext("您只能设置自己管理区域内的走访频次。"))
        return prefix


@admin.register(VisitFrequency)
class VisitFrequencyAdmin(SysadminAccess, admin.ModelAdmin):
    form = VisitFrequencyForm
    list_display = ["area_label", "category", "interval_days", "basis", "updated_at"]
    list_filter = ["category"]
    search_fields = ["area_prefix"]

    @admin.display(description=_("区域"), ordering="area_prefix")
    def area_label(self, obj):
        if not obj.area_prefix:
            return gettext("全国默认")
        division = Division.objects.filter(code=obj.area_prefix).first()
        return f"{obj.area_prefix} {division.name if division else ''}".strip()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        prefixes = managed_prefixes(request.user)
        if prefixes is None:
            return qs
        from django.db.models import Q

        condition = Q(pk__in=[])
        for prefix in prefixes:
            condition |= Q(area_prefix__startswith=prefix) & ~Q(area_prefix="")
        return qs.filter(condition)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ManagedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, manager=request.user, **kw)

        return ManagedForm


@admin.register(VisitSweep)
class VisitSweepAdmin(SysadminAccess, admin.ModelAdmin):
    """Runs of the daily recomputation: when, what changed, how long (read only)."""

    list_display = ["day", "started_at", "statuses_created", "due_dates_changed", "alerts_changed", "seconds"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
