"""Every governance URL against every role: Havering's board and the VRU's Partnership Reference Group, as
seen by Havering, Lambeth, the VRU, MOPAC, another VRU, another local policing body and the public.

Each part declares its URLs in a ``tests/governance/matrix_*.py`` module: ``URLS = {name: (method, url,
kind)}`` with ``url(world)`` building the address (``world`` is the ``governance_world`` fixture), optional
``POST_DATA = {name: data or data(world)}`` and ``DESTRUCTIVE`` (names run last). ``kind`` is one of KINDS.
"""

import importlib
import pkgutil

import pytest

import tests.governance
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation

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
# Havering's board.
SEE = {
    "vru_admin",
    "vru_reviewer",
    "borough_editor",
    "borough_viewer",
    "chief_executive",
    "bcu_commander",
    "policing_body",
}
EDIT = {"borough_editor"}
# The VRU's Partnership Reference Group.
VRU_SEE = {"vru_admin", "vru_reviewer", "policing_body"}
VRU_EDIT = {"vru_admin", "vru_reviewer"}

KINDS = {
    # A page of Havering's board: those who see Havering's records 200; nobody else can tell it exists.
    "view": lambda role: {200} if role in SEE else {404},
    # A change to Havering's board (a page, or a redirect after a POST); lookers refused; others 404.
    "edit": lambda role: {200, 302} if role in EDIT else ({403} if role in SEE else {404}),
    # A download (a paper, an export) of Havering's board: as "view".
    "download": lambda role: {200} if role in SEE else {404},
    # The PRG's pages: the VRU's staff and MOPAC; boroughs see the PRG only on the public pages.
    "vru_view": lambda role: {200} if role in VRU_SEE else {404},
    "vru_edit": lambda role: {200, 302} if role in VRU_EDIT else ({403} if role in VRU_SEE else {404}),
    # Setting up a new group: borough editors (their area's) and VRU staff (their VRU's); others refused.
    "create": lambda role: (
        {200, 302} if role in EDIT | VRU_EDIT | {"other_borough_editor", "other_vru_admin"} else {403}
    ),
    # /governance/: every signed-in person sees the groups open to them (perhaps none).
    "front": lambda role: {200},
    "public": lambda role: {200},
}


def _matrix_modules():
    for info in pkgutil.iter_modules(tests.governance.__path__):
        if info.name.startswith("matrix_"):
            yield importlib.import_module(f"tests.governance.{info.name}")


URLS: dict = {}
POST_DATA: dict = {}
DESTRUCTIVE: set = set()
for _module in _matrix_modules():
    assert not set(_module.URLS) & set(URLS), f"{_module.__name__} repeats a URL name"
    URLS.update(_module.URLS)
    POST_DATA.update(getattr(_module, "POST_DATA", {}))
    DESTRUCTIVE |= set(getattr(_module, "DESTRUCTIVE", set()))


@pytest.fixture
def matrix_world(governance_world, london):
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    Organisation.objects.create(kind=Organisation.Kind.POLICING_BODY, code="PCC-X", name="Other PCC", vru=other_vru)
    return governance_world


def expected(kind: str, role: str) -> set[int]:
    if role == "anonymous":
        return {200} if kind == "public" else {302}
    return KINDS[kind](role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_governance_url_role_matrix(client, matrix_world, role):
    if ROLES[role] is not None:
        code, user_role, office = ROLES[role]
        user = UserFactory(organisation=Organisation.objects.get(code=code), role=user_role, office=office)
    order = sorted(URLS, key=lambda n: (URLS[n][0] == "post", n in DESTRUCTIVE))
    failures = []
    for name in order:
        if ROLES[role] is not None:
            client.force_login(user)
        method, build, kind = URLS[name]
        url = build(matrix_world)
        data = POST_DATA.get(name, {})
        data = data(matrix_world) if callable(data) else data
        response = client.post(url, data) if method == "post" else client.get(url)
        if response.status_code not in expected(kind, role):
            failures.append(f"{method.upper()} {url} ({name}): {response.status_code}, expected {expected(kind, role)}")
        elif role == "anonymous" and kind != "public" and "login" not in response["Location"]:
            failures.append(f"{name}: anonymous user not sent to sign in")
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_every_governance_url_is_in_the_matrix():
    from vrhub.governance import urls

    names = {p.name for p in urls.urlpatterns}
    covered = {n.removesuffix("_post").removesuffix("_prg") for n in URLS} | set(URLS)
    assert names - covered == set(), "a new governance URL needs a row in a tests/governance/matrix_*.py module"
