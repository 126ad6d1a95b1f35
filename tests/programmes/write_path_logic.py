"""Write-path scenarios for the logic model's services (collected by tests/core/test_write_path.py)."""

from tests.core.scenario import Scenario
from tests.programmes import factories as f
from vrhub.programmes.catalogue import LogicLevel
from vrhub.programmes.models import LogicLink
from vrhub.programmes.services import logic


def _outcome(w):
    return f.LogicNodeFactory(vru=w.london, level=LogicLevel.OUTCOME, number=1, title="Young people are safer")


def _create(w):
    outcome = _outcome(w)
    data = {
        "level": LogicLevel.OBJECTIVE,
        "number": 3,
        "title": "Supporting stronger families",
        "horizon": "2–3 years",
        "measures": "Families supported\nRepeat referrals",
        "links": [outcome.pk],
    }
    return lambda: logic.logic_node_create(vru=w.london, user=w.vru_admin, data=data)


def _update(w):
    outcome = _outcome(w)
    other = f.LogicNodeFactory(vru=w.london, level=LogicLevel.OUTCOME, number=2, title="Communities participate")
    node = f.LogicNodeFactory(vru=w.london, level=LogicLevel.OBJECTIVE, number=1, title="Old title")
    LogicLink.objects.create(source=node, target=outcome)
    data = {"number": 1, "title": "New title", "horizon": "3 years", "measures": "A measure", "links": [other.pk]}
    return lambda: logic.logic_node_update(node=node, user=w.vru_admin, data=data)


def _remove(w):
    outcome = _outcome(w)
    node = f.LogicNodeFactory(vru=w.london, level=LogicLevel.OBJECTIVE, number=1, title="Going")
    LogicLink.objects.create(source=node, target=outcome)
    return lambda: logic.logic_node_remove(node=node, user=w.vru_admin)


SCENARIOS = {
    "programmes.logic.logic_node_create": Scenario(_create, actor="vru_admin"),
    "programmes.logic.logic_node_update": Scenario(_update, actor="vru_admin"),
    "programmes.logic.logic_node_remove": Scenario(_remove, actor="vru_admin"),
}
