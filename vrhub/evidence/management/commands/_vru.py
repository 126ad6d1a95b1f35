"""Whose ISTV data a command line read sees (evidence_trend, need_ranking): one VRU's, as on the web.

Unscoped, a read counts every VRU's ISTV uploads, and London's figures (London, its boroughs and BCUs) would
count another VRU's attendances as London's. A command reads as ``--vru``, else as London's VRU (the only VRU
whose sites the workbench places in areas of its own)."""

from django.core.management.base import CommandError

from vrhub.evidence import store
from vrhub.organisations.models import Organisation

VRU_HELP = (
    "Code of the VRU whose own ISTV uploads to count (default VRU-LDN; e.g. VRU-WMD for the West Midlands' "
    "force area); open data is everyone's"
)


def command_vru(*, code: str | None) -> str:
    """The VRU a command line read is for: ``--vru`` (a VRU on this service), else London's."""
    if not code:
        return store.LONDON_VRU
    vrus = list(Organisation.objects.filter(kind=Organisation.Kind.VRU).order_by("code").values_list("code", flat=True))
    if code not in vrus:
        shown = code[: store.VRU_CODE_MAX]
        raise CommandError(f"--vru: {shown!r} is not a VRU on this service (VRUs: {', '.join(vrus) or 'none'})")
    return code
