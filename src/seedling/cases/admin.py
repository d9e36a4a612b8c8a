"""Admin: only the organizations directory and its users. Cases, approvals, transfers and referrals
hold children's data and are reached through the scoped pages and API only (system administrators do
not open children's files)."""

from django.contrib import admin

from seedling.accounts.admin import SysadminAccess

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(SysadminAccess, admin.ModelAdmin):
    list_display = ["name", "kind", "nationwide", "active"]
    list_filter = ["kind", "active", "nationwide"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    autocomplete_fields = []
    raw_id_fields = ["areas"]
    readonly_fields = ["version", "created_by"]
