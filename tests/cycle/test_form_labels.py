"""Labels tell the truth about required fields, in every form of the plan cycle and of plans.

``includes/field.html`` adds " (optional)" to the label of a field the form lets through blank, unless the
template passes ``hide_optional``. So the truth of a label is decided by three things together: the form
field's ``required``, its label and hint, and how the template includes it. This test walks every include of
``includes/field.html`` in the cycle and plans templates and holds each field to one rule:

- a field shown with "(optional)" may be left blank whatever else is filled in (OPTIONAL below);
- a field shown without it is required by the form, or is needed in some cases that its page explains
  (NEEDED_SOMETIMES, with the reason) — never a field that can always be left blank;
- no label or hint of a required field says "optional", and every optional one is listed.
"""

import re
from pathlib import Path

import pytest
from django import forms

from vrhub.cycle import forms as cycle_forms
from vrhub.plans import forms as plan_forms

ROOT = Path(__file__).resolve().parents[2] / "vrhub"
TEMPLATE_DIRS = [ROOT / "cycle" / "templates", ROOT / "plans" / "templates"]

# Which form each template variable holds, per template that renders fields through includes/field.html.
FORMS_IN = {
    "cycle/review.html": {"return_form": cycle_forms.ReturnForm, "accept_form": cycle_forms.AcceptForm},
    "cycle/sign.html": {"form": cycle_forms.SignForm},
    "cycle/quarter_theme.html": {"form": cycle_forms.QuarterlyUpdateForm},
    "plans/theme.html": {"form": plan_forms.PlanActionForm},
    "plans/_void_confirm.html": {"form": plan_forms.VoidConfirmForm},
    "plans/documents.html": {"form": plan_forms.DocumentForm},
    "plans/local_new.html": {"form": plan_forms.LocalActionForm},
    "plans/start.html": {"form": plan_forms.StartPlanForm},
}

# May be left blank whatever else is given: shown with "(optional)" (or a hint that starts "Optional").
OPTIONAL = {
    ("AcceptForm", "comment"): "a reviewer accepts a plan with or without a comment",
    ("LocalActionForm", "description"): "a local action is added with a title alone",
    ("QuarterlyUpdateForm", "measured_value"): "a figure only where the action has one",
}
_COMPLETE = "needed for a complete entry, not to save; the page lists what each action is still missing"
_UPDATE = "needed once any part of an action's quarterly update is filled in; a blank action is skipped"
NEEDED_SOMETIMES = {
    **{
        ("PlanActionForm", name): _COMPLETE
        for name in (
            "status",
            "outcome",
            "baseline",
            "lead_name",
            "lead_role",
            "lead_agency",
            "start_date",
            "end_date",
            "start_note",
            "end_note",
            "progress",
            "comments",
        )
    },
    ("QuarterlyUpdateForm", "status"): _UPDATE,
    ("QuarterlyUpdateForm", "progress"): _UPDATE,
    ("DocumentForm", "file"): "a file or a link: one of the two (the hint says so)",
    ("DocumentForm", "url"): "a file or a link: one of the two (the hint says so)",
}
INCLUDE = re.compile(r'{%\s*include\s+"includes/field\.html"\s+with\s+field=(\w+)\.(\w+)([^%]*)%}')


def _includes():
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            name = str(path.relative_to(directory))
            for var, field_name, rest in INCLUDE.findall(path.read_text()):
                yield name, var, field_name, "hide_optional=True" in rest


INCLUDES = list(_includes())


def _field(form_class, name) -> forms.Field:
    return form_class.base_fields[name]


def _says_optional(field: forms.Field) -> bool:
    return "optional" in f"{field.label} {field.help_text}".lower()


def test_every_template_with_form_fields_is_walked():
    assert {name for name, *_ in INCLUDES} == set(FORMS_IN)
    assert len(INCLUDES) > 20


@pytest.mark.parametrize(("template", "var", "name", "hidden"), INCLUDES, ids=[f"{i[0]}:{i[2]}" for i in INCLUDES])
def test_each_label_tells_the_truth(template, var, name, hidden):
    form_class = FORMS_IN[template][var]
    field = _field(form_class, name)
    key = (form_class.__name__, name)
    if isinstance(field, forms.BooleanField) and not isinstance(field.widget, forms.CheckboxSelectMultiple):
        assert not field.required or not _says_optional(field)
        return  # a single checkbox is never labelled optional: ticking it is the answer
    shows_optional = not field.required and not hidden
    if field.required:
        assert not _says_optional(field), f"{key} is required but its label or hint says optional"
        assert key not in OPTIONAL and key not in NEEDED_SOMETIMES
    elif shows_optional or _says_optional(field):
        assert key in OPTIONAL, f"{key} is shown as optional but is not one that can always be left blank"
    else:
        assert key in NEEDED_SOMETIMES, f"{key} can be left blank on the form yet its label does not say optional"
        assert key not in OPTIONAL


def test_the_lists_name_real_fields_and_none_is_in_both():
    names = {(cls.__name__, f) for forms_ in FORMS_IN.values() for cls in forms_.values() for f in cls.base_fields}
    assert set(OPTIONAL) <= names and set(NEEDED_SOMETIMES) <= names
    assert not set(OPTIONAL) & set(NEEDED_SOMETIMES)
    for form_class_name, name in OPTIONAL:
        cls = next(c for f in FORMS_IN.values() for c in f.values() if c.__name__ == form_class_name)
        assert not _field(cls, name).required


def test_the_return_reason_is_required_and_the_accept_comment_optional():
    """The trap the issue found: the return form's required comment was labelled "(optional)"."""
    reason, comment = _field(cycle_forms.ReturnForm, "comment"), _field(cycle_forms.AcceptForm, "comment")
    assert reason.required and not _says_optional(reason)
    assert not cycle_forms.ReturnForm({"decision": "return", "comment": " "}).is_valid()
    assert not comment.required
    assert cycle_forms.AcceptForm({"decision": "accept", "comment": ""}).is_valid()
