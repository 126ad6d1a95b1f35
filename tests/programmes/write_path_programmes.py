"""Write-path scenarios for programmes and grants, recipients and evaluation (collected by
tests/core/test_write_path.py)."""

import datetime as dt
from decimal import Decimal

from tests.core.scenario import Scenario
from tests.programmes import factories as f
from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.services import evaluation, programmes, recipients

DETAILS = {
    "reference": "HAV-WP-1",
    "title": "Detached youth work",
    "description": "Youth workers on the streets of Romford.",
    "funding_source": "VRU grant",
    "spend_category": "Youth work",
    "award_date": dt.date(2020, 4, 1),
    "start_date": dt.date(2020, 4, 1),
    "end_date": dt.date(2022, 3, 31),
}


def _programme(w, **kwargs):
    programme = f.ProgrammeFactory(owner=w.havering, reference="HAV-WP-0", **kwargs)
    programme.areas.set([w.havering])
    return programme


def _with_amount(w):
    programme = _programme(w)
    f.ProgrammeAmountFactory(programme=programme, year=2020, amount=Decimal("50000.00"))
    return programme


def _links(w):
    programme = _programme(w)
    objective = f.LogicNodeFactory(vru=w.london, level=LogicLevel.OBJECTIVE, number=1)
    old = f.LogicNodeFactory(vru=w.london, level=LogicLevel.OBJECTIVE, number=2)
    programme.objectives.set([old])
    action = w.plan.actions.first()
    theme = w.template_2021.themes.first()
    return lambda: programmes.programme_links_set(
        programme=programme,
        user=w.editor,
        objectives=[objective.pk],
        plan_actions=[action.pk],
        theme=theme.pk,
        version=programme.version,
    )


def _areas(w):
    programme = _programme(w)
    programme.plan_actions.set([w.plan.actions.first()])
    return lambda: programmes.programme_areas_set(
        programme=programme, user=w.editor, all_areas=True, areas=[], wards=["Romford Town"], version=1
    )


SCENARIOS = {
    "programmes.programmes.programme_create": Scenario(
        lambda w: lambda: programmes.programme_create(owner=w.havering, user=w.editor, data=DETAILS), actor="editor"
    ),
    "programmes.programmes.programme_update": Scenario(
        lambda w: (lambda p: lambda: programmes.programme_update(programme=p, user=w.editor, data=DETAILS, version=1))(
            _programme(w)
        ),
        actor="editor",
    ),
    "programmes.programmes.programme_amount_save": Scenario(
        lambda w: (
            lambda p: (
                lambda: programmes.programme_amount_save(
                    programme=p, user=w.editor, year=2020, amount="75000.50", estimated=True, version=1
                )
            )
        )(_programme(w)),
        actor="editor",
    ),
    "programmes.programmes.programme_amount_remove": Scenario(
        lambda w: (
            lambda p: lambda: programmes.programme_amount_remove(programme=p, user=w.editor, year=2020, version=1)
        )(_with_amount(w)),
        actor="editor",
    ),
    "programmes.programmes.programme_areas_set": Scenario(_areas, actor="editor"),
    "programmes.programmes.programme_links_set": Scenario(_links, actor="editor"),
    "programmes.programmes.programme_publication_set": Scenario(
        lambda w: (
            lambda p: (
                lambda: programmes.programme_publication_set(programme=p, user=w.editor, published=True, version=1)
            )
        )(_programme(w)),
        actor="editor",
    ),
    "programmes.recipients.recipient_create": Scenario(
        lambda w: (
            lambda: recipients.recipient_create(
                vru=w.london, user=w.editor, data={"name": "Romford Boxing Club", "charity_number": "1123456"}
            )
        ),
        actor="editor",
    ),
    "programmes.recipients.recipient_update": Scenario(
        lambda w: (
            lambda r: (
                lambda: recipients.recipient_update(
                    recipient=r, user=w.editor, data={"name": "Romford Boxing Club CIO", "company_number": "CE012345"}
                )
            )
        )(f.RecipientFactory(vru=w.london)),
        actor="editor",
    ),
    "programmes.evaluation.programme_evaluation_update": Scenario(
        lambda w: (
            lambda p: (
                lambda: evaluation.programme_evaluation_update(
                    programme=p,
                    user=w.editor,
                    data={
                        "evaluation_status": "reported",
                        "evaluator": "An independent evaluator",
                        "findings": "Fewer exclusions.",
                        "evidence_strength": 3,
                        "report_url": "https://example.org/report.pdf",
                    },
                    version=1,
                )
            )
        )(_programme(w)),
        actor="editor",
    ),
}
