from django import forms

from vrhub.core.forms import apply_text_limits
from vrhub.cycle.models import QuarterlyUpdate, ReviewComment
from vrhub.plans.models import Status


class QuarterlyUpdateForm(forms.Form):
    progress = forms.CharField(label="Progress this quarter", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Choose a status")] + list(Status.choices),
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    measured_value = forms.DecimalField(
        label="Measured value",
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text="Optional: the figure for this quarter, to compare with the baseline.",
        error_messages={"invalid": "Measured value must be a number, like 42 or 12.5"},
    )
    # The version of the update the page was loaded with (0: none yet). Required: without it a save
    # could silently overwrite someone else's update.
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": "This page is out of date: reload it and enter the update again",
            "invalid": "This page is out of date: reload it and enter the update again",
            "min_value": "This page is out of date: reload it and enter the update again",
        },
    )

    def __init__(self, *args, action, update=None, **kwargs):
        self.action, self.update = action, update
        kwargs.setdefault("prefix", f"a{action.pk}")
        if update is not None:
            kwargs.setdefault(
                "initial",
                {
                    "progress": update.progress,
                    "status": update.status,
                    "measured_value": update.measured_value,
                    "version": update.version,
                },
            )
        else:
            kwargs.setdefault("initial", {"version": 0})
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=QuarterlyUpdate)

    def is_blank(self) -> bool:
        d = self.cleaned_data
        return not d.get("progress", "").strip() and not d.get("status") and d.get("measured_value") is None


class SignForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=150,
        error_messages={"required": "Enter your name as it should appear on the sign-off"},
    )
    confirmed = forms.BooleanField(
        label="I confirm that I have reviewed this local violence and vulnerability reduction action plan.",
        required=False,
    )
    content_hash = forms.CharField(widget=forms.HiddenInput)

    def clean_confirmed(self):
        if not self.cleaned_data.get("confirmed"):
            raise forms.ValidationError("Confirm that you have reviewed the plan")
        return True


class ReviewForm(forms.Form):
    """A reviewer's decision. The page has one form per decision, each with its own button, so that each
    comment field is labelled truthfully: returning needs a reason, accepting takes an optional comment."""

    DECISIONS = [("return", "Return it to the borough for changes"), ("accept", "Accept the plan")]
    decision = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=DECISIONS,
        error_messages={"required": "Choose whether to return or accept the plan"},
    )
    comment = forms.CharField(
        label="Comment to the borough",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What they did well, or what to watch during the year.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.decision_value}-%s")
        kwargs.setdefault("initial", {"decision": self.decision_value})
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=ReviewComment, fields={"comment": "body"})

    decision_value = "accept"


class ReturnForm(ReviewForm):
    decision_value = "return"
    comment = forms.CharField(
        label="Reason for returning the plan",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what the borough must change. It is shown at the top of their plan.",
        error_messages={"required": "Say what the borough needs to change"},
    )


class AcceptForm(ReviewForm):
    decision_value = "accept"


class CommentForm(forms.Form):
    target = forms.ChoiceField(label="About", required=False)
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a comment"},
    )

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=ReviewComment)
        if targets:
            self.fields["target"].choices = targets
        else:
            del self.fields["target"]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter a reply"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=ReviewComment)
