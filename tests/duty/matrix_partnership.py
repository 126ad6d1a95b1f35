"""The partnership and definition pages in the permission matrix (see test_permissions): Havering's records."""

from django.urls import reverse

H = "E09000016"


def _url(name, *args):
    return lambda w: reverse(f"duty:{name}", args=[H, *args])


URLS = {
    "partnership": ("get", _url("partnership"), "view"),
    "partnership_bodies": ("get", _url("partnership_bodies"), "edit"),
    "partnership_bodies_post": ("post", _url("partnership_bodies"), "edit"),
    "partnership_authority_add": ("get", _url("partnership_authority_add"), "edit"),
    "partnership_authority_add_post": ("post", _url("partnership_authority_add"), "edit"),
    "partnership_authority": ("get", lambda w: _url("partnership_authority", w["havering"]["authority"].pk)(w), "edit"),
    "partnership_authority_post": (
        "post",
        lambda w: _url("partnership_authority", w["havering"]["authority"].pk)(w),
        "edit",
    ),
    "partnership_relevant_add": ("get", _url("partnership_relevant_add"), "edit"),
    "partnership_relevant_add_post": ("post", _url("partnership_relevant_add"), "edit"),
    "partnership_consultation_add": (
        "get",
        lambda w: _url("partnership_consultation_add", w["havering"]["relevant"].pk)(w),
        "edit",
    ),
    "partnership_consultation_add_post": (
        "post",
        lambda w: _url("partnership_consultation_add", w["havering"]["relevant"].pk)(w),
        "edit",
    ),
    "partnership_consultation": (
        "get",
        lambda w: _url("partnership_consultation", w["havering"]["consultation"].pk)(w),
        "edit",
    ),
    "partnership_consultation_post": (
        "post",
        lambda w: _url("partnership_consultation", w["havering"]["consultation"].pk)(w),
        "edit",
    ),
    "partnership_authority_remove": (
        "get",
        lambda w: _url("partnership_authority_remove", w["havering"]["authority"].pk)(w),
        "edit",
    ),
    "partnership_consultation_remove": (
        "get",
        lambda w: _url("partnership_consultation_remove", w["havering"]["consultation"].pk)(w),
        "edit",
    ),
    "partnership_relevant_remove": (
        "get",
        lambda w: _url("partnership_relevant_remove", w["havering"]["relevant"].pk)(w),
        "edit",
    ),
    "definition": ("get", _url("definition"), "view"),
    "definition_post": ("post", _url("definition"), "edit"),
    # Removals last (DESTRUCTIVE), the consultation before the relevant authority it belongs to.
    "partnership_authority_remove_post": (
        "post",
        lambda w: _url("partnership_authority_remove", w["havering"]["authority"].pk)(w),
        "edit",
    ),
    "partnership_consultation_remove_post": (
        "post",
        lambda w: _url("partnership_consultation_remove", w["havering"]["consultation"].pk)(w),
        "edit",
    ),
    "partnership_relevant_remove_post": (
        "post",
        lambda w: _url("partnership_relevant_remove", w["havering"]["relevant"].pk)(w),
        "edit",
    ),
}

POST_DATA = {
    "partnership_bodies_post": lambda w: {
        "lead_body": "London Borough of Havering",
        "local_policing_body": "Mayor's Office for Policing and Crime",
        "governance_group": "Havering Community Safety Partnership Board",
        "version": w["havering"]["partnership"].version,
    },
    "partnership_authority_add_post": {
        "kind": "fire",
        "organisation": "London Fire Brigade",
        "lead_name": "Alex Fire",
        "lead_role": "Borough commander",
        "lead_email": "alex.fire@example.org",
    },
    "partnership_authority_post": {
        "kind": "police",
        "organisation": "Metropolitan Police Service, East Area BCU",
        "lead_name": "Pat Police",
        "lead_role": "Superintendent",
        "lead_email": "",
    },
    "partnership_relevant_add_post": {"kind": "prison", "organisation": "HMP Thameside"},
    "partnership_consultation_add_post": {
        "consulted_on": "2025-03-01",
        "contact": "Head teacher",
        "asked": "Views on the definition",
        "response": "",
        "responded_on": "",
    },
    "partnership_consultation_post": {
        "consulted_on": "2025-03-01",
        "contact": "Head teacher",
        "asked": "Views on the draft strategy",
        "response": "Supportive",
        "responded_on": "2025-03-20",
    },
    "definition_post": lambda w: {
        "offence_types": ["homicide", "weapons", "robbery"],
        "local_additions": "Modern slavery",
        "factor_penalty": "Long sentences",
        "factor_victims": "Lasting harm",
        "factor_prevalence": "Above London",
        "factor_community": "Fear in town centres",
        "rationale": "Core plus robbery",
        "agreed_on": "2025-04-01",
        "version": w["havering"]["definition"].version,
    },
}

DESTRUCTIVE = {
    "partnership_authority_remove_post",
    "partnership_consultation_remove_post",
    "partnership_relevant_remove_post",
}
