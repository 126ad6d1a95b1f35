"""Writes of the evidence app outside the store: citing a workbench figure in an action's baseline, and
the record of evidence loads (each completed load, from the upload page or a command, is written here and
audited with who ran it; the loaders write the analytical store, DuckDB, not this database)."""

import getpass
from collections.abc import Collection
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_created
from vrhub.evidence import selectors
from vrhub.evidence.loaders import LoadSummary
from vrhub.evidence.models import Citation, EvidenceLoad
from vrhub.evidence.statistics import SUPPRESS_BELOW
from vrhub.plans import services as plan_services
from vrhub.plans.models import PlanAction


@transaction.atomic
def citation_add(
    *,
    action: PlanAction,
    user,
    area_code: str,
    measure: str,
    period: str,
    confirmed_voids: Collection[str] | None = None,
) -> Citation:
    """Work out the figure from the store now, record it for good, and add it to the baseline text.

    ``confirmed_voids``: as for ``plans.services.plan_action_update`` (a page always gives it; the change
    to a signed plan's baseline is refused unless the person agreed to void each live signature)."""
    try:
        # Outside the source's coverage is "no data" (refused), never a cited 0.
        figure = selectors.figure_to_cite(area_code=area_code, measure=measure, period=period)
    except selectors.EvidenceError as exc:
        raise ValidationError(str(exc)) from exc
    result = figure.result
    citation = Citation(
        action=action,
        area_code=figure.area.code,
        area_name=figure.area.name,
        measure=figure.measure.qualified,
        period=figure.period,
        value=figure.value,
        source=figure.source,
        synthetic=figure.synthetic,
        cited_by=user,
    )
    # Under the plan's lock (every content change takes it), add to the baseline as it is now, not as the
    # page that asked for the citation saw it: a colleague's change since then is kept.
    plan_services.plan_lock_editable(plan_id=action.plan_id)
    action.refresh_from_db(fields=["baseline", "version"])
    stamp = f"[cited from the evidence workbench on {timezone.localdate():%d/%m/%Y}]"
    baseline = "\n".join(t for t in (action.baseline.strip(), f"{_citation_text(result, citation)} {stamp}") if t)
    plan_services.plan_action_update(
        action=action, user=user, data={"baseline": baseline}, confirmed_voids=confirmed_voids
    )
    citation.save()
    audit_created(
        actor=user,
        obj=citation,
        fields=["measure", "area_code", "period", "value", "source"],
        plan_id=action.plan_id,
        action_id=action.pk,
    )
    return citation


def _citation_text(result: dict, citation: Citation) -> str:
    """The cited figure in words: count and unit (offences, victims, attendances), rate, period, source."""
    rate = result["rate_per_1000"]["current"]
    text = citation.text
    if rate is not None and citation.value >= SUPPRESS_BELOW:  # a rate would give a suppressed count away
        text += (
            f"; {rate:g} {result['unit']} per 1,000 residents a year "
            f"({result['population']['source']}, {result['population']['value']:,} residents)"
        )
    if result.get("caveat"):
        text += f". {result['caveat']}"
    return text


KINDS = ("police_uk", "mps", "istv", "imd", "population", "boundaries")
AUDITED = ["kind", "files", "via", "loaded_by", "command_user", "rows", "loaded", "rejected", "already_loaded"]


def command_user() -> str:
    """The operating-system account running a command, as the load record names it."""
    try:
        return getpass.getuser()[:150]
    except (KeyError, OSError):
        return "unknown"


@transaction.atomic
def evidence_load_record(
    *, kind: str, files: list[str | Path], summary: LoadSummary, user=None, via: str, ran_by: str = ""
) -> EvidenceLoad | None:
    """Record (and audit) a completed load of ``files`` (the upload's name, or the paths a command was
    given) by ``user`` (from the upload page) or, with no user, by the command line's ``ran_by`` account.

    A run that read no rows (every file refused whole, or loaded before) changed nothing and is not
    recorded here: the store's own ``rejects`` table lists what it refused. Returns None then."""
    if kind not in KINDS:
        raise ValidationError({"kind": f"Not a kind of evidence load: {kind!r}"})
    if via not in EvidenceLoad.Via.values:
        raise ValidationError({"via": f"Loads come from the upload page or the command line, not {via!r}"})
    if via == EvidenceLoad.Via.UPLOAD and getattr(user, "pk", None) is None:
        raise ValidationError({"user": "A load from the upload page is recorded with the person who uploaded it"})
    if summary.rows == 0:
        return None
    load = EvidenceLoad.objects.create(
        kind=kind,
        files=[str(f)[:500] for f in files],
        via=via,
        loaded_by=user if getattr(user, "pk", None) else None,
        command_user=ran_by[:150] if via == EvidenceLoad.Via.COMMAND else "",
        rows=summary.rows,
        loaded=summary.loaded,
        duplicates=summary.duplicates,
        rejected=len(summary.rejected),
        already_loaded=len(summary.already_loaded),
        synthetic=summary.synthetic,
    )
    audit_created(actor=user, obj=load, fields=AUDITED)
    return load
