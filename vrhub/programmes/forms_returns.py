"""Forms for monitoring returns: one quarter's return, and the returns spreadsheet upload.

The form takes what was typed as text; ``services.returns.return_check`` decides what is a valid count or
amount (the same rule as the spreadsheet import) and its errors are put back on these fields."""

from django import forms

from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.programmes.catalogue import PEOPLE_MAX, AgeBand
from vrhub.programmes.models import MonitoringReturn
from vrhub.programmes.returns_rules import OUTPUTS_MAX
from vrhub.programmes.selectors.returns import return_version

NUMBER_MAX_LENGTH = 30


def age_field(code: str) -> str:
    """The form field of an age band: ``age_10_14``."""
    return f"age_{code}"


def _count(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NUMBER_MAX_LENGTH,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={"max_length": f"{label} must be a whole number up to {PEOPLE_MAX:,}"},
    )


class ReturnForm(forms.Form):
    reached_direct = _count(
        "People reached directly", "People the programme worked with in the quarter. Leave blank if not reported."
    )
    reached_indirect = _count(
        "People reached indirectly",
        "Family members, peers and others reached through them. Leave blank if not reported.",
    )
    outputs = forms.CharField(
        label="Outputs",
        required=False,
        max_length=OUTPUTS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"What was delivered in the quarter, for example 12 mentoring sessions a week (up to {OUTPUTS_MAX:,} "
        "characters).",
        error_messages={"max_length": f"Outputs must be {OUTPUTS_MAX:,} characters or fewer"},
    )
    spend_to_date = forms.CharField(
        label="Spend to date, in pounds",
        required=False,
        max_length=NUMBER_MAX_LENGTH,
        help_text="Spent in the financial year up to the end of the quarter, in pounds and pence, e.g. 12000.50. "
        "Leave blank if not reported.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={"max_length": "Spend to date must be an amount in pounds and pence"},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, monitoring_return: MonitoringReturn | None = None, **kwargs):
        if monitoring_return is not None:
            initial = {
                "reached_direct": monitoring_return.reached_direct,
                "reached_indirect": monitoring_return.reached_indirect,
                "outputs": monitoring_return.outputs,
                "spend_to_date": monitoring_return.spend_to_date,
                **{age_field(c): v for c, v in (monitoring_return.reached_by_age or {}).items()},
            }
        else:
            initial = {}
        initial["version"] = return_version(monitoring_return=monitoring_return)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for code, label in AgeBand.choices:
            self.fields[age_field(code)] = _count(f"{label}")

    def age_fields(self) -> list[forms.BoundField]:
        return [self[age_field(code)] for code, _label in AgeBand.choices]

    def return_data(self) -> dict:
        data = self.cleaned_data
        return {
            "reached_direct": data["reached_direct"],
            "reached_indirect": data["reached_indirect"],
            "reached_by_age": {
                code: data[age_field(code)] for code, _label in AgeBand.choices if data[age_field(code)].strip()
            },
            "outputs": data["outputs"],
            "spend_to_date": data["spend_to_date"],
        }

    def service_field(self, name: str) -> str:
        """The form field a service error about ``name`` belongs on."""
        if name in dict(AgeBand.choices):
            return age_field(name)
        if name == "reached_by_age":
            return age_field(AgeBand.choices[0][0])
        return name if name in self.fields else "__all__"


class ReturnsUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the returns spreadsheet",
        error_messages={"required": "Select the returns spreadsheet to upload"},
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
