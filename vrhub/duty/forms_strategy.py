"""Forms of the strategy and annual review pages. They only shape input: the services validate and save."""

from django import forms

from vrhub.duty.catalogue import STRATEGY_CONTENTS
from vrhub.plans.forms import DateInput

# The guidance for each required content (seed 004: the Home Office guidance as Plymouth's briefing summarises it).
GUIDANCE = {
    "problem_summary": "A summary of the local problem profile from the strategic needs assessment: what serious "
    "violence there is, where, when and who it affects.",
    "working_together": "How the chosen partnership (the specified authorities, with the relevant authorities "
    "consulted) will work together, using existing local structures where possible.",
    "interventions": "The actions the partners will take: the specific interventions.",
    "preventative_action": "The preventative action and early intervention, focused on the causes of violence.",
    "engagement_vcs": "The plan for engaging voluntary and community organisations.",
    "engagement_young_people": "The plan for engaging children and young people, for example through existing "
    "youth forums.",
    "funding": "The funding streams or resources identified to deliver the strategy.",
}


def _text(label: str, hint: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        # The limit (TEXT_LIMIT characters, a line break counting once) is the service's, with its words.
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StrategyStartForm(forms.Form):
    title = forms.CharField(
        label="Title of the strategy",
        max_length=200,
        error_messages={
            "required": "Enter the strategy's title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )


class StrategyForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the strategy's title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    assessment = forms.ChoiceField(label="The needs assessment it rests on", required=False)

    def __init__(self, *args, assessments=(), actions=(), principles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [("", "Not chosen yet")] + [
            (str(a.pk), f"{a.title} ({a.get_state_display().lower()})") for a in assessments
        ]
        for name, label, _message in STRATEGY_CONTENTS:
            self.fields[name] = _text(label, GUIDANCE.get(name, ""))
        self.fields["public_health"] = _text(
            "How it applies the public health approach",
            "Say how the strategy applies each principle: " + "; ".join(p.lower() for p in principles) + ".",
            rows=6,
        )
        self.fields["plan_actions"] = forms.MultipleChoiceField(
            label="Actions of the action plan that deliver it",
            help_text="The borough's action plan is the strategy's delivery plan: choose its actions.",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(a.pk), f"{a.code} {a.title}") for a in actions],
            error_messages={"invalid_choice": "Choose only actions of the current action plan"},
        )
        self.fields["next_review"] = forms.DateField(
            label="Next review date",
            required=False,
            help_text="Publishing sets it a year on if you leave it empty. It must be within a year of publication.",
            widget=DateInput,
            error_messages={"invalid": "Next review date must be a real date"},
        )

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "plan_actions"}
        return data


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label="Publication date",
        required=False,
        help_text="Today if left empty.",
        widget=DateInput,
        error_messages={"invalid": "Publication date must be a real date"},
    )
    next_review = forms.DateField(
        label="Next review date",
        required=False,
        help_text="A year after publication if left empty; at most a year after it.",
        widget=DateInput,
        error_messages={"invalid": "Next review date must be a real date"},
    )


class ReviewForm(forms.Form):
    year = forms.IntegerField(
        label="Year of the review",
        min_value=2023,
        max_value=2100,
        error_messages={
            "required": "Enter the year the review is for",
            "invalid": "Year must be a number, like 2026",
            "min_value": "Year must be 2023 or later",
            "max_value": "Year must be 2100 or earlier",
        },
    )
    reviewed_on = forms.DateField(
        label="Date of the review",
        widget=DateInput,
        error_messages={
            "required": "Enter the date of the review",
            "invalid": "Date of the review must be a real date",
        },
    )
    problem_changes = _text("What changed in the problem")
    progress = _text("Progress against outcome measures")
    decisions = _text("Decisions")
    strategy = forms.ChoiceField(label="The strategy version the review revised or confirmed", required=False)

    def __init__(self, *args, strategies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].choices = [("", "None")] + [
            (str(s.pk), f"Version {s.version}: {s.title} ({s.get_state_display().lower()})") for s in strategies
        ]
        for name in ("problem_changes", "progress", "decisions"):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = f"Enter {self.fields[name].label.lower()}"
