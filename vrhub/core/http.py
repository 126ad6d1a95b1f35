"""What a request says about where it came from, trusting only the proxies we run."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: with ``PROXY_COUNT`` proxies in front (each appending the address it saw to
    X-Forwarded-For), the entry that the outermost of our proxies wrote; entries further left are the
    client's own claims and are never trusted. With no proxies, REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
