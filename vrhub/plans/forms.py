from django import forms

from vrhub.core.forms import apply_text_limits
from vrhub.core.limits import size_text, upload_max_bytes
from vrhub.plans.documents import ALLOWED_EXTENSIONS
from vrhub.plans.models import PlanAction, Status
from vrhub.plans.pages import names_joined


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VoidConfirmForm(forms.Form):
    """Asks, on any page that changes a signed plan's content, to confirm voiding the live signatures.

    ``voids`` are ``pages.signatures_a_change_voids(plan=...)`` as the page is shown: their keys travel
    in a hidden field, and the checkbox names the signatories. ``confirmed_voids()`` is what the page
    gives the service (which refuses, naming them, a change voiding a signature not among them). Used on
    its own (a remove button) or as the base of a page's form; render it with
    ``{% include "plans/_void_confirm.html" with form=... %}``."""

    void_keys = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    confirm_void = forms.BooleanField(label="I understand this change voids these signatures", required=False)

    VOID_FIELDS = ("void_keys", "confirm_void")

    def __init__(self, *args, voids: list[tuple[str, str]] | None = None, **kwargs):
        voids = voids or []
        kwargs["initial"] = (kwargs.get("initial") or {}) | {"void_keys": ",".join(key for key, _ in voids)}
        super().__init__(*args, **kwargs)
        self.set_voids(voids)

    def set_voids(self, voids: list[tuple[str, str]]) -> None:
        """The signatures live now (a page that learns the plan only from what was posted sets them late)."""
        self.voids = voids
        self.void_names = names_joined([label for _, label in voids])
        self.fields["confirm_void"].label = (
            f"I understand this change voids the signature{'s' if len(voids) != 1 else ''} of {self.void_names}"
            if voids
            else "I understand this change voids these signatures"
        )
        self._bound_fields_cache.pop("confirm_void", None)  # a bound field copies its label when made

    def confirmed_voids(self) -> set[str]:
        """The keys of the signatures the person agreed to void: none unless they ticked the box."""
        if not self.cleaned_data.get("confirm_void"):
            return set()
        return {key for key in self.cleaned_data.get("void_keys", "").split(",") if key}

    def content(self) -> dict:
        """The cleaned data without the confirmation's fields."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.VOID_FIELDS}

    def ask_again(self) -> None:
        """After a refusal: carry the keys of the signatures live now (``voids``), so that ticking the box
        and saving again agrees to void exactly those."""
        self.data = self.data.copy()
        self.data[self.add_prefix("void_keys")] = ",".join(key for key, _ in self.voids)


class PlanActionForm(forms.Form):
    """The content of one action. Cross-field rules live in ``services.validate_action_data``."""

    title = forms.CharField(label="Title")
    outcome = forms.CharField(
        label="Outcome(s)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the action aims to achieve, measurable where possible.",
    )
    baseline = forms.CharField(
        label="Baseline",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where things stand now, with the figure and period.",
    )
    lead_name = forms.CharField(label="Lead name", required=False, max_length=150)
    lead_role = forms.CharField(label="Lead role", required=False, max_length=150)
    lead_agency = forms.CharField(label="Lead agency", required=False, max_length=150)
    start_date = forms.DateField(
        label="Start date",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Start date must be a real date"},
    )
    start_estimated = forms.BooleanField(label="The start date is an estimate", required=False)
    end_date = forms.DateField(
        label="End date", required=False, widget=DateInput, error_messages={"invalid": "End date must be a real date"}
    )
    end_estimated = forms.BooleanField(label="The end date is an estimate", required=False)
    start_note = forms.CharField(
        label="Or, with no start date", required=False, max_length=60, help_text="For example Ongoing or TBC."
    )
    end_note = forms.CharField(
        label="Or, with no end date", required=False, max_length=60, help_text="For example Ongoing or TBC."
    )
    progress = forms.CharField(label="Progress to date", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    comments = forms.CharField(
        label="Comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anything else relevant, including why an action will not be undertaken.",
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Choose a status")] + list(Status.choices),
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    # The signatures the page said a save would void (their keys), and the person's agreement to void them.
    void_keys = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
    confirm_void = forms.BooleanField(label="Save anyway and void these signatures", required=False)

    NOT_CONTENT = ("version", "void_keys", "confirm_void")

    def __init__(self, *args, action: PlanAction, voids: list[tuple[str, str]] | None = None, **kwargs):
        self.action = action
        kwargs.setdefault("prefix", f"a{action.pk}")
        kwargs.setdefault(
            "initial",
            {f: getattr(action, f) for f in PlanAction.EDITABLE_FIELDS}
            | {"title": action.title, "version": action.version},
        )
        voids = voids or []
        kwargs["initial"] = kwargs["initial"] | {"void_keys": ",".join(key for key, _ in voids)}
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=PlanAction)
        if action.source != PlanAction.Source.LOCAL:
            del self.fields["title"]
        self.voids = voids
        if voids:
            names = names_joined([label for _, label in voids])
            self.fields["confirm_void"].label = f"Save anyway: I understand this voids the signatures of {names}"

    def confirmed_voids(self) -> set[str]:
        """The keys of the signatures the person agreed to void: none unless they ticked the box."""
        if not self.cleaned_data.get("confirm_void"):
            return set()
        return {key for key in self.cleaned_data.get("void_keys", "").split(",") if key}

    def content(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.NOT_CONTENT}
        for key in (
            "outcome",
            "baseline",
            "lead_name",
            "lead_role",
            "lead_agency",
            "progress",
            "comments",
            "title",
            "start_note",
            "end_note",
        ):
            if key in data:
                data[key] = data[key].strip()
        return data


class AdoptOptionalActionsForm(VoidConfirmForm):
    adopted = forms.MultipleChoiceField(
        label="Optional actions adopted", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, menu, **kwargs):
        super().__init__(*args, **kwargs)
        self.menu = {str(ta.pk): ta for ta, _ in menu}
        self.fields["adopted"].choices = [(str(ta.pk), f"{ta.code} {ta.title}") for ta, _ in menu]
        if not self.is_bound:
            self.initial["adopted"] = [str(ta.pk) for ta, on in menu if on]

    def adopted_actions(self):
        return [self.menu[pk] for pk in self.cleaned_data["adopted"]]


class LocalActionForm(VoidConfirmForm):
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter a title for the local action"}
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the action is and why the borough is doing it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self, model=PlanAction)


class DocumentForm(VoidConfirmForm):
    title = forms.CharField(
        label="Document title", max_length=200, error_messages={"required": "Enter a title for the document"}
    )
    file = forms.FileField(
        label="Upload a file",
        required=False,
    )
    url = forms.URLField(
        label="Or give a link",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a link in the correct format, like https://example.org/strategy.pdf"},
    )
    internal = forms.BooleanField(label="Internal: never publish this document", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = ", ".join(e.lstrip(".").upper() for e in ALLOWED_EXTENSIONS)
        self.fields[
            "file"
        ].help_text = (
            f"Upload a file or give a link below: one of the two. {kinds}; up to {size_text(upload_max_bytes())}."
        )


class StartPlanForm(forms.Form):
    template = forms.ChoiceField(
        label="Plan year",
        error_messages={"required": "Choose the plan year", "invalid_choice": "Choose a plan year from the list"},
    )
    copy_previous = forms.BooleanField(
        label="Start from last year's plan",
        required=False,
        help_text="Copies your content into actions that are still in the template.",
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(t.pk): t for t in templates}
        self.fields["template"].choices = [
            (str(t.pk), f"{t.year}/{str(t.year + 1)[-2:]} – {t.title}") for t in templates
        ]
