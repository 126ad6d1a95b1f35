"""Forms for meetings, agenda items, minutes and publication. They only shape what people type: every rule
(dates, limits, papers, votes, what publication needs) is ``governance.services.meetings``'s."""

from django import forms

from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.governance.models import ITEMS_MAX, Member
from vrhub.governance.services.meetings import PAPER_EXTENSIONS
from vrhub.plans.forms import DateInput


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class VersionForm(forms.Form):
    """The meeting's version when the page was loaded: a change made since refuses the form."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def refresh_version(self, version: int) -> None:
        """After a refusal for staleness: keep what was typed, take the current version (saving again is a
        deliberate second choice, made after reading the page)."""
        if self.is_bound:
            data = self.data.copy()  # type: ignore[attr-defined]
            data[self.add_prefix("version")] = str(version)
            self.data = data


class MeetingForm(forms.Form):
    date = forms.DateField(
        label="Date",
        widget=DateInput,
        error_messages={"required": "Enter the date of the meeting", "invalid": "Date must be a real date"},
    )
    starts_at = forms.TimeField(
        label="Start time",
        required=False,
        widget=TimeInput,
        error_messages={"invalid": "Start time must be a real time, like 14:00"},
    )
    place = forms.CharField(label="Place", required=False, max_length=300, help_text="Room and building, or online.")
    items = forms.IntegerField(
        label="Number of agenda items to start with",
        min_value=1,
        max_value=ITEMS_MAX,
        initial=4,
        help_text=f"From 1 to {ITEMS_MAX}. You can add, rename and reorder items later.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of agenda items",
            "invalid": "The number of agenda items must be a whole number",
            "min_value": f"The number of agenda items must be from 1 to {ITEMS_MAX}",
            "max_value": f"The number of agenda items must be from 1 to {ITEMS_MAX}",
        },
    )
    standard_items = forms.BooleanField(
        label="Start with the standard opening items",
        required=False,
        help_text="Apologies for absence and Chair's announcements; Declarations of interest; "
        "Minutes of the last meeting; Actions arising.",
    )


class ItemForm(VersionForm):
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter the item's title"})
    presenter = forms.CharField(
        label="Presenter", required=False, max_length=200, help_text="By office, for example: Director of the VRU."
    )
    paper_title = forms.CharField(label="Title of the paper", required=False, max_length=300)
    paper = forms.FileField(label="Upload the paper", required=False)
    remove_paper = forms.BooleanField(label="Remove the current paper", required=False)
    exempt = forms.BooleanField(
        label="Exempt from publication under the Freedom of Information Act 2000", required=False
    )
    exemption = forms.CharField(
        label="Exemption relied on",
        required=False,
        max_length=300,
        help_text="Required when the item is exempt, for example: Section 43 (commercial interests).",
    )
    equality_considerations = forms.CharField(
        label="How equality issues were considered",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required for every paper before the agenda is published, where the group's rules say so.",
    )

    def __init__(self, *args, has_paper: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = ", ".join(e.lstrip(".").upper() for e in PAPER_EXTENSIONS)
        self.fields["paper"].help_text = f"{kinds}; up to {size_text(upload_max_bytes())}."
        if not has_paper:
            del self.fields["remove_paper"]

    def content(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in ("title", "presenter", "paper_title", "exempt", "exemption", "equality_considerations")
        }


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 1,000 or fewer",
        },
    )


class MinutesForm(VersionForm):
    minutes = forms.CharField(label="Minutes", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8}))
    decision = forms.CharField(
        label="Decision",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was agreed.",
    )
    votes_for = _count("Votes for")
    votes_against = _count("Votes against")
    abstentions = _count("Abstentions")

    def __init__(self, *args, votes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not votes:
            for name in ("votes_for", "votes_against", "abstentions"):
                del self.fields[name]

    def content(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        what = obj.title or obj.get_office_display()
        return f"{obj.name} ({what})"


class DissentForm(VersionForm):
    member = _MemberChoice(
        label="Member",
        queryset=Member.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose a member of the group", "invalid_choice": "Choose a member of the group"},
    )
    text = forms.CharField(
        label="Dissent as the member wishes it recorded",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the dissent as the member wishes it recorded"},
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **{"prefix": "dissent", **kwargs})
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = members if members is not None else Member.objects.none()


class InterestForm(VersionForm):
    member = _MemberChoice(
        label="Member",
        queryset=Member.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose a member of the group", "invalid_choice": "Choose a member of the group"},
    )
    description = forms.CharField(
        label="Interest declared",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe the interest declared"},
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **{"prefix": "interest", **kwargs})
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = members if members is not None else Member.objects.none()


class ApproveForm(VersionForm):
    on = forms.DateField(
        label="Date the minutes were approved",
        widget=DateInput,
        help_text="Usually the date of the next meeting.",
        error_messages={
            "required": "Enter the date the minutes were approved",
            "invalid": "Date the minutes were approved must be a real date",
        },
    )
