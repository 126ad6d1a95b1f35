"""Sections that apps above plans add to a plan's page.

The plan page belongs to vrhub.plans, but its signatures and review comments live in vrhub.cycle
and the area's problem profile in vrhub.evidence. Both depend on plans, so plans cannot import
them; each registers a section in its ``AppConfig.ready()`` instead. A section is a function of
the plan and the signed-in user returning the template context it fills.
"""

from collections.abc import Callable
from typing import Any

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
