"""The URL × role permission matrix shared by the apps that declare their URLs in ``tests/<app>/matrix_*.py``
modules (duty, governance, programmes): each module's ``URLS = {name: (method, url(world), kind)}``, optional
``POST_DATA = {name: data or data(world)}`` and ``DESTRUCTIVE`` (names run last). Each app's
``test_permissions.py`` keeps its own roles and KINDS (what each role should get) and runs ``failures``."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from tests.factories import UserFactory
from tests.isolation.london import london_in, london_markers
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import west_midlands_load

# Who requests each URL: (organisation code, role, office), None for anonymous. Havering (E09000016) in MPS-EA
# is "the" borough; Lambeth (E09000022) in MPS-AS "another". The West Midlands roles are real users of another VRU
# (fixture ``west_midlands``): its admin, reviewer, Birmingham's (E22000335) editor and viewer, the Birmingham BCU
# commander (WMP-BE) and the West Midlands PCC. Every London object is 404 to them.
WM_ROLES = {
    "wm_vru_admin": ("VRU-WMD", User.Role.VRU_ADMIN, ""),
    "wm_vru_reviewer": ("VRU-WMD", User.Role.VRU_REVIEWER, ""),
    "wm_borough_editor": ("E22000335", User.Role.BOROUGH_EDITOR, ""),
    "wm_borough_viewer": ("E22000335", User.Role.BOROUGH_VIEWER, ""),
    "wm_bcu_commander": ("WMP-BE", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    "wm_policing_body": ("PCC-WMD", User.Role.POLICING_BODY, ""),
}
ROLES = {
    "vru_admin": ("VRU-LDN", User.Role.VRU_ADMIN, ""),
    "vru_reviewer": ("VRU-LDN", User.Role.VRU_REVIEWER, ""),
    "borough_editor": ("E09000016", User.Role.BOROUGH_EDITOR, ""),
    "borough_viewer": ("E09000016", User.Role.BOROUGH_VIEWER, ""),
    "chief_executive": ("E09000016", User.Role.SIGNATORY, User.Office.CHIEF_EXECUTIVE),
    "bcu_commander": ("MPS-EA", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    "policing_body": ("MOPAC", User.Role.POLICING_BODY, ""),
    "other_borough_editor": ("E09000022", User.Role.BOROUGH_EDITOR, ""),
    "other_borough_viewer": ("E09000022", User.Role.BOROUGH_VIEWER, ""),
    "other_bcu_commander": ("MPS-AS", User.Role.SIGNATORY, User.Office.BCU_COMMANDER),
    **WM_ROLES,
    "anonymous": None,
}


@dataclass
class Matrix:
    urls: dict = field(default_factory=dict)
    post_data: dict = field(default_factory=dict)
    destructive: set = field(default_factory=set)


def collect(package: ModuleType) -> Matrix:
    """Every ``matrix_*`` module of ``package``, merged; a URL name declared twice is an error."""
    matrix = Matrix()
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("matrix_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        assert not set(module.URLS) & set(matrix.urls), f"{module.__name__} repeats a URL name"
        matrix.urls.update(module.URLS)
        matrix.post_data.update(getattr(module, "POST_DATA", {}))
        matrix.destructive |= set(getattr(module, "DESTRUCTIVE", set()))
    return matrix


def other_vru_and_policing_body() -> None:
    """The West Midlands (its VRU, PCC, force, BCUs and seven CSPs), for the West Midlands roles."""
    west_midlands_load()


def expected_for(kinds: dict[str, Callable[[str], set[int]]], kind: str, role: str) -> set[int]:
    """What ``role`` should get for a URL of ``kind``: anonymous people see public pages and are sent to sign
    in everywhere else."""
    if role == "anonymous":
        return {200} if kind == "public" else {302}
    return kinds[kind](role)


def failures(client, world, *, matrix: Matrix, roles: dict, role: str, kinds: dict) -> list[str]:
    """Every URL of ``matrix`` requested as ``role`` (GETs first, destructive POSTs last): the ones whose
    answer is not what ``kinds`` expects, anonymous requests not sent to sign in, signed-in ones that are, and
    any page a West Midlands user gets (other than a public one) that shows something of London."""
    markers = london_markers() if role in WM_ROLES else set()
    user = None
    if roles[role] is not None:
        code, user_role, office = roles[role]
        user = UserFactory(organisation=Organisation.objects.get(code=code), role=user_role, office=office)
    found = []
    for name in sorted(matrix.urls, key=lambda n: (matrix.urls[n][0] == "post", n in matrix.destructive)):
        if user is not None:
            client.force_login(user)
        method, build, kind = matrix.urls[name]
        url = build(world)
        data = matrix.post_data.get(name, {})
        data = data(world) if callable(data) else data
        response = client.post(url, data) if method == "post" else client.get(url)
        want = expected_for(kinds, kind, role)
        if response.status_code not in want:
            found.append(f"{method.upper()} {url} ({name}): {response.status_code}, expected {want}")
        elif role == "anonymous" and kind != "public" and "login" not in response["Location"]:
            found.append(f"{name}: anonymous user not sent to sign in")
        elif user is not None and response.status_code == 302 and "login" in response["Location"]:
            # A {200, 302} expectation admits a redirect after a change, never a signed-in user sent to sign in.
            found.append(f"{method.upper()} {url} ({name}): signed-in user sent to sign in")
        elif markers and kind != "public" and response.status_code == 200:
            if seen := london_in(response.content, markers):
                found.append(f"{method.upper()} {url} ({name}) shows London: {', '.join(seen[:5])}")
    return found
