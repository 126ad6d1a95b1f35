"""Reads of read-only pages from the PostgreSQL read replica; everything else from the primary.

The rule, in one place:

- Writes always go to ``default`` (the primary), and so does every read unless the view that runs
  is marked ``@replica_reads`` (the dashboards' pages and the API's GET endpoints).
- Inside such a view, a read goes to the replica only while no ``transaction.atomic`` block has been
  opened by the request: a service's transaction (and the row it locks) stays on the primary.
- Only GET and HEAD requests read from the replica; a POST to a marked view stays on the primary.
- The session and the signed-in user are read (on the primary) before the view switches; a bearer token
  and its user are read inside ``primary_reads`` (``transparency.services.api_token_authenticate``).
- A person who has just written reads their own writes: every non-GET request sets the short-lived
  ``vrhub_primary`` cookie (``ReadYourWritesMiddleware``), and while it lasts (``REPLICA_STICKY_SECONDS``,
  longer than the replica's lag) that browser's marked pages read from the primary too.
- With no replica configured (``settings.REPLICA_DATABASE`` is None: no ``DATABASE_REPLICA_URL``),
  everything is on ``default``.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

STICKY_COOKIE = "vrhub_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})

# The depth of the primary's atomic blocks when the replica reads began, or None: no replica reads.
_replica_depth: ContextVar[int | None] = ContextVar("vrhub_replica_depth", default=None)


def replica_alias() -> str | None:
    """The configured replica's alias, or None."""
    alias = getattr(settings, "REPLICA_DATABASE", None)
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def replica_reads_enabled() -> Iterator[None]:
    """Within this block (and no deeper transaction), reads may go to the replica."""
    token = _replica_depth.set(len(connections[DEFAULT_DB_ALIAS].atomic_blocks))
    try:
        yield
    finally:
        _replica_depth.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within this block reads go to the primary even in a marked view: who is asking (a bearer token, its
    user, role and organisation) is read there, as the session's user is; a token revoked or a user
    deactivated or moved a moment ago must not act on the replica's older copy."""
    token = _replica_depth.set(None)
    try:
        yield
    finally:
        _replica_depth.reset(token)


def replica_reads(view: Callable) -> Callable:
    """Mark a read-only view: its GET and HEAD requests read from the replica when one is configured."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method not in SAFE_METHODS
            or replica_alias() is None
            or request.COOKIES.get(STICKY_COOKIE)  # this browser has just written: read its writes
        ):
            return view(request, *args, **kwargs)
        # The session and the user come from the primary (a new sign-in may not have reached the replica).
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 - loads the lazy user now
        with replica_reads_enabled():
            return view(request, *args, **kwargs)

    wrapped.replica_reads = True  # type: ignore[attr-defined]
    return wrapped


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module's docstring."""

    def db_for_read(self, model, **hints) -> str:
        depth = _replica_depth.get()
        alias = replica_alias()
        if depth is None or alias is None:
            return DEFAULT_DB_ALIAS
        if len(connections[DEFAULT_DB_ALIAS].atomic_blocks) > depth:
            return DEFAULT_DB_ALIAS  # inside a transaction the request opened: read what it writes
        return alias

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: objects from either may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's migrations by replication


class ReadYourWritesMiddleware:
    """After a request that may have written (any method but GET and HEAD), the browser reads from the
    primary for ``REPLICA_STICKY_SECONDS``, so that it sees what it has just saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and replica_alias() is not None:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=int(getattr(settings, "REPLICA_STICKY_SECONDS", 15)),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
