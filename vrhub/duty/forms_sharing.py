"""Forms of the data-sharing registers. They only shape what people type: every rule (limits, dates,
the s.16 exclusions, one response per s.17 request) is the services' (``duty.services.sharing``)."""

from django import forms

from vrhub.core.forms import apply_text_limits
from vrhub.duty.models import InformationRequest, LawfulBasis, SharingAgreement
from vrhub.duty.selectors.sharing import REQUEST_DEFAULT_DAYS, agreements_of, request_addressees
from vrhub.duty.services.sharing import REQUIRED
from vrhub.plans.forms import DateInput


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        help_text=help_text,
        error_messages={
            "invalid": f"{label} must be a real date",
            "required": f"Enter the {label[0].lower()}{label[1:]}",
        },
    )


def _text(label: str, *, required_message: str, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        # The limit (TEXT_LIMIT characters, a line break counting once) is the service's check.
        error_messages={"required": required_message},
    )


def _line(label: str, *, required_message: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        help_text=help_text,
        error_messages={"required": required_message},
    )


def _basis() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the lawful basis from the list",
            "invalid_choice": "Choose the lawful basis from the list",
        },
    )


class AgreementForm(forms.Form):
    title = _line(
        "Title",
        required_message=REQUIRED["title"],
        help_text="For example: A&amp;E assault data for violence prevention.",
    )
    parties = _text(
        "Parties",
        required_message=REQUIRED["parties"],
        rows=4,
        help_text="The organisations party to the agreement, one per line (at least two).",
    )
    purpose = _text("Purpose", required_message=REQUIRED["purpose"], help_text="Why the information is shared.")
    datasets = _text(
        "Datasets", required_message=REQUIRED["datasets"], rows=4, help_text="The datasets shared, one per line."
    )
    lawful_basis = _basis()
    dpia_done = forms.BooleanField(label="A data protection impact assessment was done", required=False)
    dpia_on = _date("Date of the data protection impact assessment", required=False)
    signed_on = _date("Date signed", required=False)
    review_on = _date("Review date", help_text="When the parties will next review the agreement.")

    def __init__(self, *args, agreement: SharingAgreement | None = None, **kwargs):
        if agreement is not None:
            kwargs.setdefault("initial", {name: getattr(agreement, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=SharingAgreement)


class DisclosureForm(forms.Form):
    disclosed_on = _date("Date of the disclosure")
    from_organisation = _line(
        "Disclosed by",
        required_message=REQUIRED["from_organisation"],
        help_text="The organisation that disclosed the information.",
    )
    to_organisation = _line(
        "Disclosed to", required_message=REQUIRED["to_organisation"], help_text="The organisation that received it."
    )
    purpose = _text(
        "Purpose",
        required_message=REQUIRED["purpose"],
        help_text="Which of the recipient's functions under the Duty it was for.",
    )
    information = _text(
        "What was disclosed",
        required_message=REQUIRED["information"],
        help_text="Describe the information (for example: counts of knife-injury attendances by ward, monthly). "
        "Do not paste the data itself.",
    )
    agreement = forms.ModelChoiceField(
        label="Information-sharing agreement it was made under",
        queryset=SharingAgreement.objects.none(),
        required=False,
        empty_label="Not under an agreement",
        error_messages={"invalid_choice": "Choose one of this partnership's information-sharing agreements, or none"},
    )
    lawful_basis = _basis()
    not_health = forms.BooleanField(
        label="It was not patient information, nor personal information disclosed by a health or social care "
        "authority (section 16(4)(a) and (b))",
        required=False,
    )
    data_protection = forms.BooleanField(
        label="It did not contravene the data protection legislation (section 16(4)(c))", required=False
    )
    investigatory_powers = forms.BooleanField(
        label="It was not prohibited by the Investigatory Powers Act 2016 (section 16(4)(d))", required=False
    )

    CONFIRMATIONS = ("not_health", "data_protection", "investigatory_powers")

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements_of(partnership=partnership)

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.CONFIRMATIONS}

    def confirmations(self) -> dict[str, bool]:
        return {k: bool(self.cleaned_data.get(k)) for k in self.CONFIRMATIONS}


class RequestForm(forms.Form):
    requested_on = _date("Date of the request")
    addressed_to = forms.ChoiceField(
        label="Specified authority asked",
        error_messages={
            "required": "Choose the specified authority asked",
            "invalid_choice": "Choose one of the partnership's specified authorities from the list",
        },
    )
    request = _text(
        "What is asked",
        required_message=REQUIRED["request"],
        rows=5,
        help_text="The information requested, and what for (section 17).",
    )
    due_on = _date(
        "Date the response is due",
        required=False,
        help_text=f"After the date of the request. Leave it blank for {REQUEST_DEFAULT_DAYS} days after it.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].choices = [("", "Choose an authority")] + [
            (name, name) for name in request_addressees(partnership=partnership)
        ]


class AnswerForm(forms.Form):
    prefix = "answer"
    responded_on = _date("Date of the response")
    answer = _text(
        "Answer", required_message=REQUIRED["answer"], rows=5, help_text="The information given, or where it was sent."
    )


class RefuseForm(forms.Form):
    prefix = "refuse"
    responded_on = _date("Date of the response")
    refusal_reason = forms.ChoiceField(
        label="Legal reason for the refusal",
        choices=InformationRequest.RefusalReason.choices,
        widget=forms.RadioSelect,
        help_text="Section 17 allows a refusal for these reasons only.",
        error_messages={
            "required": "Choose the legal reason for the refusal",
            "invalid_choice": "Choose the legal reason for the refusal",
        },
    )
    refusal_detail = _text(
        "Detail of the refusal",
        required_message=REQUIRED["refusal_detail"],
        rows=4,
        help_text="What could not be given, and why.",
    )
