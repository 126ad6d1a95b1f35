"""The form of a group's terms of reference. It only shapes what people type: every rule (limits, the
quorum fraction, unique short names, the stale-form check) is ``governance.services.groups``'."""

from django import forms

from vrhub.governance.catalogue import DecisionMode, Frequency, RequiredRole, Rounding
from vrhub.governance.models import Group
from vrhub.governance.services.groups import AGENDA_DAYS_MAX, FRACTION_MAX, GROUP_FIELDS, NAME_MAX, SLUG_MAX


def _whole(label: str, *, low: int, high: int, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be between {low} and {high}",
            "max_value": f"{label} must be between {low} and {high}",
        },
    )


def _choice(label: str, choices, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={
            "required": f"Choose {label[0].lower()}{label[1:]} from the list",
            "invalid_choice": f"Choose {label[0].lower()}{label[1:]} from the list",
        },
    )


class GroupForm(forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX, error_messages={"required": "Enter the group's name"})
    slug = forms.CharField(
        label="Short name",
        max_length=SLUG_MAX,
        help_text=f"Used in the group's web address and on the command line: lower-case letters, digits and "
        f"hyphens, up to {SLUG_MAX} characters, for example havering-csp.",
        error_messages={"required": "Enter a short name"},
    )
    purpose = forms.CharField(label="Purpose", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4}))
    frequency = _choice("How often it meets", Frequency.choices)
    quorum_numerator = _whole(
        "Quorum fraction's top number",
        low=1,
        high=FRACTION_MAX,
        help_text="For half the members, enter 1 here and 2 below.",
    )
    quorum_denominator = _whole("Quorum fraction's bottom number", low=1, high=FRACTION_MAX)
    quorum_rounding = _choice(
        "Rounding",
        [(code, label[:1].upper() + label[1:]) for code, label in Rounding.choices],
        help_text="How the fraction becomes a whole number.",
    )
    required_roles = forms.MultipleChoiceField(
        label="Roles that must be present",
        choices=[(code, label[:1].upper() + label[1:]) for code, label in RequiredRole.choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A meeting, and each item, is quorate only with each of these present.",
        error_messages={"invalid_choice": "Choose the roles that must be present from the list"},
    )
    remote_counts = forms.BooleanField(
        label="Members taking part by telephone or video count towards the quorum, while available for each item",
        required=False,
    )
    decision_mode = _choice("How decisions are made", DecisionMode.choices)
    dissent_recorded = forms.BooleanField(
        label="A member may have their dissent recorded in the minutes", required=False
    )
    agenda_days_before = _whole(
        "Days before a meeting the agenda is published",
        low=0,
        high=AGENDA_DAYS_MAX,
        help_text="With the papers that are not exempt under the Freedom of Information Act.",
    )
    minutes_published = forms.BooleanField(label="Approved minutes are published", required=False)
    equality_statement_required = forms.BooleanField(
        label="Every report must say how equality issues were considered", required=False
    )
    community_target_percent = _whole(
        "Community membership target",
        low=0,
        high=100,
        required=False,
        help_text="The share of members from the voluntary and community sector the group aims for, in per cent "
        "(30 for the Partnership Reference Group). Leave empty for no target.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, group: Group | None = None, **kwargs):
        if group is not None:
            initial = {name: getattr(group, name) for name in GROUP_FIELDS}
            initial["version"] = group.version
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in GROUP_FIELDS}

    def set_version(self, version: int) -> None:
        """After a stale save: keep what was typed, and take the current version for the next try."""
        self.data = self.data.copy()
        self.data["version"] = str(version)
