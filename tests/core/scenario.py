"""The write-path check's scenario type, shared by every ``tests/<app>/write_path_*.py`` module."""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

STANDARD = ("london", "havering", "editor", "vru_admin", "reviewer", "template_2021", "plan")
CYCLE = (*STANDARD, "quarters", "signatories", "complete_plan")


@dataclass
class Scenario:
    """``setup(w)`` prepares data (not captured) and returns the call to capture.

    ``reads``: the function must write nothing at all (except ``allowed`` tables, each with its reason).
    ``records``: it writes only NOT_DOMAIN records, and at least one of them.
    ``notes``: it changes no domain table and writes only audit entries, at least one (the record of
    something done outside the database, such as an e-mail sent, on the object it was about).
    Otherwise it must write at least one domain table, and every domain write must be audited.
    """

    setup: Callable[[SimpleNamespace], Callable[[], object]]
    reads: bool = False
    records: bool = False
    notes: bool = False
    allowed: dict[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] = STANDARD  # fixtures made before the capture (the call may use no others)
    # The user the call acts as (a World attribute's name, or a function of the World); None for a system call.
    # Every audit entry the call writes must name this actor.
    actor: str | Callable[[SimpleNamespace], object] | None = None
