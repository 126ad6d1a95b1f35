"""Forms of actions arising. They only shape what people type: every rule (limits, dates, the meeting's own
items, a later meeting, stale versions) is the services' (``governance.services.actions``)."""

from django import forms

from vrhub.core.words import date_words
from vrhub.governance.catalogue import ActionStatus
from vrhub.governance.models import Action, AgendaItem, Meeting
from vrhub.governance.services.actions import LIMITS, REQUIRED
from vrhub.plans.forms import DateInput

VERSION_ERRORS = {
    "required": "This form is out of date: open the action again and make your changes",
    "invalid": "This form is out of date: open the action again and make your changes",
}


class _ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.number}. {obj.title}"


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return date_words(obj.date)


def _date(label: str, *, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput,
        help_text=help_text,
        error_messages={"invalid": f"{label} must be a real date"},
    )


class ActionForm(forms.Form):
    item = _ItemChoice(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="No agenda item",
        error_messages={"invalid_choice": "Choose an agenda item of the meeting from the list, or none"},
    )
    text = forms.CharField(
        label="Action",
        max_length=LIMITS["text"],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REQUIRED["text"]},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=LIMITS["owner"],
        help_text="A name, an office (for example Director of the VRU), or Clerk.",
        error_messages={"required": REQUIRED["owner"]},
    )
    deadline = _date("Deadline", help_text="Leave empty for an ongoing action with no deadline.")
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=VERSION_ERRORS)

    def __init__(self, data=None, *, meeting: Meeting, action: Action | None = None, **kwargs):
        if action is not None and data is None:
            kwargs.setdefault(
                "initial",
                {
                    "item": action.item_id,
                    "text": action.text,
                    "owner": action.owner,
                    "deadline": action.deadline,
                    "version": action.version,
                },
            )
        super().__init__(data, **kwargs)
        self.fields["item"].queryset = meeting.items.order_by("number")
        if action is None:  # a new action has no version yet
            self.fields["version"].required = False


class UpdateForm(forms.Form):
    update = forms.CharField(
        label="Update",
        max_length=LIMITS["update"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="As it will read in the actions arising report, for example: The letter has been sent.",
        error_messages={"required": REQUIRED["update"]},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the action is ongoing or complete",
            "invalid_choice": "Choose whether the action is ongoing or complete",
        },
    )
    written_on = _date("Date of the update", help_text="Leave empty for today.")
    completed_on = _date("Date completed", help_text="For a complete action. Leave empty for the date of the update.")
    reported_at = _MeetingChoice(
        label="Meeting reported to",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Not reported to a meeting",
        error_messages={"invalid_choice": "Choose a later meeting of the group from the list, or none"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=VERSION_ERRORS)

    def __init__(self, data=None, *, action: Action, later: list[Meeting], default_meeting: Meeting | None, **kwargs):
        if data is None:
            kwargs.setdefault(
                "initial",
                {
                    "status": action.status,
                    "version": action.version,
                    "reported_at": default_meeting.pk if default_meeting else None,
                },
            )
        super().__init__(data, **kwargs)
        self.fields["reported_at"].queryset = Meeting.objects.filter(pk__in=[m.pk for m in later]).order_by("date")


class RemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages=VERSION_ERRORS)
