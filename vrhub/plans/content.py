"""The plan's signable content and its SHA-256 fingerprint."""

import hashlib
import json

from vrhub.plans.models import Plan, PlanAction


def plan_content(plan: Plan) -> dict:
    """Everything a signatory signs: each action's wording and content, and its documents.

    Quarterly updates are progress reporting against the signed plan, not part of it.
    """
    actions = []
    for a in plan.actions.select_related("theme").prefetch_related("documents", "citations").order_by("code"):
        entry = {
            "code": a.code,
            "theme": a.theme.code,
            "source": a.source,
            "title": a.title,
            "description": a.description,
        }
        for f in PlanAction.EDITABLE_FIELDS:
            value = getattr(a, f)
            entry[f] = value.isoformat() if hasattr(value, "isoformat") else value
        entry["documents"] = sorted(
            [d.title, d.url, d.file.name if d.file else "", d.size or 0, d.internal] for d in a.documents.all()
        )
        entry["citations"] = sorted([c.measure, c.area_code, c.period, c.value, c.source] for c in a.citations.all())
        actions.append(entry)
    return {"area": plan.area.code, "year": plan.template.year, "version": plan.version, "actions": actions}


def plan_content_hash(plan: Plan) -> str:
    canonical = json.dumps(plan_content(plan), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
