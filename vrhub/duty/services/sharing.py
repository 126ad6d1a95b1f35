"""Data sharing under the Duty: information-sharing agreements, the log of s.16 disclosures and the local
policing body's s.17 information requests, tracked from request to answer or refusal.

Every function locks the partnership row (and, to respond to a request, the request's row) in one
transaction, validates everything before writing anything, and audits each change (who, when, old -> new).
``user`` is who acts; ``None`` is the system itself (demo seeding).
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vrhub.core.audit import audit_changes, audit_created, audit_deleted, diff_fields
from vrhub.core.limits import text_length, text_length_message
from vrhub.core.words import count_noun, date_words
from vrhub.duty.models import (
    TEXT_LIMIT,
    Disclosure,
    InformationRequest,
    LawfulBasis,
    Partnership,
    SharingAgreement,
)
from vrhub.duty.selectors import access
from vrhub.duty.selectors.sharing import request_addressees, request_default_due

# The Duty's sections 16 and 17 came into force on 31 January 2023: nothing before was done under them.
IN_FORCE = dt.date(2023, 1, 31)
# No date before this (a typing slip such as 0205 is refused): information-sharing agreements between
# community safety partners go back to section 115 of the Crime and Disorder Act 1998.
EARLIEST = dt.date(1998, 1, 1)
# A review or due date this far ahead at most (a typing slip such as 2205 is refused).
FURTHEST_YEARS = 10
# An agreement's parties and datasets: one per line, at most this many lines of at most this many characters.
LINES_MAX = 50
LINE_MAX = 200

AGREEMENT_FIELDS = (
    "title",
    "parties",
    "purpose",
    "datasets",
    "lawful_basis",
    "dpia_done",
    "dpia_on",
    "signed_on",
    "review_on",
)
DISCLOSURE_FIELDS = (
    "disclosed_on",
    "from_organisation",
    "to_organisation",
    "purpose",
    "information",
    "agreement",
    "lawful_basis",
)
REQUEST_FIELDS = ("requested_on", "due_on", "addressed_to", "request")

LABELS = {
    "title": "Title",
    "parties": "Parties",
    "purpose": "Purpose",
    "datasets": "Datasets",
    "lawful_basis": "Lawful basis",
    "dpia_on": "Date of the data protection impact assessment",
    "signed_on": "Date signed",
    "review_on": "Review date",
    "disclosed_on": "Date of the disclosure",
    "from_organisation": "Disclosed by",
    "to_organisation": "Disclosed to",
    "information": "What was disclosed",
    "requested_on": "Date of the request",
    "due_on": "Date the response is due",
    "addressed_to": "Specified authority asked",
    "request": "What is asked",
    "responded_on": "Date of the response",
    "answer": "Answer",
    "refusal_reason": "Legal reason for the refusal",
    "refusal_detail": "Detail of the refusal",
}

# What a missing value's error says.
REQUIRED = {
    "title": "Enter the title",
    "parties": "Enter the parties, one per line",
    "purpose": "Enter the purpose",
    "datasets": "Enter the datasets, one per line",
    "from_organisation": "Enter the organisation that disclosed the information",
    "to_organisation": "Enter the organisation it was disclosed to",
    "information": "Describe what was disclosed",
    "addressed_to": "Choose the specified authority asked",
    "request": "Enter what is asked",
    "answer": "Enter the answer",
    "refusal_detail": "Enter the detail of the refusal",
}

# Why s.16 cannot cover a disclosure: each confirmation the person must give, and the law behind it.
S16_REFUSALS = {
    "not_health": (
        "Section 16(4)(a) and (b) of the Police, Crime, Sentencing and Courts Act 2022 do not authorise "
        "disclosing patient information, nor personal information by a health or social care authority: "
        "this cannot be recorded as an s.16 disclosure"
    ),
    "data_protection": (
        "Section 16(4)(c) does not authorise a disclosure that would contravene the data protection "
        "legislation: this cannot be recorded as an s.16 disclosure"
    ),
    "investigatory_powers": (
        "Section 16(4)(d) does not authorise a disclosure prohibited by Parts 1 to 7 or Chapter 1 of Part 9 "
        "of the Investigatory Powers Act 2016: this cannot be recorded as an s.16 disclosure"
    ),
}


def _normalised(data: Mapping[str, Any]) -> dict[str, Any]:
    """Text as typed: browsers send a line break as CR LF; it is stored (and counted) as one character."""
    return {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in data.items()}


def _today() -> dt.date:
    return timezone.localdate()


def _lock(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().select_related("area").get(pk=partnership.pk)


def _require_editor(*, user, partnership: Partnership) -> None:
    """Defence in depth behind the pages' fetch-and-authorise helpers (``None``: the system)."""
    if user is not None and not access.user_can_edit_partnership(user=user, partnership=partnership):
        raise PermissionDenied("You cannot change this partnership's data-sharing records.")


