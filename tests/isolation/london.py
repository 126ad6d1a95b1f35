"""What of London a West Midlands user must never see: London's markers, read from the world itself (its
organisations' names and codes, and any text of the objects a test made), and the check of a response body."""

from vrhub.organisations.models import Organisation

# Names too common to be a marker on their own ("Sutton" is also a Birmingham neighbourhood, "Brent" a given name),
# and "London Councils", also a sector in governance's catalogue of members: these are not searched.
NOT_MARKERS = {"Sutton", "Brent", "Merton", "Bromley", "London Councils"}


def london_markers(*, extra: tuple[str, ...] = ()) -> set[str]:
    """London's VRU, partners, BCUs and boroughs (names and codes) from the database, plus ``extra`` texts."""
    london = Organisation.objects.get(code="VRU-LDN")
    orgs = Organisation.objects.filter(vru=london) | Organisation.objects.filter(pk=london.pk)
    markers: set[str] = set(extra)
    for name, code, csp_code in orgs.values_list("name", "code", "csp_code"):
        markers |= {name, code} | ({csp_code} if csp_code else set())
    # Codes of two or three letters ("LC") would be found by chance in any page or PDF.
    return {m for m in markers if len(m) > 3 and m not in NOT_MARKERS}


def london_in(body: bytes | str, markers: set[str]) -> list[str]:
    """The markers found in ``body`` (sorted), [] when nothing of London is there."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return sorted(m for m in markers if m in text)
