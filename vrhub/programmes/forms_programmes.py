"""Forms of the programme, recipient and evaluation pages. They only shape what people type: every rule is the
services' (``programmes.services.programmes``, ``.recipients``, ``.evaluation``)."""

from django import forms

from vrhub.core.forms import apply_text_limits
from vrhub.plans.forms import DateInput
from vrhub.programmes.catalogue import NAME_MAX, TEXT_LIMIT, WARDS_MAX, EvaluationStatus, EvidenceStrength
from vrhub.programmes.models import Programme, Recipient
from vrhub.programmes.selectors.programmes import recipient_fingerprint

OTHER = "__other__"


class _VersionMixin:
    data: dict

    def set_version(self, version: int) -> None:
        """After a stale save: keep what was typed, and take the current version for the next try."""
        self.data = self.data.copy()
        self.data["version"] = str(version)


def _version() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def _date(label: str, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput,
        help_text=hint,
        error_messages={"invalid": f"{label} must be a real date"},
    )


class ProgrammeForm(_VersionMixin, forms.Form):
    reference = forms.CharField(
        label="Reference",
        help_text="Your own reference, unique in the VRU: letters, digits and hyphens, such as LDN-2020-01. "
        "It becomes part of the grant's 360Giving identifier.",
        error_messages={"required": "Enter the reference"},
    )
    title = forms.CharField(label="Title", error_messages={"required": "Enter the title"})
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    recipient = forms.TypedChoiceField(label="Recipient organisation", required=False, coerce=int, empty_value=None)
    funding_source = forms.ChoiceField(
        label="Funding source",
        required=False,
        help_text="The income source of the budget that pays for it.",
    )
    funding_source_other = forms.CharField(
        label="Another funding source",
        required=False,
        max_length=NAME_MAX,
        help_text="If it is not in the list above, type it here.",
    )
    spend_category = forms.CharField(
        label="Spend category", required=False, help_text="The budget's spend category, such as VCS/Community."
    )
    award_date = _date("Award date", "When the grant was awarded.")
    start_date = _date("Start date")
    end_date = _date("End date")
    version = _version()

    def __init__(self, *args, programme: Programme | None = None, recipients=(), sources=(), **kwargs):
        if programme is not None:
            initial = {
                "reference": programme.reference,
                "title": programme.title,
                "description": programme.description,
                "recipient": programme.recipient_id,
                "spend_category": programme.spend_category,
                "award_date": programme.award_date,
                "start_date": programme.start_date,
                "end_date": programme.end_date,
                "version": programme.version,
            }
            if programme.funding_source in sources:
                initial["funding_source"] = programme.funding_source
            elif programme.funding_source:
                initial["funding_source"] = OTHER
                initial["funding_source_other"] = programme.funding_source
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = [("", "No recipient recorded"), *recipients]
        self.fields["funding_source"].choices = [
            ("", "Not recorded"),
            *[(s, s) for s in sources],
            (OTHER, "Another source (type it below)"),
        ]
        apply_text_limits(self, model=Programme, fields={"funding_source_other": "funding_source"})

    def data_for_service(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in (
                "reference",
                "title",
                "description",
                "recipient",
                "spend_category",
                "award_date",
                "start_date",
                "end_date",
            )
        }
        source = self.cleaned_data.get("funding_source") or ""
        data["funding_source"] = (self.cleaned_data.get("funding_source_other") or "") if source == OTHER else source
        return data


class AmountForm(forms.Form):
    year = forms.IntegerField(
        label="Financial year",
        help_text="The year it starts: 2020 for 2020/21 (1 April 2020 to 31 March 2021).",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the financial year", "invalid": "Financial year must be a year"},
    )
    amount = forms.CharField(
        label="Amount in pounds",
        help_text="Pounds and pence, such as 60000.00.",
        error_messages={"required": "Enter the amount"},
    )
    estimated = forms.BooleanField(
        label="The split between years is an estimate (the source gives only the total)", required=False
    )
    version = _version()


