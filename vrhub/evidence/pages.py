"""The evidence workbench's section of a plan's page (registered in ``EvidenceConfig.ready``)."""

from typing import Any

from vrhub.evidence import selectors
from vrhub.plans.models import Plan


def plan_page_profile(*, plan: Plan, user: Any) -> dict[str, Any]:
    """The area's headline trends, or None when no evidence is loaded."""
    try:
        profile = selectors.headline_trends(code=plan.area.code)
    except Exception:  # noqa: BLE001 - an empty or unreachable evidence store must not break the plan page
        profile = None
    return {"profile": profile}
