"""Forms of the template editor (VRU admins). The rules live in ``services.template_*``."""

from django import forms

from vrhub.core.limits import GUIDANCE_TEXT
from vrhub.plans.forms import DateInput
from vrhub.plans.models import TemplateAction
from vrhub.plans.templates import TITLE_MAX


class TemplateSettingsForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    submission_deadline = forms.DateField(
        label="Submission deadline",
        required=False,
        widget=DateInput,
        help_text="Plans submitted after this date are marked late.",
        error_messages={"invalid": "The submission deadline must be a real date"},
    )


class TemplateThemeForm(forms.Form):
    code = forms.CharField(
        label="Code", max_length=6, help_text="2 to 6 capital letters, e.g. VAWG. It starts each action's code."
    )
    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=GUIDANCE_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the theme covers, shown to boroughs above its actions.",
    )

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["code"]


class TemplateActionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Is every borough required to include this action?",
        choices=[
            (TemplateAction.Kind.MANDATORY, "Mandatory: every plan includes it"),
            (TemplateAction.Kind.OPTIONAL, "Optional: boroughs may adopt it from the menu"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the action is mandatory or optional"},
    )
    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    guidance = forms.CharField(
        label="Guidance",
        required=False,
        max_length=GUIDANCE_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What boroughs should write for this action, shown beside it on the plan.",
    )

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["kind"]
