"""The admin writes only through vrhub.core.services, which audits every change.

Every model registered on the admin site is one of (tests/core/test_write_path.py checks this):

* audited: its ModelAdmin uses ``AuditedAdminMixin`` (saves, inline formsets, deletes and the bulk
  "delete selected" action are audited, old and new values);
* read-only: a record the admin may look at but not change (the audit trail itself, sign-in events,
  axes' access logs, the task queue's results);
* not registered: no use in vrhub's admin.

Third-party registrations are settled here (see ``_settle_third_party``):

* ``auth.Group``: unregistered. vrhub's permissions are roles on the user (accounts.User.role), not groups.
* ``axes.AccessAttempt``: audited. Deleting an attempt unlocks a locked-out person, a security decision
  (axes' own bulk "clean up expired attempts" action, which would bypass the audit, is removed).
* ``axes.AccessLog``, ``axes.AccessFailureLog``: read-only. They are the record of sign-in attempts.
* ``django_tasks_database.DBTaskResult``: read-only already (django_tasks_db's own admin); the queue's
  bookkeeping, whose writes are the worker's. vrhub's jobs (jobs.Job) are audited by jobs.services.
* ``otp_totp.TOTPDevice``, ``otp_static.StaticDevice`` (with its ``StaticToken`` inline): audited, with
  secrets (keys, tokens) recorded only as set. Removing a device resets someone's second factor.
"""

from django.contrib import admin

from vrhub.core.models import AuditEntry


class ReadOnlyAdminMixin:
    """A record to look at, never to change, in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "field", "old", "new")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "field", "old", "new")


class AuditedAdminMixin:
    """Admin edits are changes too: every save, inline change, delete and bulk delete goes through
    vrhub.core.services, which records each changed field, old and new, like the domain services do."""

    def save_model(self, request, obj, form, change):
        from vrhub.core.services import admin_object_save

        admin_object_save(actor=request.user, obj=obj, form=form, change=change)

    def save_formset(self, request, form, formset, change):
        from vrhub.core.services import admin_formset_save

        admin_formset_save(actor=request.user, formset=formset)

    def delete_model(self, request, obj):
        from vrhub.core.services import admin_objects_delete

        admin_objects_delete(actor=request.user, objects=[obj])

    def delete_queryset(self, request, queryset):
        from vrhub.core.services import admin_objects_delete

        admin_objects_delete(actor=request.user, objects=queryset)


def _settle_third_party(site: admin.AdminSite) -> None:
    """Replace third-party apps' registrations as the module docstring says. Their admin modules are
    imported here first, so this runs after they register whatever the order of autodiscovery."""
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    replacements = {
        # Without axes' "clean up expired attempts" action, which deletes past the audit.
        AccessAttempt: type("AccessAttemptAdmin", (AuditedAdminMixin, AccessAttemptAdmin), {"actions": []}),
        AccessLog: type("AccessLogAdmin", (ReadOnlyAdminMixin, AccessLogAdmin), {}),
        AccessFailureLog: type("AccessFailureLogAdmin", (ReadOnlyAdminMixin, AccessFailureLogAdmin), {}),
        TOTPDevice: type("TOTPDeviceAdmin", (AuditedAdminMixin, TOTPDeviceAdmin), {}),
        StaticDevice: type("StaticDeviceAdmin", (AuditedAdminMixin, StaticDeviceAdmin), {}),
    }
    for model, model_admin in replacements.items():
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, model_admin)
    if site.is_registered(Group):
        site.unregister(Group)


_settle_third_party(admin.site)
