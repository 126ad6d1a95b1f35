"""Write-path scenarios for monitoring returns and their import (collected by tests/core/test_write_path.py)."""

from decimal import Decimal

from tests.core.scenario import Scenario
from tests.programmes import factories as f
from vrhub.programmes.services import returns, returns_import

DATA = {"reached_direct": "12", "reached_indirect": "30", "reached_by_age": {"15_17": "8"}, "spend_to_date": "900.50"}
FILE = (
    b"reference,year,quarter,reached_direct,reached_indirect,under_10,10_14,15_17,18_24,25_plus,unknown,outputs,"
    b"spend_to_date\n"
    b"WP-1,2020/21,Q1,40,120,,15,25,,,,Weekly sessions,12000\n"
    b"WP-1,2020/21,Q2,45,,,,,,,,Weekly sessions,20000.50\n"
)


def _programme(w):
    programme = f.ProgrammeFactory(owner=w.havering, reference="WP-1")
    f.ProgrammeAmountFactory(programme=programme, year=2020, amount=Decimal("50000.00"))
    return programme


def _save(w):
    programme = _programme(w)
    return lambda: returns.return_save(programme=programme, user=w.editor, year=2020, quarter=1, data=DATA)


def _update(w):
    programme = _programme(w)
    f.MonitoringReturnFactory(programme=programme, year=2020, quarter=1)
    values = {
        "reached_direct": 50,
        "reached_indirect": None,
        "reached_by_age": {},
        "outputs": "More sessions",
        "spend_to_date": Decimal("13000.00"),
    }
    return lambda: returns.write_return(programme=programme, user=w.editor, year=2020, quarter=1, values=values)


def _import(w, *, save: bool):
    programme = _programme(w)
    f.MonitoringReturnFactory(programme=programme, year=2020, quarter=1)
    preview = returns_import.returns_import_preview(user=w.editor, filename="returns.csv", content=FILE)
    if save:
        return lambda: returns_import.returns_import_save(preview=preview, user=w.editor)
    return lambda: returns_import.returns_import_preview(user=w.editor, filename="returns.csv", content=FILE)


SCENARIOS = {
    "programmes.returns.return_save": Scenario(_save, actor="editor"),
    "programmes.returns.write_return": Scenario(_update, actor="editor"),
    "programmes.returns_import.returns_import_preview": Scenario(
        lambda w: _import(w, save=False), reads=True, actor="editor"
    ),
    "programmes.returns_import.returns_import_save": Scenario(lambda w: _import(w, save=True), actor="editor"),
}
