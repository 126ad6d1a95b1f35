"""Size limits on what people type: one place, read by models, forms, services and imports.

A field's limit is its model field's ``max_length`` (text fields carry one too, for this purpose);
``text_length_errors`` is the one check, used by services so that every way in (form, workbook, API,
command) is held to the same limit with the same words.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

# Long free text: an action's outcome, baseline, progress, comments; a quarterly update; a comment.
LONG_TEXT = 4_000
# Guidance and descriptions written by the VRU in a template.
GUIDANCE_TEXT = 10_000


def text_length(value: str) -> int:
    """Characters as typed: a line break counts once, though browsers send it as CR LF."""
    return len(value) - value.count("\r\n")


def text_limit(model: type[models.Model], name: str) -> int | None:
    """The most characters the field may hold, or None when it is not a text field."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return field.max_length
    return None


def text_length_message(*, label: str, limit: int, length: int) -> str:
    return f"{capfirst(label)} must be {limit:,} characters or fewer (it has {length:,})"


def text_length_errors(*, model: type[models.Model], data: Mapping[str, Any]) -> dict[str, str]:
    """``{field: message}`` for each text value in ``data`` that is longer than its field allows."""
    errors: dict[str, str] = {}
    for name, value in data.items():
        limit = text_limit(model, name)
        if limit and isinstance(value, str) and text_length(value) > limit:
            label = str(model._meta.get_field(name).verbose_name)
            errors[name] = text_length_message(label=label, limit=limit, length=text_length(value))
    return errors
