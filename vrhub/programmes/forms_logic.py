"""Forms of the logic-model pages. They only shape what people type: every rule is
``programmes.services.logic``'s."""

from django import forms

from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.models import LogicNode
from vrhub.programmes.selectors.logic import node_fingerprint
from vrhub.programmes.services.logic import HORIZON_MAX, NUMBER_MAX, NUMBER_MIN
from vrhub.programmes.services.logic import LIMITS as SERVICE_LIMITS

LEVEL_WORDS = {
    LogicLevel.OBJECTIVE: "objective",
    LogicLevel.OUTCOME: "outcome",
    LogicLevel.AIM: "overall impact statement",
}


class LogicNodeForm(forms.Form):
    number = forms.IntegerField(
        label="Number",
        min_value=NUMBER_MIN,
        max_value=NUMBER_MAX,
        help_text=f"Its number in the model, from {NUMBER_MIN} to {NUMBER_MAX}.",
        error_messages={
            "required": "Enter the number",
            "invalid": f"Number must be a whole number from {NUMBER_MIN} to {NUMBER_MAX}",
            "min_value": f"Number must be a whole number from {NUMBER_MIN} to {NUMBER_MAX}",
            "max_value": f"Number must be a whole number from {NUMBER_MIN} to {NUMBER_MAX}",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=SERVICE_LIMITS["title"],
        error_messages={
            "required": "Enter the title",
            "max_length": f"Title must be {SERVICE_LIMITS['title']:,} characters or fewer",
        },
    )
    horizon = forms.CharField(
        label="When change is expected",
        required=False,
        max_length=HORIZON_MAX,
        help_text="For example, 2–3 years.",
        error_messages={"max_length": f"When change is expected must be {HORIZON_MAX} characters or fewer"},
    )
    measures = forms.CharField(
        label="Measures",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=SERVICE_LIMITS["measures"],
        help_text="The measures that track it, one per line.",
        error_messages={"max_length": f"Measures must be {SERVICE_LIMITS['measures']:,} characters or fewer"},
    )
    loaded = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    links = forms.MultipleChoiceField(
        label="Contributes to",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Links: choose from the list"},
    )

    def __init__(self, *args, level: str, targets: list[LogicNode], node: LogicNode | None = None, **kwargs):
        if node is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "number": node.number,
                "title": node.title,
                "horizon": node.horizon,
                "measures": node.measures,
                "links": [str(link.target_id) for link in node.links_up.all()],
                "loaded": node_fingerprint(node=node),
            }
        super().__init__(*args, **kwargs)
        self.level = level
        if targets:
            self.fields["links"].choices = [(str(t.pk), f"{t.number}. {t.title}") for t in targets]
            above = "outcomes" if level == LogicLevel.OBJECTIVE else "overall impact statements"
            self.fields["links"].help_text = f"The {above} it contributes to."
        else:
            del self.fields["links"]

    def node_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in ("number", "title", "horizon", "measures")}
        data["level"] = self.level
        data["links"] = [int(pk) for pk in self.cleaned_data.get("links", [])]
        return data
