"""Write-path scenarios for data sharing (collected by tests/core/test_write_path.py)."""

import datetime as dt

from tests.core.scenario import STANDARD, Scenario
from tests.duty import factories as f
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.duty.services import sharing
from vrhub.organisations.models import Organisation

AGREEMENT = {
    "title": "A&E assault data",
    "parties": "NHS trust\nHavering Council",
    "purpose": "Prevention",
    "datasets": "ISTV extracts",
    "lawful_basis": "public_task",
    "dpia_done": True,
    "dpia_on": dt.date(2025, 3, 1),
    "signed_on": dt.date(2025, 4, 1),
    "review_on": dt.date(2027, 4, 1),
}
CONFIRMED = {"not_health": True, "data_protection": True, "investigatory_powers": True}


def _mopac_officer():
    return UserFactory(
        username="mopac.officer", organisation=Organisation.objects.get(code="MOPAC"), role=User.Role.POLICING_BODY
    )


def _create(w):
    p = f.PartnershipFactory(area=w.havering, vru=w.london)
    return lambda: sharing.agreement_create(partnership=p, user=w.editor, data=AGREEMENT)


def _update(w):
    a = f.SharingAgreementFactory(partnership=f.PartnershipFactory(area=w.havering, vru=w.london))
    return lambda: sharing.agreement_update(agreement=a, user=w.editor, data={**AGREEMENT, "title": "Renamed"})


def _remove(w):
    a = f.SharingAgreementFactory(partnership=f.PartnershipFactory(area=w.havering, vru=w.london))
    return lambda: sharing.agreement_remove(agreement=a, user=w.editor)


def _disclose(w):
    p = f.PartnershipFactory(area=w.havering, vru=w.london)
    a = f.SharingAgreementFactory(partnership=p)
    data = {
        "disclosed_on": dt.date(2026, 1, 5),
        "from_organisation": "Police",
        "to_organisation": "Council",
        "purpose": "Needs assessment",
        "information": "Counts by ward",
        "agreement": a,
        "lawful_basis": "no_personal_data",
    }
    return lambda: sharing.disclosure_record(partnership=p, user=w.editor, data=data, confirmations=CONFIRMED)


def _request(w):
    p = f.PartnershipFactory(area=w.havering, vru=w.london)
    w.mopac_user = _mopac_officer()
    data = {"requested_on": dt.date(2026, 1, 5), "addressed_to": "Local authority", "request": "Outcome measures"}
    return lambda: sharing.information_request_create(partnership=p, user=w.mopac_user, data=data)


def _answer(w):
    r = f.InformationRequestFactory(partnership=f.PartnershipFactory(area=w.havering, vru=w.london))
    data = {"responded_on": r.requested_on, "answer": "Sent"}
    return lambda: sharing.information_request_answer(info_request=r, user=w.editor, data=data)


def _refuse(w):
    r = f.InformationRequestFactory(partnership=f.PartnershipFactory(area=w.havering, vru=w.london))
    data = {"responded_on": r.requested_on, "refusal_reason": "investigatory_powers", "refusal_detail": "Intercept"}
    return lambda: sharing.information_request_refuse(info_request=r, user=w.editor, data=data)


SCENARIOS = {
    "duty.sharing.agreement_create": Scenario(_create, needs=STANDARD, actor="editor"),
    "duty.sharing.agreement_update": Scenario(_update, needs=STANDARD, actor="editor"),
    "duty.sharing.agreement_remove": Scenario(_remove, needs=STANDARD, actor="editor"),
    "duty.sharing.disclosure_record": Scenario(_disclose, needs=STANDARD, actor="editor"),
    "duty.sharing.information_request_create": Scenario(_request, needs=STANDARD, actor=lambda w: w.mopac_user),
    "duty.sharing.information_request_answer": Scenario(_answer, needs=STANDARD, actor="editor"),
    "duty.sharing.information_request_refuse": Scenario(_refuse, needs=STANDARD, actor="editor"),
}
