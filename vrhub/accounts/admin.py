from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction

from vrhub.accounts.models import SignInEvent, User
from vrhub.core.admin import AuditedAdminMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "office", "is_active")
    list_filter = ("role", "office", "organisation__kind")
    fieldsets = BaseUserAdmin.fieldsets + (("vrhub", {"fields": ("organisation", "role", "office")}),)

    def user_change_password(self, request, id, form_url=""):
        """The admin's "change password" page saves the form itself, not through save_model: audit it here,
        in the same transaction (the password is never recorded, only that an administrator set it)."""
        from vrhub.core.audit import audit_changes

        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=id).first()
            # Only what happened: a refused form (say, conflicting buttons) changes nothing and records nothing.
            if request.method == "POST" and user is not None and user.password != before:
                done = "set by an administrator" if user.has_usable_password() else "disabled by an administrator"
                audit_changes(actor=request.user, obj=user, changes={"password": ("", done)})
        return response


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
