from django import forms
from django.contrib import admin

from vrhub.core.admin import AuditedAdminMixin
from vrhub.organisations.models import Organisation
from vrhub.organisations.selectors import area_vru_change_refusal


class OrganisationAdminForm(forms.ModelForm):
    """The model's checks (ONS codes) run as for any ModelForm; moving an area that holds records to another
    VRU is refused as the areas page refuses it (organisations.selectors.area_vru_change_refusal)."""

    class Meta:
        model = Organisation
        fields = ["kind", "name", "code", "vru", "parent", "csp_code", "police_force", "bcu"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "vru" in self.changed_data:
            saved = Organisation.objects.get(pk=self.instance.pk)
            vru = cleaned.get("vru")
            refusal = area_vru_change_refusal(area=saved, vru_id=vru.pk if vru else None)
            if refusal:
                self.add_error("vru", refusal)
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "kind", "code", "csp_code", "vru", "police_force", "bcu")
    list_filter = ("kind", "vru")
    list_select_related = ("vru", "police_force", "bcu")
    search_fields = ("name", "code", "csp_code")
