from django.contrib import admin

from vrhub.core.admin import AuditedAdminMixin
from vrhub.plans.models import PlanTemplate, TemplateAction, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(PlanTemplate)
class PlanTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "vru", "year", "published", "submission_deadline")
    list_filter = ("vru", "published")
    inlines = [ThemeInline]


class TemplateActionInline(admin.TabularInline):
    model = TemplateAction
    extra = 0


@admin.register(Theme)
class ThemeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "code", "template", "order")
    list_filter = ("template",)
    inlines = [TemplateActionInline]