def _text_errors(data: Mapping[str, Any], names: tuple[str, ...], *, required: tuple[str, ...]) -> dict[str, str]:
    """Text fields: stripped, required ones present, none over its limit (the model's, or TEXT_LIMIT)."""
    errors: dict[str, str] = {}
    for name in names:
        value = data.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[name] = f"{LABELS[name]} must be text"
            continue
        model_field = _FIELD_LIMITS.get(name, TEXT_LIMIT)
        if text_length(value) > model_field:
            errors[name] = text_length_message(label=LABELS[name], limit=model_field, length=text_length(value))
        elif name in required and not value.strip():
            errors[name] = REQUIRED[name]
    return errors


_FIELD_LIMITS = {"title": 200, "from_organisation": 200, "to_organisation": 200, "addressed_to": 200}


def _lines(value: str, *, name: str, errors: dict[str, str], minimum: int) -> str:
    """One entry per line, blank lines dropped; at most LINES_MAX lines of LINE_MAX characters."""
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    label = LABELS[name]
    if name in errors:
        return value
    if len(lines) < minimum:
        errors[name] = (
            f"Enter at least {count_noun(minimum, 'line')} in {label.lower()}, one per line"
            if minimum > 1
            else f"Enter the {label.lower()}, one per line"
        )
    elif len(lines) > LINES_MAX:
        errors[name] = f"{label} must have {LINES_MAX} lines or fewer (it has {len(lines)})"
    else:
        long = next((i for i, line in enumerate(lines, 1) if len(line) > LINE_MAX), None)
        if long is not None:
            errors[name] = (
                f"{label}, line {long}, must be {LINE_MAX} characters or fewer (it has {len(lines[long - 1])})"
            )
    return "\n".join(lines)


def _date(data: Mapping[str, Any], name: str, errors: dict[str, str], *, required: bool) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            errors[name] = f"Enter the {LABELS[name][0].lower() + LABELS[name][1:]}"
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        errors[name] = f"{LABELS[name]} must be a real date"
        return None
    if value < EARLIEST:
        errors[name] = f"{LABELS[name]} must be on or after {date_words(EARLIEST)}, not {date_words(value)}"
        return None
    return value


def _not_future(value: dt.date | None, name: str, errors: dict[str, str], *, today: dt.date) -> None:
    if value is not None and name not in errors and value > today:
        errors[name] = f"{LABELS[name]} must be today or in the past, not {date_words(value)}"


def _not_too_far(value: dt.date | None, name: str, errors: dict[str, str], *, today: dt.date) -> None:
    furthest = today.replace(
        year=today.year + FURTHEST_YEARS, day=28 if (today.month, today.day) == (2, 29) else today.day
    )
    if value is not None and name not in errors and value > furthest:
        errors[name] = f"{LABELS[name]} must be within {FURTHEST_YEARS} years, by {date_words(furthest)}"


