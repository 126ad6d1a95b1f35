"""Every request reads the evidence store as its user's VRU: a VRU's own uploads (ISTV A&E extracts) are
seen by that VRU's people only (``store.vru_scope``). Someone outside any VRU, or not signed in, sees
no VRU's uploads; open data (data.police.uk, IMD, population, boundaries) is shared by all."""

from vrhub.evidence import store


def request_vru(request) -> str:
    """The code of the VRU whose evidence a request may read (``store.NO_VRU`` for none)."""
    user = getattr(request, "user", None)
    organisation = getattr(user, "organisation", None) if getattr(user, "is_authenticated", False) else None
    vru = organisation.owning_vru if organisation is not None else None
    return vru.code if vru is not None else store.NO_VRU


class EvidenceScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with store.vru_scope(request_vru(request)):
            return self.get_response(request)
