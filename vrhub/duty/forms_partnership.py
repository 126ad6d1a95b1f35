"""Forms of the partnership and definition pages. They check the shape of what was typed; the rules (required
fields, limits, dates, duplicates) are the services', whose errors the views put back on these forms."""

from django import forms

from vrhub.core.forms import apply_text_limits
from vrhub.duty.catalogue import FACTORS, OFFENCE_TYPES, AuthorityKind, RelevantKind
from vrhub.duty.models import Consultation, Partnership, RelevantAuthority, SpecifiedAuthority
from vrhub.duty.services.definition import ADDITION_MAX_CHARS, ADDITIONS_MAX_LINES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        help_text=help_text,
        error_messages={"invalid": f"{label} must be a real date", "required": f"Enter the {label.lower()}"},
    )


class PartnershipForm(forms.Form):
    """The bodies around the partnership; for a VRU footprint, the areas it covers too."""

    lead_body = forms.CharField(
        label="Lead body",
        help_text="The body leading the partnership, for example the council.",
        error_messages={"required": "Enter the lead body"},
    )
    local_policing_body = forms.CharField(
        label="Local policing body",
        required=False,
        help_text="The PCC; in London, the Mayor's Office for Policing and Crime.",
    )
    owning_group = forms.ChoiceField(
        label="Governance group",
        required=False,
        help_text="The board or group that owns the Duty locally, from the groups set up for this area.",
        error_messages={"invalid_choice": "Choose one of the area's governance groups from the list"},
    )
    governance_group = forms.CharField(
        label="Or its name, if the group is not set up here",
        required=False,
        help_text="Only when the list above does not have the group.",
    )
    covers = forms.MultipleChoiceField(
        label="Areas the footprint covers", required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, areas=None, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=Partnership)
        self.groups = {str(g.pk): g for g in groups}
        self.fields["owning_group"].choices = [("", "None chosen")] + [(pk, g.name) for pk, g in self.groups.items()]
        self.areas = {str(a.pk): a for a in areas or []}
        if areas is None:
            del self.fields["covers"]
        else:
            self.fields["covers"].choices = [(pk, a.name) for pk, a in self.areas.items()]
            self.fields["covers"].required = True
            self.fields["covers"].error_messages |= {
                "invalid_choice": "Choose areas of the VRU from the list",
                "required": "Choose at least one area the footprint covers",
            }

    def chosen_areas(self):
        if "covers" not in self.fields:
            return None
        return [self.areas[pk] for pk in self.cleaned_data.get("covers", [])]

    def body_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("lead_body", "local_policing_body", "governance_group")}
        data["owning_group"] = self.groups.get(self.cleaned_data.get("owning_group") or "")
        return data


class SpecifiedAuthorityForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of specified authority",
        choices=AuthorityKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of specified authority",
            "invalid_choice": "Choose the kind of specified authority from the list",
        },
    )
    organisation = forms.CharField(
        label="Organisation",
        help_text="For example Metropolitan Police Service, East Area BCU.",
        error_messages={"required": "Enter the organisation"},
    )
    lead_name = forms.CharField(label="Lead's name", error_messages={"required": "Enter the lead's name"})
    lead_role = forms.CharField(label="Lead's role", required=False)
    lead_email = forms.CharField(label="Lead's e-mail address", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=SpecifiedAuthority)


class RelevantAuthorityForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of relevant authority",
        choices=RelevantKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of relevant authority",
            "invalid_choice": "Choose the kind of relevant authority from the list",
        },
    )
    organisation = forms.CharField(
        label="Organisation",
        help_text="For example a school, academy trust, prison or young offender institution.",
        error_messages={"required": "Enter the organisation"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=RelevantAuthority)


class ConsultationForm(forms.Form):
    consulted_on = _date("Date consulted", required=True)
    contact = forms.CharField(
        label="Who was consulted",
        help_text="Their name and role.",
        error_messages={"required": "Enter who was consulted"},
    )
    asked = forms.CharField(
        label="What was asked",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was asked"},
    )
    response = forms.CharField(label="Their response", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    responded_on = _date("Date of the response")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=Consultation)


class DefinitionForm(forms.Form):
    offence_types = forms.MultipleChoiceField(
        label="Offence types in scope",
        required=False,
        choices=[(o.code, o.label) for o in OFFENCE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the offence types in scope from the list"},
    )
    local_additions = forms.CharField(
        label="Local additions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            f"Other offence types in scope locally, one a line: at most {ADDITIONS_MAX_LINES}, "
            f"each {ADDITION_MAX_CHARS} characters or fewer."
        ),
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why these offence types, in the light of the four factors.",
    )
    agreed_on = _date("Date agreed", help_text="When the partnership agreed the definition.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FACTORS:
            self.fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
        order = ["offence_types", "local_additions", *(n for n, _ in FACTORS), "rationale", "agreed_on", "version"]
        self.order_fields(order)

    @property
    def factor_fields(self):
        return [self[name] for name, _label in FACTORS]