def _not_before_force(value: dt.date | None, name: str, errors: dict[str, str], *, section: str) -> None:
    if value is not None and name not in errors and value < IN_FORCE:
        errors[name] = (
            f"{LABELS[name]} must be on or after {date_words(IN_FORCE)}, when {section} of the Police, Crime, "
            "Sentencing and Courts Act 2022 came into force"
        )


def _basis(data: Mapping[str, Any], errors: dict[str, str]) -> str:
    value = data.get("lawful_basis") or ""
    if value not in LawfulBasis.values:
        errors["lawful_basis"] = "Choose the lawful basis from the list"
    return value


# Information-sharing agreements ----------------------------------------------------------------------


def _agreement_values(data: Mapping[str, Any], *, today: dt.date) -> dict[str, Any]:
    errors = _text_errors(
        data, ("title", "parties", "purpose", "datasets"), required=("title", "parties", "purpose", "datasets")
    )
    values: dict[str, Any] = {
        "title": (data.get("title") or "").strip(),
        "purpose": (data.get("purpose") or "").strip(),
        "parties": _lines(data.get("parties") or "", name="parties", errors=errors, minimum=2),
        "datasets": _lines(data.get("datasets") or "", name="datasets", errors=errors, minimum=1),
        "lawful_basis": _basis(data, errors),
        "dpia_done": bool(data.get("dpia_done")),
    }
    values["dpia_on"] = _date(data, "dpia_on", errors, required=False)
    values["signed_on"] = _date(data, "signed_on", errors, required=False)
    values["review_on"] = _date(data, "review_on", errors, required=True)
    if values["dpia_done"] and values["dpia_on"] is None and "dpia_on" not in errors:
        errors["dpia_on"] = "Enter the date the data protection impact assessment was done"
    if not values["dpia_done"] and values["dpia_on"] is not None:
        errors["dpia_done"] = "Tick that the data protection impact assessment was done, or remove its date"
    _not_future(values["dpia_on"], "dpia_on", errors, today=today)
    _not_future(values["signed_on"], "signed_on", errors, today=today)
    _not_too_far(values["review_on"], "review_on", errors, today=today)
    signed = values["signed_on"]
    if signed is not None and values["review_on"] is not None and "review_on" not in errors:
        if values["review_on"] <= signed:
            errors["review_on"] = f"Review date must be after the date signed ({date_words(signed)})"
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def agreement_create(*, partnership: Partnership, user, data: Mapping[str, Any]) -> SharingAgreement:
    """Add an information-sharing agreement to the partnership's register."""
    data = _normalised(data)
    partnership = _lock(partnership)
    _require_editor(user=user, partnership=partnership)
    values = _agreement_values(data, today=_today())
    agreement = SharingAgreement(partnership=partnership, **values)
    agreement.full_clean()
    agreement.save()
    audit_created(actor=user, obj=agreement, fields=AGREEMENT_FIELDS)
    return agreement


@transaction.atomic
def agreement_update(*, agreement: SharingAgreement, user, data: Mapping[str, Any]) -> SharingAgreement:
    """Change an agreement (every field at once, as the form shows them); audits each changed field."""
    data = _normalised(data)
    _lock(agreement.partnership)
    agreement = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    _require_editor(user=user, partnership=agreement.partnership)
    values = _agreement_values(data, today=_today())
    changes = diff_fields(agreement, values)
    if not changes:
        return agreement
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save(update_fields=list(changes))
    audit_changes(actor=user, obj=agreement, changes=changes)
    return agreement


@transaction.atomic
def agreement_remove(*, agreement: SharingAgreement, user) -> None:
    """Remove an agreement from the register: refused while the disclosure log cites it (the log keeps
    which agreement each disclosure was made under)."""
    _lock(agreement.partnership)
    agreement = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    _require_editor(user=user, partnership=agreement.partnership)
    cited = agreement.disclosures.count()
    if cited:
        raise ValidationError(
            f"“{agreement.title}” cannot be removed: the disclosure log records "
            f"{count_noun(cited, 'disclosure')} made under it. Change its review date instead."
        )
    audit_deleted(actor=user, obj=agreement)
    agreement.delete()


