"""Write-path scenarios (tests/core/test_write_path.py) for the partnership's and the definition's services."""

import datetime as dt

from tests.core.scenario import Scenario
from tests.duty import factories as f

NEEDS = ("london", "havering", "editor")


def _s(module: str):
    import importlib

    return importlib.import_module(f"vrhub.duty.services.{module}")


def _p(w):
    return f.PartnershipFactory(area=w.havering, vru=w.london)


def _relevant(w):
    return f.RelevantAuthorityFactory(partnership=_p(w))


def _consultation(w):
    return f.ConsultationFactory(authority=_relevant(w))


BODIES = {"lead_body": "London Borough of Havering", "governance_group": "Havering CSP Board"}
AUTHORITY = {"kind": "fire", "organisation": "London Fire Brigade", "lead_name": "Alex Fire"}
CONSULTATION = {
    "consulted_on": dt.date(2025, 3, 1),
    "contact": "Head teacher",
    "asked": "Views on the definition",
    "response": "Supportive",
    "responded_on": dt.date(2025, 3, 20),
}
DEFINITION = {"offence_types": ["homicide", "robbery"], "rationale": "Core plus robbery", "factor_penalty": "Long"}


def _scenario(setup) -> Scenario:
    return Scenario(setup, needs=NEEDS, actor="editor")


SCENARIOS = {
    "duty.partnership.partnership_create": _scenario(
        lambda w: lambda: _s("partnership").partnership_create(area=w.havering, user=w.editor, data=BODIES)
    ),
    "duty.partnership.partnership_update": _scenario(
        lambda w: (
            lambda p: (
                lambda: _s("partnership").partnership_update(
                    partnership=p, user=w.editor, data={"governance_group": "Safer Havering Board"}
                )
            )
        )(_p(w))
    ),
    "duty.partnership.specified_authority_add": _scenario(
        lambda w: (
            lambda p: lambda: _s("partnership").specified_authority_add(partnership=p, user=w.editor, data=AUTHORITY)
        )(_p(w))
    ),
    "duty.partnership.specified_authority_update": _scenario(
        lambda w: (
            lambda a: (
                lambda: _s("partnership").specified_authority_update(
                    authority=a, user=w.editor, data={"lead_name": "Sam New"}
                )
            )
        )(f.SpecifiedAuthorityFactory(partnership=_p(w)))
    ),
    "duty.partnership.specified_authority_remove": _scenario(
        lambda w: (lambda a: lambda: _s("partnership").specified_authority_remove(authority=a, user=w.editor))(
            f.SpecifiedAuthorityFactory(partnership=_p(w))
        )
    ),
    "duty.partnership.relevant_authority_add": _scenario(
        lambda w: (
            lambda p: (
                lambda: _s("partnership").relevant_authority_add(
                    partnership=p, user=w.editor, data={"kind": "prison", "organisation": "HMP Thameside"}
                )
            )
        )(_p(w))
    ),
    "duty.partnership.relevant_authority_remove": _scenario(
        lambda w: (lambda c: lambda: _s("partnership").relevant_authority_remove(authority=c.authority, user=w.editor))(
            _consultation(w)
        )
    ),
    "duty.partnership.consultation_add": _scenario(
        lambda w: (lambda r: lambda: _s("partnership").consultation_add(authority=r, user=w.editor, data=CONSULTATION))(
            _relevant(w)
        )
    ),
    "duty.partnership.consultation_update": _scenario(
        lambda w: (
            lambda c: (
                lambda: _s("partnership").consultation_update(
                    consultation=c, user=w.editor, data={"response": "Supportive, with changes"}
                )
            )
        )(_consultation(w))
    ),
    "duty.partnership.consultation_remove": _scenario(
        lambda w: (lambda c: lambda: _s("partnership").consultation_remove(consultation=c, user=w.editor))(
            _consultation(w)
        )
    ),
    "duty.definition.definition_save": _scenario(
        lambda w: (lambda p: lambda: _s("definition").definition_save(partnership=p, user=w.editor, data=DEFINITION))(
            _p(w)
        )
    ),
}
