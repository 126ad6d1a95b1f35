from django.contrib import admin

from vrhub.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "vru", "bcu")
    list_filter = ("kind", "vru")
    search_fields = ("name", "code")
