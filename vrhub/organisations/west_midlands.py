"""Reference data for a second VRU: the West Midlands Violence Reduction Partnership, built around one police
force area (West Midlands Police, E23000014) and its seven Community Safety Partnerships. Outside London a
CSP's code in vrhub is its ONS CSP code (``data/boundaries/community-safety-partnerships-2023-ew.topojson``)."""

WM_VRU = {"code": "VRU-WMD", "name": "West Midlands Violence Reduction Partnership"}
# The local policing body that monitors the Serious Violence Duty in the force area.
WM_PCC = {"code": "PCC-WMD", "name": "West Midlands Police and Crime Commissioner"}
WM_POLICE = {"code": "E23000014", "name": "West Midlands Police"}

# Local policing area short code -> (name, CSP codes it covers)
LPAS: dict[str, tuple[str, list[str]]] = {
    "BE": ("Birmingham Local Policing Area", ["E22000335"]),
    "CV": ("Coventry Local Policing Area", ["E22000336"]),
    "BC": ("Black Country Local Policing Area", ["E22000337", "E22000338", "E22000340", "E22000341"]),
    "SH": ("Solihull Local Policing Area", ["E22000339"]),
}

CSPS: dict[str, str] = {
    "E22000335": "Birmingham",
    "E22000336": "Coventry",
    "E22000337": "Dudley",
    "E22000338": "Sandwell",
    "E22000339": "Solihull",
    "E22000340": "Walsall",
    "E22000341": "Wolverhampton",
}
