"""Forms of the strategic needs assessment's pages (thin: the rules are in ``duty.services.sna``)."""

from django import forms
from django.core.validators import MaxLengthValidator

from vrhub.core.forms import TextLengthValidator
from vrhub.duty.models import TEXT_LIMIT
from vrhub.duty.selectors.sna import Offered

PERIOD_LIMIT = 15  # YYYY-MM:YYYY-MM


class StartForm(forms.Form):
    year = forms.IntegerField(
        label="Year of the assessment",
        error_messages={"required": "Enter the year of the assessment", "invalid": "Enter the year as 4 digits"},
    )
    copy_previous = forms.BooleanField(
        required=False,
        label="Start from the texts of the latest earlier assessment (its cited figures are not copied)",
    )

    def __init__(self, *args, first: int, last: int, can_copy: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].min_value = first
        self.fields["year"].max_value = last
        self.fields["year"].help_text = f"From {first} to {last}, for example {last - 1}"
        self.fields["year"].error_messages.update(
            {
                "min_value": f"The year must be {first} or later (the Duty came into force in {first})",
                "max_value": f"The year must be {last} or earlier",
            }
        )
        if not can_copy:
            del self.fields["copy_previous"]


class SectionForm(forms.Form):
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=f"Up to {TEXT_LIMIT:,} characters. Leave a blank line between paragraphs.",
    )
    loaded_hash = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = "The section's text"
        # Keep Django's own validators (it refuses a NUL character) and count length as the service does.
        self.fields["text"].validators = [
            *[v for v in self.fields["text"].validators if not isinstance(v, MaxLengthValidator)],
            TextLengthValidator(TEXT_LIMIT, label=f"The section {label!r}"),
        ]


class FigureForm(forms.Form):
    PERIODS = (
        ("latest", "The latest 12 months the source has"),
        ("previous", "The 12 months before those"),
        ("other", "Another period"),
    )

    measure = forms.ChoiceField(
        label="Measure", error_messages={"required": "Choose a measure", "invalid_choice": "Choose a measure"}
    )
    area = forms.ChoiceField(
        label="Area",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area", "invalid_choice": "Choose the area"},
    )
    period_choice = forms.ChoiceField(
        label="Period",
        choices=PERIODS,
        widget=forms.RadioSelect,
        initial="latest",
        error_messages={"required": "Choose the period", "invalid_choice": "Choose the period"},
    )
    period = forms.CharField(
        label="Another period",
        required=False,
        max_length=PERIOD_LIMIT,
        help_text="First and last month as YYYY-MM:YYYY-MM, for example 2025-03:2026-02 "
        "for March 2025 to February 2026",
        error_messages={"max_length": f"The period must be {PERIOD_LIMIT} characters or fewer (YYYY-MM:YYYY-MM)"},
    )

    def __init__(self, *args, offered: Offered, areas: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Choose a measure"), *offered.groups]
        self.fields["area"].choices = areas
        self.fields["area"].initial = areas[0][0] if areas else None

    def clean(self):
        data = super().clean()
        if data.get("period_choice") == "other" and not (data.get("period") or "").strip():
            self.add_error("period", "Enter the period as YYYY-MM:YYYY-MM, or choose one of the 12-month periods")
        return data
