"""The plan cycle's sections of a plan's page (registered in ``CycleConfig.ready``)."""

from typing import Any

from django.utils import timezone

from vrhub.cycle import selectors, services
from vrhub.plans import selectors as plan_selectors
from vrhub.plans.models import Plan


def _comment_permissions(*, plan: Plan, user: Any) -> dict[str, bool]:
    """Who may do what with review comments: the borough's editors mark them addressed, reviewers reopen."""
    own = plan_selectors.is_own_plan(user=user, plan=plan)
    return {
        "own_plan_comments": own,
        "can_mark_addressed": own and plan_selectors.user_can_edit_area(user=user, plan=plan),
        "can_reopen": own and user.is_vru_user,
    }


def plan_page_cycle(*, plan: Plan, user: Any) -> dict[str, Any]:
    """Signatures for everyone; review threads and the return banner for the plan's own VRU and borough;
    comment targets for reviewers; the first quarter still waiting for updates (its due date and state), for
    the plan's own people."""
    is_reviewer = user.is_vru_user
    permissions = _comment_permissions(plan=plan, user=user)
    own = permissions["own_plan_comments"]
    threads = selectors.review_threads(plan=plan) if own else []
    waiting = [
        p
        for p in (selectors.plan_quarter_progress(plan=plan, today=timezone.localdate()) if own else [])
        if p.state not in (selectors.QuarterState.CLOSED, selectors.QuarterState.SUBMITTED)
    ]
    return {
        "quarter_waiting": waiting[0] if waiting and plan.is_current else None,
        "signatures": services.signatures_status(plan=plan),
        "threads": threads,
        "open_thread_count": sum(1 for t in threads if not t["comment"].is_addressed),
        "return_notice": selectors.return_notice(plan=plan) if own else None,
        "comment_targets": selectors.comment_targets(plan=plan) if is_reviewer else [],
        **permissions,
    }


def theme_page_cycle(*, plan: Plan, theme: Any, user: Any) -> dict[str, Any]:
    """Review comments about the theme and about each of its actions, for the plan's own VRU and borough."""
    permissions = _comment_permissions(plan=plan, user=user)
    threads = selectors.review_threads(plan=plan, theme=theme) if permissions["own_plan_comments"] else []
    return {
        "theme_threads": [t for t in threads if t["comment"].action_id is None],
        "action_threads": [t for t in threads if t["comment"].action_id is not None],
        **permissions,
    }


def void_signatures_on_change(*, plan: Plan, user: Any, reason: str, **kwargs: Any) -> None:
    """Receiver of ``plans.signals.plan_content_changed``: a change of content voids every live signature,
    and the signatories are told (their signature voided; the plan, once complete, ready to sign)."""
    services.signatures_void(plan=plan, user=user, reason=reason)
    services.signoff_notices_send(plan=plan, user=user)


def signatures_live(*, plan: Plan) -> list[tuple[str, str]]:
    """Registered with ``plans.pages.signature_holders_register``: the signatures a change would void now."""
    return [
        (str(s["signature"].pk), f"{s['signature'].name} ({s['label']})")
        for s in services.signatures_status(plan=plan)
        if s["valid"]
    ]


def home_signoff(*, user: Any) -> dict[str, Any]:
    """Registered with ``plans.pages.home_section_register``: a signatory's to-do list."""
    if not getattr(user, "is_signatory", False):
        return {}
    return {"signoff_todo": selectors.signoff_todo(user=user)}
