"""A programme's evaluation: status, evaluator, method, findings, strength of evidence and the report.

Rules (refused with the field named, nothing saved):
* ``reported`` needs findings and a link to the report;
* a strength of evidence (Nesta levels 1-5) may be recorded only while an evaluation is in progress (an
  interim rating) or has reported; with no evaluation, or one only planned, it is "not yet rated" (None) —
  which is never the same as level 1;
* the report link is an http(s) address; texts have their limits; NUL characters are refused.
One transaction locking the Programme row; a stale form (``version``) refused; every change audited.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from vrhub.core.audit import audit_changes, diff_fields
from vrhub.programmes import checks_programmes as checks
from vrhub.programmes.catalogue import TEXT_LIMIT, TITLE_MAX, EvaluationStatus, EvidenceStrength
from vrhub.programmes.models import Programme
from vrhub.programmes.services.programmes import _lock

RATED_STATUSES = (EvaluationStatus.IN_PROGRESS, EvaluationStatus.REPORTED)
FIELDS = ("evaluation_status", "evaluator", "evaluation_method", "findings", "evidence_strength", "report_url")


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    status = data.get("evaluation_status") or EvaluationStatus.NONE
    if status not in EvaluationStatus.values:
        errors["evaluation_status"] = "Choose the evaluation's status from the list"
    evaluator = checks.text(data, "evaluator", "Evaluator", TITLE_MAX, errors)
    method = checks.text(data, "evaluation_method", "Method", TEXT_LIMIT, errors)
    findings = checks.text(data, "findings", "Findings", TEXT_LIMIT, errors)
    report_url = checks.web_link(data, "report_url", "Link to the report", errors)
    strength = data.get("evidence_strength")
    if strength in (None, "", "unrated"):
        strength = None
    else:
        try:
            strength = int(str(strength))
        except (ValueError, OverflowError):
            strength = -1
        if isinstance(data.get("evidence_strength"), bool) or strength not in EvidenceStrength.values:
            errors["evidence_strength"] = "Choose the strength of evidence from the list, or not yet rated"
            strength = None
    if status == EvaluationStatus.REPORTED and "evaluation_status" not in errors:
        if not findings and "findings" not in errors:
            errors["findings"] = "Enter the findings: a reported evaluation needs them"
        if not report_url and "report_url" not in errors:
            errors["report_url"] = "Enter the link to the report: a reported evaluation needs it"
    if strength is not None and status not in RATED_STATUSES and "evidence_strength" not in errors:
        errors["evidence_strength"] = (
            "A strength of evidence can be recorded only when an evaluation is in progress or has reported: "
            "choose not yet rated, or change the status"
        )
    if errors:
        raise ValidationError(errors)
    return {
        "evaluation_status": status,
        "evaluator": evaluator,
        "evaluation_method": method,
        "findings": findings,
        "evidence_strength": strength,
        "report_url": report_url,
    }


@transaction.atomic
def programme_evaluation_update(*, programme: Programme, user, data: Mapping[str, Any], version: int) -> Programme:
    """Change the evaluation (every field at once, as the form shows them)."""
    locked = _lock(programme, user=user, version=version)
    values = _values(data)
    changes = diff_fields(locked, values)
    if not changes:
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return locked
