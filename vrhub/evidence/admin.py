from django.contrib import admin

from vrhub.core.admin import ReadOnlyAdminMixin
from vrhub.evidence.models import EvidenceLoad


@admin.register(EvidenceLoad)
class EvidenceLoadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of evidence loads, read-only: loads are made from the upload page or the load_* commands."""

    list_display = ("loaded_at", "kind", "via", "loaded_by", "command_user", "rows", "loaded", "rejected")
    list_filter = ("kind", "via")
    date_hierarchy = "loaded_at"
