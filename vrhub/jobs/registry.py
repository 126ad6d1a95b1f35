"""Kinds of background job. Each app declares its own in a ``jobs.py`` module with ``@job_kind``.

The jobs app knows no other app: it finds their ``jobs`` modules when Django starts, as the admin
finds ``admin`` modules.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class JobContext:
    """What a handler gets besides its parameters: who started it and a way to report progress."""

    job_id: str
    user: Any
    progress: Callable[..., None]
    set_output: Callable[..., None]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    handler: Callable[..., dict]
    # Called with (user, params) before the job is queued: raise PermissionDenied/ValidationError to refuse.
    authorise: Callable[..., None]


KINDS: dict[str, JobKind] = {}


def job_kind(*, name: str, label: str, authorise: Callable[..., None]):
    """Register ``handler(*, context, **params) -> dict`` as a kind of job."""

    def register(handler: Callable[..., dict]) -> Callable[..., dict]:
        if name in KINDS and KINDS[name].handler is not handler:
            raise RuntimeError(f"Two job kinds are called {name!r}")
        KINDS[name] = JobKind(name=name, label=label, handler=handler, authorise=authorise)
        return handler

    return register


def kind_get(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError as exc:
        raise LookupError(f"Unknown kind of job {name!r}") from exc


def autodiscover() -> None:
    autodiscover_modules("jobs")
