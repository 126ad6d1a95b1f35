"""Every governance URL against every role: Havering's board and the VRU's Partnership Reference Group, as
seen by Havering, Lambeth, the VRU, MOPAC, the West Midlands' people (``role_matrix.WM_ROLES``) and the public.

Each part declares its URLs in a ``tests/governance/matrix_*.py`` module: ``URLS = {name: (method, url,
kind)}`` with ``url(world)`` building the address (``world`` is the ``governance_world`` fixture), optional
``POST_DATA = {name: data or data(world)}`` and ``DESTRUCTIVE`` (names run last). ``kind`` is one of KINDS.
"""

import pytest

import tests.governance
from tests import role_matrix

ROLES = role_matrix.ROLES
# West Midlands people set up their own VRU's or area's records.
WM_CREATE = {"wm_vru_admin", "wm_vru_reviewer", "wm_borough_editor"}
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
    "create": lambda role: {200, 302} if role in EDIT | VRU_EDIT | {"other_borough_editor", *WM_CREATE} else {403},
    # /governance/: every signed-in person sees the groups open to them (perhaps none).
    "front": lambda role: {200},
    "public": lambda role: {200},
}


MATRIX = role_matrix.collect(tests.governance)
URLS = MATRIX.urls


@pytest.fixture
def matrix_world(governance_world, london):
    role_matrix.other_vru_and_policing_body()
    return governance_world


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_governance_url_role_matrix(client, matrix_world, role):
    failures = role_matrix.failures(client, matrix_world, matrix=MATRIX, roles=ROLES, role=role, kinds=KINDS)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_every_governance_url_is_in_the_matrix():
    from vrhub.governance import urls

    names = {p.name for p in urls.urlpatterns}
    covered = {n.removesuffix("_post").removesuffix("_prg") for n in URLS} | set(URLS)
    assert names - covered == set(), "a new governance URL needs a row in a tests/governance/matrix_*.py module"
