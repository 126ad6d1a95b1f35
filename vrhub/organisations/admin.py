from django.contrib import admin

from vrhub.core.admin import AuditedAdminMixin
from vrhub.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "code", "vru", "bcu")
    list_filter = ("kind", "vru")
    search_fields = ("name", "code")