# s.16 disclosures ------------------------------------------------------------------------------------


@transaction.atomic
def disclosure_record(
    *, partnership: Partnership, user, data: Mapping[str, Any], confirmations: Mapping[str, bool]
) -> Disclosure:
    """Log a disclosure made under s.16. ``confirmations`` must confirm each of ``S16_REFUSALS``' keys
    (none of s.16(4)'s exclusions applies); otherwise nothing is recorded and each error says why."""
    data = _normalised(data)
    partnership = _lock(partnership)
    _require_editor(user=user, partnership=partnership)
    today = _today()
    errors = _text_errors(
        data,
        ("from_organisation", "to_organisation", "purpose", "information"),
        required=("from_organisation", "to_organisation", "purpose", "information"),
    )
    for key, message in S16_REFUSALS.items():
        if not confirmations.get(key):
            errors[key] = message
    disclosed_on = _date(data, "disclosed_on", errors, required=True)
    _not_future(disclosed_on, "disclosed_on", errors, today=today)
    _not_before_force(disclosed_on, "disclosed_on", errors, section="section 16")
    basis = _basis(data, errors)
    source = (data.get("from_organisation") or "").strip()
    recipient = (data.get("to_organisation") or "").strip()
    if source and recipient and source.casefold() == recipient.casefold() and "to_organisation" not in errors:
        errors["to_organisation"] = "Disclosed to must be a different organisation from the one disclosing"
    agreement = data.get("agreement")
    if agreement is not None and (
        not isinstance(agreement, SharingAgreement) or agreement.partnership_id != partnership.pk
    ):
        errors["agreement"] = "Choose one of this partnership's information-sharing agreements, or none"
    if errors:
        raise ValidationError(errors)
    assert disclosed_on is not None  # required: an error above otherwise
    disclosure = Disclosure(
        partnership=partnership,
        disclosed_on=disclosed_on,
        from_organisation=source,
        to_organisation=recipient,
        purpose=(data.get("purpose") or "").strip(),
        information=(data.get("information") or "").strip(),
        agreement=agreement,
        lawful_basis=basis,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    disclosure.full_clean(exclude=["recorded_by"])
    disclosure.save()
    audit_created(actor=user, obj=disclosure, fields=(*DISCLOSURE_FIELDS, "recorded_by"))
    return disclosure


# s.17 information requests ---------------------------------------------------------------------------


@transaction.atomic
def information_request_create(*, partnership: Partnership, user, data: Mapping[str, Any]) -> InformationRequest:
    """The local policing body asks a specified authority of the partnership for information (s.17).
    ``due_on`` left out: ``request_default_due``, REQUEST_DEFAULT_DAYS after the request date."""
    data = _normalised(data)
    partnership = _lock(partnership)
    if user is not None and not access.user_can_request_information(user=user, partnership=partnership):
        raise PermissionDenied("Only the local policing body makes information requests under section 17.")
    today = _today()
    errors = _text_errors(data, ("addressed_to", "request"), required=("addressed_to", "request"))
    requested_on = _date(data, "requested_on", errors, required=True)
    _not_future(requested_on, "requested_on", errors, today=today)
    _not_before_force(requested_on, "requested_on", errors, section="section 17")
    due_on = _date(data, "due_on", errors, required=False)
    if due_on is None and requested_on is not None and "due_on" not in errors:
        due_on = request_default_due(requested_on=requested_on)
    if due_on is not None and requested_on is not None and "due_on" not in errors and due_on <= requested_on:
        errors["due_on"] = (
            f"Date the response is due must be after the date of the request ({date_words(requested_on)})"
        )
    _not_too_far(due_on, "due_on", errors, today=today)
    addressed_to = (data.get("addressed_to") or "").strip()
    if (
        addressed_to
        and "addressed_to" not in errors
        and addressed_to not in request_addressees(partnership=partnership)
    ):
        errors["addressed_to"] = "Choose one of the partnership's specified authorities from the list"
    if errors:
        raise ValidationError(errors)
    assert requested_on is not None and due_on is not None  # required: an error above otherwise
    info_request = InformationRequest(
        partnership=partnership,
        requested_on=requested_on,
        due_on=due_on,
        addressed_to=addressed_to,
        request=(data.get("request") or "").strip(),
        requested_by=user if getattr(user, "pk", None) else None,
    )
    info_request.full_clean(exclude=["requested_by"])
    info_request.save()
    audit_created(actor=user, obj=info_request, fields=(*REQUEST_FIELDS, "state", "requested_by"))
    return info_request


def _lock_open_request(*, info_request: InformationRequest, user) -> InformationRequest:
    """Lock the partnership, then the request, and check it still awaits a response: a second response
    (or two at once: the second waits for the lock, then finds it answered) is refused."""
    _lock(info_request.partnership)
    locked = InformationRequest.objects.select_for_update().get(pk=info_request.pk)
    _require_editor(user=user, partnership=locked.partnership)
    if locked.state != InformationRequest.State.OPEN:
        raise ValidationError(
            f"This request was already {locked.get_state_display().lower()} on {date_words(locked.responded_on)}: "
            "a request gets one response."
        )
    return locked


def _responded_on(data: Mapping[str, Any], locked: InformationRequest, errors: dict[str, str]) -> dt.date | None:
    responded_on = _date(data, "responded_on", errors, required=True)
    _not_future(responded_on, "responded_on", errors, today=_today())
    if responded_on is not None and "responded_on" not in errors and responded_on < locked.requested_on:
        errors["responded_on"] = (
            f"Date of the response must be on or after the date of the request ({date_words(locked.requested_on)})"
        )
    return responded_on


def _respond(*, locked: InformationRequest, user, values: dict[str, Any]) -> InformationRequest:
    values["version"] = locked.version + 1
    changes = diff_fields(locked, values)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["requested_by"])
    locked.save(update_fields=list(changes))
    audit_changes(actor=user, obj=locked, changes=changes, object_version=locked.version)
    return locked


