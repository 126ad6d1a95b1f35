from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from vrhub.accounts.models import User
from vrhub.core.admin import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "office", "is_active")
    list_filter = ("role", "office", "organisation__kind")
    fieldsets = BaseUserAdmin.fieldsets + (("vrhub", {"fields": ("organisation", "role", "office")}),)
