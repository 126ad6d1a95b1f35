"""Template helpers for rendering Django forms with GOV.UK Frontend markup.

Load with ``{% load govuk %}``.

``{% govuk_widget field [width_class=...] [classes=...] [attr=value ...] %}``
    Renders a bound field's widget (``field.as_widget``) with the GOV.UK
    class for its widget type, the ``--error`` modifier when the field has
    errors, and ``aria-describedby`` pointing at the hint
    (``<auto_id>-hint``, when the field has help_text) and error message
    (``<auto_id>-error``, when it has errors). Any other keyword becomes an
    HTML attribute (underscores become hyphens), e.g.
    ``{% govuk_widget form.username autocomplete="username" %}``.

``{% govuk_error_list form=form forms=forms formset=formset as errors %}``
    Collects the errors of a form, a list of forms and/or a formset as a
    list of ``{"href": "#id", "message": "..."}`` dicts for the GOV.UK error
    summary. Used by ``includes/error_summary.html``; also handy for the
    "Error: " page-title prefix.

``{{ field|govuk_describedby }}``
    The hint/error ids as a space-separated string (used on the fieldset
    of radios and multiple checkboxes).

``{{ field|govuk_input_type }}``
    The GOV.UK input family of a bound field: "input", "date", "textarea",
    "select", "checkbox", "radios", "checkboxes", "file" or "hidden".
    Used by ``includes/field.html``.
"""

from __future__ import annotations

import copy

from django import template
from django.forms import BoundField

register = template.Library()

# Django BoundField.widget_type (widget class name, lower-cased, minus
# "input"/"widget") -> GOV.UK input family.
_INPUT_TYPES = {
    "text": "input",
    "email": "input",
    "url": "input",
    "password": "input",
    "number": "input",
    "tel": "input",
    "search": "input",
    "datetime": "input",
    "time": "input",
    "date": "date",
    "textarea": "textarea",
    "select": "select",
    "nullbooleanselect": "select",
    "selectmultiple": "select",
    "checkbox": "checkbox",
    "radioselect": "radios",
    "checkboxselectmultiple": "checkboxes",
    "file": "file",
    "clearablefile": "file",
    "hidden": "hidden",
    "multiplehidden": "hidden",
}

# GOV.UK base class and error modifier for each input family. Radios and
# multiple checkboxes are rendered item by item in includes/field.html.
_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "date": ("govuk-input govuk-input--width-10", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "hidden": ("", ""),
}


def _input_type(field: BoundField) -> str:
    return _INPUT_TYPES.get(field.widget_type, "input")


@register.filter
def govuk_input_type(field) -> str:
    """GOV.UK input family for a bound field (see module docstring)."""
    if not isinstance(field, BoundField):
        return ""
    return _input_type(field)


def describedby_ids(field: BoundField) -> list[str]:
    """Ids of the hint and error message rendered by includes/field.html."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return ids


@register.filter
def govuk_describedby(field) -> str:
    """Space-separated hint/error ids for a field (for a fieldset's
    aria-describedby); empty when the field has neither."""
    if not isinstance(field, BoundField):
        return ""
    return " ".join(describedby_ids(field))


@register.simple_tag
def govuk_widget(field, width_class="", classes="", **attrs):
    """Render ``field``'s widget with GOV.UK classes and aria-describedby."""
    if not isinstance(field, BoundField):
        return ""
    kind = _input_type(field)
    base, error = _CLASSES.get(kind, _CLASSES["input"])

    widget = field.field.widget
    if kind == "date" and (widget.input_type, widget.format) != ("date", "%Y-%m-%d"):
        # Django's DateInput is type="text" and shows the localised format;
        # use the native date picker instead, whose value must be ISO 8601
        # (Django always accepts ISO dates as input, whatever the locale).
        widget = copy.deepcopy(widget)
        widget.input_type = "date"
        widget.format = "%Y-%m-%d"

    class_list = [widget.attrs.get("class", ""), base]
    if kind == "input" and width_class:
        class_list.append(width_class)
    if field.errors and error:
        class_list.append(error)
    class_list.append(classes)
    final = {}
    class_value = " ".join(c for c in class_list if c).strip()
    if class_value:
        final["class"] = class_value

    if kind != "hidden":
        describedby = [widget.attrs.get("aria-describedby", "")]
        describedby += describedby_ids(field)
        describedby_value = " ".join(d for d in describedby if d)
        if describedby_value:
            final["aria-describedby"] = describedby_value

    for name, value in attrs.items():
        if value is None or value is False:
            continue
        final[name.replace("_", "-")] = value

    return field.as_widget(widget=widget, attrs=final)


def field_target_id(field: BoundField) -> str:
    """Id to link to from the error summary: the input itself, or the first
    radio/checkbox of a group (RadioSelect and CheckboxSelectMultiple have
    no id_for_label for the group as a whole)."""
    if field.id_for_label:
        return field.id_for_label
    subwidgets = field.subwidgets
    if subwidgets and subwidgets[0].id_for_label:
        return subwidgets[0].id_for_label
    return ""


def _first_field_id(form) -> str:
    for field in form.visible_fields():
        target = field_target_id(field)
        if target:
            return target
    return ""


def _form_errors(form) -> list[dict[str, str]]:
    if not form or not hasattr(form, "non_field_errors") or not form.is_bound:
        return []
    first = _first_field_id(form)
    first_href = f"#{first}" if first else ""
    errors = [{"href": first_href, "message": str(message)} for message in form.non_field_errors()]
    # Errors on hidden fields (e.g. a formset's "id") have nothing visible to
    # link to, so point at the first visible field like non-field errors.
    for field in form.hidden_fields():
        errors += [{"href": first_href, "message": str(message)} for message in field.errors]
    for field in form.visible_fields():
        target = field_target_id(field) or first
        errors += [{"href": f"#{target}" if target else "", "message": str(message)} for message in field.errors]
    return errors


@register.simple_tag
def govuk_error_list(form=None, forms=None, formset=None):
    """Error summary items for a form, a list of forms and/or a formset.

    Returns a list of ``{"href": "#field-id", "message": "..."}``; ``href``
    is empty when there is no field to link to. A form given more than once
    (e.g. as ``form`` and inside ``forms``) is only counted once.
    """
    errors: list[dict[str, str]] = []
    seen: set[int] = set()

    def add(one) -> None:
        if not one or id(one) in seen:
            return
        seen.add(id(one))
        errors.extend(_form_errors(one))

    add(form)
    # (not "if formset": a formset with no forms is falsy but can still have
    # non-form errors such as "Please submit at least 1 form.")
    if hasattr(formset, "non_form_errors") and formset.is_bound:
        first_href = ""
        for sub in formset.forms:
            first = _first_field_id(sub)
            if first:
                first_href = f"#{first}"
                break
        errors.extend({"href": first_href, "message": str(message)} for message in formset.non_form_errors())
        for sub in formset.forms:
            add(sub)
    for sub in forms or []:
        add(sub)
    return errors
