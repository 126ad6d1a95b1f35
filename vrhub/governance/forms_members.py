"""Forms of the membership pages. They only shape what people type: every rule is
``governance.services.members``' (and ``member_import``'s for a spreadsheet)."""

from django import forms

from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.governance.catalogue import Office, QuorumRole, Sector
from vrhub.governance.selectors.members import member_fingerprint
from vrhub.governance.services.members import LIMITS
from vrhub.plans.forms import DateInput


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        help_text=help_text,
        error_messages={"invalid": f"{label} must be a real date", "required": f"Enter the {label.lower()}"},
    )


def _line(label: str, name: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=LIMITS[name],
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be {LIMITS[name]:,} characters or fewer",
        },
    )


def _choice(label: str, choices, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={
            "required": f"Choose the {label.lower()} from the list",
            "invalid_choice": f"Choose the {label.lower()} from the list",
        },
    )


class MemberForm(forms.Form):
    name = _line("Name", "name", required=True)
    title = _line("Title", "title", help_text="The post held, for example Director of Public Health.")
    organisation = _line("Organisation", "organisation")
    office = _choice("Office", Office.choices)
    sector = _choice("Sector", Sector.choices)
    quorum_role = _choice("Role in the quorum", [("", "None"), *QuorumRole.choices], required=False)
    term_start = _date("Start of term")
    term_end = _date("End of term")
    email = forms.CharField(
        label="Email address",
        required=False,
        max_length=LIMITS["email"],
        help_text="Shown only to people signed in who can see this group, never on the public pages.",
        error_messages={"max_length": f"Email address must be {LIMITS['email']} characters or fewer"},
    )

    # The member's fingerprint when the page was opened (an edit from an older page is refused).
    loaded = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, member=None, **kwargs):
        if member is not None:
            initial = {name: getattr(member, name) for name in self.base_fields if name != "loaded"}
            initial["loaded"] = member_fingerprint(member=member)
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def member_data(self) -> dict:
        """The member's fields as typed (without the fingerprint)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "loaded"}


class SubstituteForm(forms.Form):
    name = _line("Substitute's name", "name", required=True)
    title = _line("Substitute's title", "title")


class InterestForm(forms.Form):
    description = forms.CharField(
        label="Interest declared",
        max_length=LIMITS["description"],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the interest",
            "max_length": f"Interest must be {LIMITS['description']:,} characters or fewer",
        },
    )
    declared_on = _date("Date declared", required=True)


class MembersUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the membership list",
        error_messages={"required": "Select the membership list to upload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"A CSV file or an Excel workbook (.xlsx), up to {size_text(upload_max_bytes())}."

    def refuse_too_large(self) -> None:
        self.full_clean()
        self.cleaned_data.pop("file", None)
        self._errors["file"] = self.error_class([f"The file is larger than the {size_text(upload_max_bytes())} limit"])
