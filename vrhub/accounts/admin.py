from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from vrhub.accounts.models import SignInEvent, User
from vrhub.core.admin import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "office", "is_active")
    list_filter = ("role", "office", "organisation__kind")
    fieldsets = BaseUserAdmin.fieldsets + (("vrhub", {"fields": ("organisation", "role", "office")}),)


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """The sign-in record, read-only: every VRU's, and failed sign-ins for usernames that do not exist."""

    list_display = ("at", "username", "user", "outcome", "ip_address")
    list_filter = ("outcome",)
    search_fields = ("username", "ip_address")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
