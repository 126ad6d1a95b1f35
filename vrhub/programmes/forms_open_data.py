"""The funder profile form (how a VRU publishes its grants in the 360Giving Data Standard). It only shapes what
people type: every rule (identifier forms, limits, the stale-form check) is ``programmes.services.funder``'."""

from django import forms

from vrhub.programmes.catalogue import TITLE_MAX
from vrhub.programmes.models import FunderProfile
from vrhub.programmes.selectors.open_data import funder_profile_version
from vrhub.programmes.services.funder import FIELDS, IDENTIFIER_MAX


class FunderProfileForm(forms.Form):
    org_identifier = forms.CharField(
        label="Organisation identifier",
        max_length=IDENTIFIER_MAX,
        help_text="Your VRU's (or its host body's) identifier from org-id.guide, such as GB-GOR-PB123.",
        error_messages={"required": "Enter the organisation identifier"},
    )
    funder_name = forms.CharField(
        label="Name as funder",
        max_length=TITLE_MAX,
        help_text="The name published as the funder of each grant.",
        error_messages={"required": "Enter the name as funder"},
    )
    grant_prefix = forms.CharField(
        label="360Giving prefix",
        max_length=IDENTIFIER_MAX,
        help_text="The prefix 360Giving gave you, starting 360G-. Every grant id starts with it.",
        error_messages={"required": "Enter the 360Giving prefix"},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    def __init__(self, *args, profile: FunderProfile | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if profile is not None:
            initial.update({name: getattr(profile, name) for name in FIELDS})
        initial["version"] = funder_profile_version(profile)
        super().__init__(*args, **kwargs)

    def data_for_service(self) -> dict:
        return {**{name: self.cleaned_data.get(name) for name in FIELDS}, "version": self.cleaned_data.get("version")}
