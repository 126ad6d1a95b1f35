"""Size limits on what people type and upload: one place, read by models, forms, services and imports.

A field's limit is its model field's ``max_length`` (text fields carry one too, for this purpose);
``text_length_errors`` is the one check, used by services so that every way in (form, workbook, API,
command) is held to the same limit with the same words.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

# Uploads -------------------------------------------------------------------------------------


def upload_max_bytes() -> int:
    """The largest file any upload takes (supporting documents, plan workbooks, evidence files in the
    browser): ``settings.DOCUMENT_MAX_BYTES``, which the upload handler also stops reading at."""
    return int(settings.DOCUMENT_MAX_BYTES)


def size_text(size: int) -> str:
    """A size as people read it: "10 MB", "2.5 MB", "512 KB", "1,000 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:,.1f}".removesuffix(".0") + " KB"
    return f"{size:,} bytes"


def upload_too_large_message() -> str:
    """The GOV.UK error for a file over the limit."""
    return f"The selected file must be smaller than {size_text(upload_max_bytes())}"


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
