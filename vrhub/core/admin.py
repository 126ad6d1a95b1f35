from django.contrib import admin

from vrhub.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "field", "old", "new")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "field", "old", "new")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Admin edits are changes too: record each changed field, old and new, like the services do."""

    def save_model(self, request, obj, form, change):
        from vrhub.core.audit import audit_changes, audit_created

        if change:
            changes = {
                f: (form.initial.get(f), form.cleaned_data.get(f)) for f in form.changed_data if "password" not in f
            }
            super().save_model(request, obj, form, change)
            if changes:
                audit_changes(actor=request.user, obj=obj, changes=changes)
        else:
            super().save_model(request, obj, form, change)
            audit_created(
                actor=request.user,
                obj=obj,
                fields=[f for f in form.cleaned_data if hasattr(obj, f) and "password" not in f],
            )

    def delete_model(self, request, obj):
        from vrhub.core.audit import audit_deleted

        audit_deleted(actor=request.user, obj=obj)
        super().delete_model(request, obj)
