"""Data sharing in the permission matrix (see test_permissions): Havering's registers."""

from django.urls import reverse


def _h(w, name):
    return w["havering"][name]


URLS = {
    "sharing": ("get", lambda w: reverse("duty:sharing", args=["E09000016"]), "view"),
    "sharing_agreement": (
        "get",
        lambda w: reverse("duty:sharing_agreement", args=["E09000016", _h(w, "agreement").pk]),
        "view",
    ),
    "sharing_agreement_add": ("get", lambda w: reverse("duty:sharing_agreement_add", args=["E09000016"]), "edit"),
    "sharing_agreement_add_post": (
        "post",
        lambda w: reverse("duty:sharing_agreement_add", args=["E09000016"]),
        "edit",
    ),
    "sharing_agreement_edit": (
        "get",
        lambda w: reverse("duty:sharing_agreement_edit", args=["E09000016", _h(w, "agreement").pk]),
        "edit",
    ),
    "sharing_agreement_edit_post": (
        "post",
        lambda w: reverse("duty:sharing_agreement_edit", args=["E09000016", _h(w, "agreement").pk]),
        "edit",
    ),
    "sharing_agreement_remove": (
        "get",
        lambda w: reverse("duty:sharing_agreement_remove", args=["E09000016", _h(w, "agreement").pk]),
        "edit",
    ),
    "sharing_agreement_remove_post": (
        "post",
        lambda w: reverse("duty:sharing_agreement_remove", args=["E09000016", _h(w, "agreement").pk]),
        "edit",
    ),
    "sharing_disclosure": (
        "get",
        lambda w: reverse("duty:sharing_disclosure", args=["E09000016", _h(w, "disclosure").pk]),
        "view",
    ),
    "sharing_disclosure_add": ("get", lambda w: reverse("duty:sharing_disclosure_add", args=["E09000016"]), "edit"),
    "sharing_disclosure_add_post": (
        "post",
        lambda w: reverse("duty:sharing_disclosure_add", args=["E09000016"]),
        "edit",
    ),
    "sharing_request": (
        "get",
        lambda w: reverse("duty:sharing_request", args=["E09000016", _h(w, "request").pk]),
        "view",
    ),
    "sharing_request_add": ("get", lambda w: reverse("duty:sharing_request_add", args=["E09000016"]), "request"),
    "sharing_request_add_post": (
        "post",
        lambda w: reverse("duty:sharing_request_add", args=["E09000016"]),
        "request",
    ),
    "sharing_request_answer": (
        "post",
        lambda w: reverse("duty:sharing_request_answer", args=["E09000016", _h(w, "request").pk]),
        "edit",
    ),
    "sharing_request_refuse": (
        "post",
        lambda w: reverse("duty:sharing_request_refuse", args=["E09000016", _h(w, "request").pk]),
        "edit",
    ),
    "requests": ("get", lambda w: reverse("duty:requests"), "monitor"),
}

AGREEMENT = {
    "title": "Youth service referrals",
    "parties": "Havering Council\nMetropolitan Police",
    "purpose": "Prevention",
    "datasets": "Referral counts",
    "lawful_basis": "public_task",
    "review_on": "2027-06-01",
}
POST_DATA = {
    "sharing_agreement_add_post": AGREEMENT,
    "sharing_agreement_edit_post": {**AGREEMENT, "title": "Renamed agreement"},
    "sharing_disclosure_add_post": {
        "disclosed_on": "2026-01-05",
        "from_organisation": "Metropolitan Police",
        "to_organisation": "Havering Council",
        "purpose": "Needs assessment",
        "information": "Counts of knife offences by ward",
        "lawful_basis": "no_personal_data",
        "not_health": "on",
        "data_protection": "on",
        "investigatory_powers": "on",
    },
    "sharing_request_add_post": {
        "requested_on": "2026-01-05",
        "addressed_to": "Local authority",
        "request": "Progress against the strategy's outcome measures",
    },
    "sharing_request_answer": {"answer-responded_on": "2026-08-15", "answer-answer": "Sent on 15 August"},
    "sharing_request_refuse": {
        "refuse-responded_on": "2026-08-15",
        "refuse-refusal_reason": "data_protection",
        "refuse-refusal_detail": "Names of victims",
    },
}
DESTRUCTIVE = {"sharing_agreement_remove_post"}
