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
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation

# Who requests each URL: (organisation code, role, office), None for anonymous. Havering (E09000016) in MPS-EA
# is "the" borough; Lambeth (E09000022) in MPS-AS "another"; VRU-X and PCC-X another VRU and its policing body.
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
    "other_vru_admin": ("VRU-X", User.Role.VRU_ADMIN, ""),
    "other_policing_body": ("PCC-X", User.Role.POLICING_BODY, ""),
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
    """Another VRU (VRU-X) and its local policing body (PCC-X), for the "other VRU" roles."""
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    Organisation.objects.create(kind=Organisation.Kind.POLICING_BODY, code="PCC-X", name="Other PCC", vru=other_vru)


def expected_for(kinds: dict[str, Callable[[str], set[int]]], kind: str, role: str) -> set[int]:
    """What ``role`` should get for a URL of ``kind``: anonymous people see public pages and are sent to sign
    in everywhere else."""
    if role == "anonymous":
        return {200} if kind == "public" else {302}
    return kinds[kind](role)


def failures(client, world, *, matrix: Matrix, roles: dict, role: str, kinds: dict) -> list[str]:
    """Every URL of ``matrix`` requested as ``role`` (GETs first, destructive POSTs last): the ones whose
    answer is not what ``kinds`` expects, and anonymous requests not sent to sign in."""
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
    return found
