"""The forms of budgets. They only shape what people type: amounts are text here so that "£12,500.50" reaches
``programmes.services.budgets``, which holds every rule (pounds and pence, limits, unique names, the
labour/non-labour split, the stale-form check)."""

from decimal import Decimal

from django import forms

from vrhub.programmes.catalogue import NAME_MAX, YEAR_MAX, YEAR_MIN
from vrhub.programmes.selectors.budgets import commitment_fingerprint

MONEY_HINT = "In pounds and pence, for example 12,500.50."


def _money(label: str, *, required: bool = False, help_text: str = MONEY_HINT) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": f"Enter the {label[0].lower()}{label[1:]}, in pounds and pence"},
    )


def money_initial(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def set_version(self, version: int) -> None:
        """After a stale save: keep what was typed, and take the current version for the next try."""
        self.data = self.data.copy()
        self.data["version"] = str(version)


class BudgetNewForm(forms.Form):
    year = forms.IntegerField(
        label="Financial year",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        help_text="The year it starts in: 2021 for 2021/22 (1 April 2021 to 31 March 2022).",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the financial year, such as 2021 for 2021/22",
            "invalid": "Financial year must be a whole number, such as 2021 for 2021/22",
            "min_value": f"Financial year must be between {YEAR_MIN} and {YEAR_MAX}",
            "max_value": f"Financial year must be between {YEAR_MIN} and {YEAR_MAX}",
        },
    )


class BudgetForm(_Versioned):
    stated_income_total = _money(
        "Published income total",
        help_text="The total as published, if any (leave empty if none). Any difference from the lines is shown. "
        + MONEY_HINT,
    )
    stated_expenditure_total = _money("Published expenditure total", help_text="As above, for expenditure.")
    notes = forms.CharField(label="Notes", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, budget=None, **kwargs):
        if budget is not None:
            kwargs.setdefault(
                "initial",
                {
                    "stated_income_total": money_initial(budget.stated_income_total),
                    "stated_expenditure_total": money_initial(budget.stated_expenditure_total),
                    "notes": budget.notes,
                    "version": budget.version,
                },
            )
        super().__init__(*args, **kwargs)


class IncomeLineForm(_Versioned):
    source = forms.CharField(label="Source", max_length=NAME_MAX, error_messages={"required": "Enter the source"})
    amount = _money("Amount", required=True)
    ring_fenced = forms.BooleanField(
        label="Ring-fenced: may be spent only on the purpose it was given for", required=False
    )
    labour_amount = _money(
        "Of which labour costs", help_text="Staff costs, where the source splits them. " + MONEY_HINT
    )
    non_labour_amount = _money("Of which non-labour costs")
    match_funding = _money("Match funding required", help_text="From others, if the source requires it. " + MONEY_HINT)
    conditions = forms.CharField(
        label="Conditions", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, line=None, version=None, **kwargs):
        initial = {"version": version}
        if line is not None:
            initial |= {
                "source": line.source,
                "amount": money_initial(line.amount),
                "ring_fenced": line.ring_fenced,
                "labour_amount": money_initial(line.labour_amount),
                "non_labour_amount": money_initial(line.non_labour_amount),
                "match_funding": money_initial(line.match_funding),
                "conditions": line.conditions,
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)


class SpendLineForm(_Versioned):
    category = forms.CharField(label="Category", max_length=NAME_MAX, error_messages={"required": "Enter the category"})
    amount = _money("Amount", required=True)

    def __init__(self, *args, line=None, version=None, **kwargs):
        initial = {"version": version}
        if line is not None:
            initial |= {"category": line.category, "amount": money_initial(line.amount)}
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)


class CommitmentForm(forms.Form):
    funder = forms.CharField(
        label="Funder",
        max_length=NAME_MAX,
        help_text="Who committed it.",
        error_messages={"required": "Enter the funder"},
    )
    source = forms.CharField(
        label="Source",
        max_length=NAME_MAX,
        error_messages={"required": "Enter the source"},
        help_text="The income source it will be, as the budget names it, so that the two can be compared.",
    )
    year = forms.CharField(
        label="Financial year",
        max_length=4,
        error_messages={"required": "Enter the financial year, such as 2021 for 2021/22"},
        help_text="The year it starts in: 2021 for 2021/22.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    amount = _money("Amount", required=True)
    description = forms.CharField(
        label="Description", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The commitment's fingerprint when the form was opened (``selectors.budgets.commitment_fingerprint``).
    loaded = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, commitment=None, **kwargs):
        if commitment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "loaded": commitment_fingerprint(commitment=commitment),
                    "funder": commitment.funder,
                    "source": commitment.source,
                    "year": commitment.year,
                    "amount": money_initial(commitment.amount),
                    "description": commitment.description,
                },
            )
        super().__init__(*args, **kwargs)


class RemoveForm(_Versioned):
    pass
