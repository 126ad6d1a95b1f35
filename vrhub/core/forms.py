"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from vrhub.core.limits import text_length, text_length_message, text_limit


class TextLengthValidator(MaxLengthValidator):
    """Refuses text over the limit with the same words as the services (``text_length_message``)."""

    def __init__(self, limit_value: int, *, label: str) -> None:
        super().__init__(limit_value)
        self.label = label

    def __call__(self, value) -> None:
        if text_length(value) > self.limit_value:
            raise ValidationError(
                text_length_message(label=self.label, limit=self.limit_value, length=text_length(value)),
                code="max_length",
            )


def apply_text_limits(form: forms.BaseForm, *, model: type[models.Model], fields: dict[str, str] | None = None) -> None:
    """Give each text field of ``form`` its model field's length limit, with a message naming the limit.

    ``fields`` maps a form field to a model field where their names differ.
    """
    mapping = fields or {}
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField):
            continue
        limit = text_limit(model, mapping.get(name, name))
        if not limit:
            continue
        field.max_length = limit
        label = str(field.label or name.replace("_", " ")).rstrip(" :")
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(TextLengthValidator(limit, label=label))


def apply_validation_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's field errors on ``form``: on the field they name, or on the whole form.

    Errors about fields the form does not show (a hidden field such as the version a page was
    loaded at, or a field the form lacks), and errors naming no field, are about the whole form.
    """
    if not hasattr(exc, "error_dict"):  # a plain message (or list of them): about the whole form
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields and not form.fields[field].widget.is_hidden else None
        for message in errors:
            form.add_error(target, message)
