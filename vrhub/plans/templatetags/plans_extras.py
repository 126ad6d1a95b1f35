from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def action_field_label(name: str) -> str:
    """A plan action's field name ("lead_name") as its label ("Lead name")."""
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.text import capfirst

    from vrhub.plans.models import PlanAction

    try:
        return capfirst(str(PlanAction._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return str(name).replace("_", " ").capitalize()


@register.filter
def action_field_value(value, name: str):
    """A stored value of a plan action's field in words: a status as its label, a yes/no flag as Yes or No."""
    from vrhub.plans.models import Status

    if name == "status" and value in Status.values:
        return Status(value).label
    if value in ("True", "False", True, False):
        return "Yes" if value in ("True", True) else "No"
    return value