class AreasForm(_VersionMixin, forms.Form):
    all_areas = forms.BooleanField(label="It serves every area of the VRU", required=False)
    areas = forms.TypedMultipleChoiceField(
        label="Areas served",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the areas from the list"},
    )
    wards = forms.CharField(
        label="Wards served",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"If it targets particular wards: one ward name or code per line, at most {WARDS_MAX}.",
    )
    version = _version()

    def __init__(self, *args, programme: Programme, areas=(), **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "all_areas": programme.all_areas,
                "areas": list(programme.areas.values_list("pk", flat=True)),
                "wards": "\n".join(programme.wards or []),
                "version": programme.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = list(areas)


class LinksForm(_VersionMixin, forms.Form):
    objectives = forms.TypedMultipleChoiceField(
        label="Objectives it supports",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the objectives from the list"},
    )
    plan_actions = forms.TypedMultipleChoiceField(
        label="Plan actions it supports",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Actions of the current plans of the areas it serves.",
        error_messages={"invalid_choice": "Choose the plan actions from the list"},
    )
    theme = forms.TypedChoiceField(
        label="Theme of the action plan it serves",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose the theme from the list"},
    )
    version = _version()

    def __init__(self, *args, programme: Programme, objectives=(), plan_actions=(), themes=(), **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "objectives": list(programme.objectives.values_list("pk", flat=True)),
                "plan_actions": list(programme.plan_actions.values_list("pk", flat=True)),
                "theme": programme.theme_id,
                "version": programme.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["objectives"].choices = list(objectives)
        self.fields["plan_actions"].choices = list(plan_actions)
        self.fields["theme"].choices = [("", "No theme"), *themes]


class PublicationForm(_VersionMixin, forms.Form):
    published = forms.BooleanField(
        label="Publish it: include it in the open data (360Giving) and the public pages", required=False
    )
    version = _version()


class RecipientForm(forms.Form):
    name = forms.CharField(label="Name", error_messages={"required": "Enter the name"})
    charity_number = forms.CharField(
        label="Charity number",
        required=False,
        help_text="Charity Commission (England and Wales): 6 to 8 digits, such as 1123456.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    company_number = forms.CharField(
        label="Company number",
        required=False,
        help_text="Companies House: 8 characters, such as 01234567 or SC123456.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    other_identifier = forms.CharField(
        label="Other identifier",
        required=False,
        help_text="For a body with neither: its org-id.guide identifier, such as GB-LAE-HAV.",
    )
    postcode = forms.CharField(
        label="Postcode", required=False, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"})
    )
    # The recipient's fingerprint when the form was opened (``selectors.programmes.recipient_fingerprint``).
    loaded = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, recipient: Recipient | None = None, **kwargs):
        if recipient is not None:
            kwargs.setdefault(
                "initial",
                {
                    **{
                        n: getattr(recipient, n)
                        for n in ("name", "charity_number", "company_number", "other_identifier", "postcode")
                    },
                    "loaded": recipient_fingerprint(recipient=recipient),
                },
            )
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=Recipient)

    def data_for_service(self) -> dict:
        return {n: v for n, v in self.cleaned_data.items() if n != "loaded"}


class EvaluationForm(_VersionMixin, forms.Form):
    evaluation_status = forms.ChoiceField(
        label="Status",
        choices=EvaluationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the evaluation's status", "invalid_choice": "Choose the status"},
    )
    evaluator = forms.CharField(label="Evaluator", required=False, help_text="Who evaluates it.")
    evaluation_method = forms.CharField(
        label="Method", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LIMIT
    )
    findings = forms.CharField(
        label="Findings",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed once the evaluation has reported.",
    )
    evidence_strength = forms.ChoiceField(
        label="Strength of evidence",
        required=False,
        choices=[("", "Not yet rated"), *[(str(v), label) for v, label in EvidenceStrength.choices]],
        widget=forms.RadioSelect,
        help_text="The Nesta Standards of Evidence. A rating can be recorded only while an evaluation is in "
        "progress (an interim rating) or has reported. Not yet rated is not level 1.",
        error_messages={"invalid_choice": "Choose the strength of evidence from the list"},
    )
    report_url = forms.CharField(
        label="Link to the report",
        required=False,
        help_text="A web address starting https:// (needed once the evaluation has reported).",
    )
    version = _version()

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "evaluation_status": programme.evaluation_status,
                "evaluator": programme.evaluator,
                "evaluation_method": programme.evaluation_method,
                "findings": programme.findings,
                "evidence_strength": "" if programme.evidence_strength is None else str(programme.evidence_strength),
                "report_url": programme.report_url,
                "version": programme.version,
            },
        )
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=Programme)

    def data_for_service(self) -> dict:
        return {n: self.cleaned_data.get(n) for n in self.fields if n != "version"}
