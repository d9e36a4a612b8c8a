"""Django admin for users and their memberships (用户与成员资格).

Only superusers and staff members holding the system-administrator role may use the admin. A system
administrator placed at an area manages the users who hold a role inside that area; only superusers
grant superuser status, groups and permissions, or delete users (deactivate them instead).
"""

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Membership, User
from .roles import Action, Role
from .services import user_mfa_reset


def may_use_admin(user) -> bool:
    return bool(user.is_active and user.is_staff and (user.is_superuser or user.has_role(Role.SYSADMIN)))


def managed_prefixes(user) -> list[str] | None:
    """Area prefixes whose users `user` manages; None means every user."""
    if user.is_superuser:
        return None
    prefixes = user.area_prefixes(Action.MANAGE_USERS)
    return None if "" in prefixes else prefixes


def _in_prefixes_q(field: str, prefixes: list[str]) -> Q:
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


# Sign-in to the admin goes through allauth, so lockout and the second factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.has_permission = lambda request: may_use_admin(request.user)
admin.site.site_header = _("小苗 · 系统管理")
admin.site.site_title = _("小苗")
admin.site.index_title = _("用户与系统设置")


class SysadminAccess:
    """System administrators manage users without Django model permissions; deleting is for superusers."""

    def has_module_permission(self, request):
        return may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_add_permission(self, request, *args):
        return may_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "area", "is_active"]

    def __init__(self, *args, manager=None, **kwargs):
        self.manager = manager
        super().__init__(*args, **kwargs)

    def clean_area(self):
        area = self.cleaned_data.get("area")
        prefixes = managed_prefixes(self.manager) if self.manager is not None else None
        if prefixes is not None and (area is None or not area.code.startswith(tuple(prefixes))):
            raise forms.ValidationError(gettext("您只能在自己管理的区域内分配角色。"))
        return area


class MembershipInline(SysadminAccess, admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 1
    # Divisions number in the hundreds of thousands: type the code instead of scrolling a list.
    raw_id_fields = ["area"]
    fields = ["role", "area", "is_active"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("area")
        prefixes = managed_prefixes(request.user)
        return qs if prefixes is None else qs.filter(_in_prefixes_q("area__code", prefixes))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        form = formset.form

        class ManagedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, manager=request.user, **kw)

        formset.form = ManagedForm
        return formset


@admin.register(User)
class UserAdmin(SysadminAccess, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "roles", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["username", "full_name"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "phone", "email")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    actions = ["reset_mfa"]

    @admin.display(description=_("角色"))
    def roles(self, obj):
        return "；".join(str(m) for m in obj.memberships.all() if m.is_active)

    def get_queryset(self, request):
        qs = super().get_queryset(request).prefetch_related("memberships__area")
        if not request.user.is_superuser:
            # Whoever could reset a superuser's password would be one.
            qs = qs.filter(is_superuser=False)
        prefixes = managed_prefixes(request.user)
        if prefixes is None:
            return qs
        return qs.filter(_in_prefixes_q("memberships__area__code", prefixes)).distinct()

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    @admin.action(description=_("重置两步验证（手机丢失时）"), permissions=["change"])
    def reset_mfa(self, request, queryset):
        users = list(queryset)
        for user in users:
            user_mfa_reset(user=user, by=request.user)
        self.message_user(
            request,
            gettext("已重置 %(n)s 个用户的两步验证；他们下次登录时须重新设置。") % {"n": len(users)},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(SysadminAccess, admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "role", "area", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name", "area__code", "area__name"]
    raw_id_fields = ["user", "area"]
    fields = ["user", "role", "area", "is_active"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("user", "area")
        prefixes = managed_prefixes(request.user)
        return qs if prefixes is None else qs.filter(_in_prefixes_q("area__code", prefixes))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ManagedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, manager=request.user, **kw)

        return ManagedForm
