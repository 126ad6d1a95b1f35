"""The one write path for audit records: services call these after each change."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from vrhub.core.models import AuditEntry


def audit_text(value: Any) -> str:
    """A value as the audit trail stores it."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def audit_changes(
    *,
    actor,
    obj: models.Model,
    changes: Mapping[str, tuple[Any, Any]],
    action: str = AuditEntry.Action.UPDATE,
    plan_id: int | None = None,
    object_version: int | None = None,
    action_id: int | None = None,
) -> list[AuditEntry]:
    """Record one entry per changed field as ``{field: (old, new)}``."""
    return AuditEntry.objects.bulk_create(
        _entries(
            actor=actor,
            obj=obj,
            changes=changes,
            action=action,
            plan_id=plan_id,
            object_version=object_version,
            action_id=action_id,
        )
    )


def _entries(
    *,
    actor,
    obj: models.Model,
    changes: Mapping[str, tuple[Any, Any]],
    action: str,
    plan_id: int | None = None,
    object_version: int | None = None,
    action_id: int | None = None,
) -> list[AuditEntry]:
    return [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            field=field,
            old=audit_text(old),
            new=audit_text(new),
            plan_id=plan_id,
            object_version=object_version,
            action_id=action_id,
        )
        for field, (old, new) in changes.items()
    ]


def audit_created(
    *, actor, obj: models.Model, fields: Iterable[str], plan_id: int | None = None, action_id: int | None = None
) -> None:
    audit_changes(
        actor=actor,
        obj=obj,
        changes={f: (None, getattr(obj, f)) for f in fields},
        action=AuditEntry.Action.CREATE,
        plan_id=plan_id,
        action_id=action_id,
    )


def audit_created_many(*, actor, created: Iterable[tuple[models.Model, Iterable[str]]]) -> list[AuditEntry]:
    """``audit_created`` for many objects made in one go (bulk loads): one insert for all their entries."""
    entries = [
        entry
        for obj, fields in created
        for entry in _entries(
            actor=actor, obj=obj, changes={f: (None, getattr(obj, f)) for f in fields}, action=AuditEntry.Action.CREATE
        )
    ]
    return AuditEntry.objects.bulk_create(entries)


def audit_deleted(*, actor, obj: models.Model, plan_id: int | None = None, action_id: int | None = None) -> None:
    audit_changes(
        actor=actor,
        obj=obj,
        changes={"": (str(obj), None)},
        action=AuditEntry.Action.DELETE,
        plan_id=plan_id,
        action_id=action_id,
    )


def diff_fields(obj: models.Model, data: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Fields of ``data`` whose value differs from ``obj``'s, as ``{field: (old, new)}``."""
    return {f: (getattr(obj, f), v) for f, v in data.items() if getattr(obj, f) != v}


def audit_deleted_with_cascade(
    *, actor, objects: Iterable[models.Model], plan_id: int | None = None, action_id: int | None = None
) -> list[models.Model]:
    """Audit the deletion of ``objects`` and of everything the database deletes with them (CASCADE),
    before they are deleted. Returns every object that will go, the given ones included.

    Raises ProtectedError/RestrictedError, as deleting would, if something still depends on them."""
    from django.db import router
    from django.db.models.deletion import Collector

    objects = list(objects)
    if not objects:
        return []
    collector = Collector(using=router.db_for_write(type(objects[0])), origin=objects[0])
    collector.collect(objects)
    going = [instance for instances in collector.data.values() for instance in instances]
    for qs in collector.fast_deletes:
        going.extend(qs)
    for instance in going:
        audit_deleted(actor=actor, obj=instance, plan_id=plan_id, action_id=action_id)
    return going