@transaction.atomic
def information_request_answer(
    *, info_request: InformationRequest, user, data: Mapping[str, Any]
) -> InformationRequest:
    """The partnership answers an open request: open -> answered, once."""
    data = _normalised(data)
    locked = _lock_open_request(info_request=info_request, user=user)
    errors = _text_errors(data, ("answer",), required=("answer",))
    responded_on = _responded_on(data, locked, errors)
    if errors:
        raise ValidationError(errors)
    values = {
        "state": InformationRequest.State.ANSWERED,
        "responded_on": responded_on,
        "answer": data["answer"].strip(),
    }
    return _respond(locked=locked, user=user, values=values)


@transaction.atomic
def information_request_refuse(
    *, info_request: InformationRequest, user, data: Mapping[str, Any]
) -> InformationRequest:
    """The partnership refuses an open request with its legal reason (s.17 allows only two): open ->
    refused, once."""
    data = _normalised(data)
    locked = _lock_open_request(info_request=info_request, user=user)
    errors = _text_errors(data, ("refusal_detail",), required=("refusal_detail",))
    reason = data.get("refusal_reason") or ""
    if reason not in InformationRequest.RefusalReason.values:
        errors["refusal_reason"] = (
            "Choose the legal reason: section 17 allows a refusal only under the data protection legislation "
            "or the Investigatory Powers Act 2016"
        )
    responded_on = _responded_on(data, locked, errors)
    if errors:
        raise ValidationError(errors)
    values = {
        "state": InformationRequest.State.REFUSED,
        "responded_on": responded_on,
        "refusal_reason": reason,
        "refusal_detail": data["refusal_detail"].strip(),
    }
    return _respond(locked=locked, user=user, values=values)
