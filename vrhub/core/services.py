"""Writes made through the Django admin: each saves, deletes or bulk-deletes and records the audit trail,
like the domain services do. ``AuditedAdminMixin`` (core/admin.py) calls these and nothing else writes."""

from typing import Any

from django.db import models, transaction
from django.forms import BaseModelForm, BaseModelFormSet

from vrhub.core.audit import audit_changes, audit_created, audit_deleted_with_cascade
from vrhub.core.models import AuditEntry

# Fields whose values never go into the audit trail: only that they were set or changed.
SECRET_FIELDS = frozenset({"password", "key", "key_hash", "token", "bin_key"})
NOT_RECORDED = "(secret, not recorded)"


def _secret(field: str) -> bool:
    return field in SECRET_FIELDS or "password" in field


def _shown(field: str, value: Any) -> Any:
    if _secret(field) and value not in ("", None):
        return NOT_RECORDED
    if isinstance(value, models.QuerySet | list | tuple) and all(isinstance(v, models.Model) for v in value):
        # A many-to-many field (groups, permissions): every member, sorted, never a truncated repr.
        return ", ".join(sorted(str(v) for v in value))
    return value


def _form_changes(form: BaseModelForm) -> dict[str, tuple[Any, Any]]:
    return {
        f: (_shown(f, form.initial.get(f)), _shown(f, form.cleaned_data.get(f)))
        for f in form.changed_data
        if f in form.cleaned_data
    }


def _form_fields(form: BaseModelForm, obj: models.Model) -> list[str]:
    return [f for f in form.cleaned_data if hasattr(obj, f) and not _secret(f)]


def _audit_created(*, actor, obj: models.Model, form: BaseModelForm) -> None:
    audit_created(actor=actor, obj=obj, fields=_form_fields(form, obj))
    secrets = [f for f in form.cleaned_data if _secret(f) and hasattr(obj, f) and form.cleaned_data[f]]
    if secrets:
        audit_changes(
            actor=actor, obj=obj, changes={f: ("", NOT_RECORDED) for f in secrets}, action=AuditEntry.Action.CREATE
        )


@transaction.atomic
def admin_object_save(*, actor, obj: models.Model, form: BaseModelForm, change: bool) -> None:
    """Save an object edited in the admin's form; audit the fields it changed (old and new) or created."""
    changes = _form_changes(form) if change else {}
    obj.save()
    if not change:
        _audit_created(actor=actor, obj=obj, form=form)
    elif changes:
        audit_changes(actor=actor, obj=obj, changes=changes)


@transaction.atomic
def admin_formset_save(*, actor, formset: BaseModelFormSet) -> None:
    """Save an admin inline formset: each new, changed and deleted object is audited."""
    by_instance = {id(form.instance): form for form in formset.forms}
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        admin_objects_delete(actor=actor, objects=[obj])
    for obj in formset.new_objects:
        obj.save()
        _audit_created(actor=actor, obj=obj, form=by_instance[id(obj)])
    for obj, _changed in formset.changed_objects:
        changes = _form_changes(by_instance[id(obj)])
        obj.save()
        if changes:
            audit_changes(actor=actor, obj=obj, changes=changes)
    formset.save_m2m()


@transaction.atomic
def admin_objects_delete(*, actor, objects) -> int:
    """Delete objects (one, or the admin's "delete selected"), auditing each and everything deleted with it."""
    objects = list(objects)
    if not objects:
        return 0
    model = type(objects[0])
    audit_deleted_with_cascade(actor=actor, objects=objects)
    model._default_manager.filter(pk__in=[o.pk for o in objects]).delete()
    return len(objects)
