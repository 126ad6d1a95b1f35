"""Sections that apps above plans add to a plan's page.

The plan page belongs to vrhub.plans, but its signatures and review comments live in vrhub.cycle
and the area's problem profile in vrhub.evidence. Both depend on plans, so plans cannot import
them; each registers a section in its ``AppConfig.ready()`` instead. A section is a function of
the plan and the signed-in user returning the template context it fills.
"""

from collections.abc import Callable, Collection
from typing import Any

from django.core.exceptions import ValidationError

from vrhub.plans.models import Plan

PlanPageSection = Callable[..., dict[str, Any]]

_sections: dict[str, PlanPageSection] = {}


def plan_page_section_register(*, name: str, section: PlanPageSection) -> None:
    """Add (or replace) the section called ``name``; called with ``plan=`` and ``user=``."""
    _sections[name] = section


def plan_page_context(*, plan: Plan, user: Any) -> dict[str, Any]:
    """The context every registered section gives for ``plan`` as ``user`` sees it."""
    context: dict[str, Any] = {}
    for section in _sections.values():
        context.update(section(plan=plan, user=user))
    return context


# Signatures a change would void ------------------------------------------------------------------
# vrhub.cycle holds the signatures; before an editor saves, the theme page names whose signatures the
# save will void and asks them to confirm. Cycle registers the function that says so.

SignatureHolders = Callable[..., list[tuple[str, str]]]

_signature_holders: dict[str, SignatureHolders] = {}


def signature_holders_register(*, name: str, holders: SignatureHolders) -> None:
    """Add (or replace) ``holders``: called with ``plan=``, it returns ``[(signature key, "Name (Office)")]``
    for every signature a change of the plan's content would void now."""
    _signature_holders[name] = holders


def names_joined(names: list[str]) -> str:
    """["A", "B", "C"] as "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}" if names else ""


def signatures_a_change_voids(*, plan: Plan) -> list[tuple[str, str]]:
    """``[(key, "Name (Office)")]`` of the live signatures a change to ``plan`` would void, in office order."""
    found: list[tuple[str, str]] = []
    for holders in _signature_holders.values():
        found.extend(holders(plan=plan))
    return found


def require_void_confirmed(*, plan: Plan, confirmed: Collection[str]) -> None:
    """Refuse a change that would void signatures the person did not agree to void, naming them.

    The one rule for every page that changes a plan's signed content: the page shows
    ``signatures_a_change_voids`` with a checkbox and carries their keys; the service, under the plan's
    lock, calls this with the keys the person agreed to void. A signature given after the page was shown
    is not among them, so a stale page cannot void it silently."""
    unconfirmed = [label for key, label in signatures_a_change_voids(plan=plan) if key not in set(confirmed)]
    if unconfirmed:
        names = names_joined(unconfirmed)
        raise ValidationError(
            {
                "confirm_void": f"Saving this change voids the signature{'s' if len(unconfirmed) != 1 else ''} "
                f"of {names}. Nothing has been saved: confirm that you want to void "
                f"{'them' if len(unconfirmed) != 1 else 'it'}, then save again."
            }
        )


# Sections of a person's home page ----------------------------------------------------------------

HomeSection = Callable[..., dict[str, Any]]

_home_sections: dict[str, HomeSection] = {}


def home_section_register(*, name: str, section: HomeSection) -> None:
    """Add (or replace) a section of the home page; called with ``user=``, it returns template context."""
    _home_sections[name] = section


def home_page_context(*, user: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for section in _home_sections.values():
        context.update(section(user=user))
    return context


# Theme pages: the same arrangement, for what apps above plans show on a theme's page (review comments
# beside the actions they are about). A section is called with ``plan=``, ``theme=`` and ``user=``.

_theme_sections: dict[str, PlanPageSection] = {}


def theme_page_section_register(*, name: str, section: PlanPageSection) -> None:
    """Add (or replace) the theme page section called ``name``."""
    _theme_sections[name] = section


def theme_page_context(*, plan: Plan, theme: Any, user: Any) -> dict[str, Any]:
    """The context every registered theme page section gives for ``theme`` of ``plan`` as ``user`` sees it."""
    context: dict[str, Any] = {}
    for section in _theme_sections.values():
        context.update(section(plan=plan, theme=theme, user=user))
    return context
