"""Every programmes URL against every role: Havering's and the VRU's budgets and programmes, as seen by Havering,
Lambeth, the VRU, MOPAC, the West Midlands' people (``role_matrix.WM_ROLES``) and the public.

Each part declares its URLs in a ``tests/programmes/matrix_*.py`` module: ``URLS = {name: (method, url, kind)}``
with ``url(world)`` building the address (``world`` is the ``programmes_world`` fixture), optional
``POST_DATA = {name: data or data(world)}`` and ``DESTRUCTIVE`` (names run last). ``kind`` is one of KINDS.
A URL name of ``vrhub.programmes.urls`` is covered when a matrix row has that name, or that name followed by
``__`` and anything (``budget_detail__vru`` covers ``budget_detail``).
"""

import pytest

import tests.programmes
from tests import role_matrix

ROLES = role_matrix.ROLES
# West Midlands people set up their own VRU's or area's records.
WM_CREATE = {"wm_vru_admin", "wm_vru_reviewer", "wm_borough_editor"}
# Havering's records (its budget, its programme).
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
# The VRU's own records that only the VRU and MOPAC see (a programme serving Lambeth only: Lambeth sees it too,
# through "lambeth_view"; Havering does not).
VRU_SEE = {"vru_admin", "vru_reviewer", "policing_body"}
VRU_EDIT = {"vru_admin", "vru_reviewer"}
# The VRU's records every London borough sees: its budget, its logic model, its London-wide programmes.
LONDON = SEE | {"other_borough_editor", "other_borough_viewer", "other_bcu_commander"}
# Lambeth's records, and the VRU's programme serving Lambeth only.
LAMBETH_SEE = VRU_SEE | {"other_borough_editor", "other_borough_viewer", "other_bcu_commander"}

KINDS = {
    # A page of Havering's (budget, programme, return): those who see Havering's records 200; others 404.
    "view": lambda role: {200} if role in SEE else {404},
    # A change to Havering's records (a page, or a redirect after a POST); lookers refused; others 404.
    "edit": lambda role: {200, 302} if role in EDIT else ({403} if role in SEE else {404}),
    # A download of Havering's records: as "view".
    "download": lambda role: {200} if role in SEE else {404},
    # The VRU's records only it and MOPAC see (a programme serving Lambeth alone, as Havering's people try it).
    "lambeth_view": lambda role: {200} if role in LAMBETH_SEE else {404},
    # The VRU's records shared with its boroughs: budget, logic model, London-wide programme, reports.
    "london_view": lambda role: {200} if role in LONDON else {404},
    # A change to the VRU's records: its staff; London's boroughs and MOPAC refused; others 404.
    "vru_edit": lambda role: {200, 302} if role in VRU_EDIT else ({403} if role in LONDON else {404}),
    # Pages only the VRU's staff and MOPAC open (e.g. the evaluation prioritisation list): others 404.
    "vru_view": lambda role: {200} if role in VRU_SEE else {404},
    # Setting up something new (a budget, a programme): borough editors and VRU staff (their own); others 403.
    "create": lambda role: {200, 302} if role in EDIT | VRU_EDIT | {"other_borough_editor", *WM_CREATE} else {403},
    # /programmes/ and lists: every signed-in person sees what is open to them (perhaps nothing).
    "front": lambda role: {200},
    "public": lambda role: {200},
}


MATRIX = role_matrix.collect(tests.programmes)
URLS = MATRIX.urls


@pytest.fixture
def matrix_world(programmes_world, london):
    role_matrix.other_vru_and_policing_body()
    return programmes_world


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_programmes_url_role_matrix(client, matrix_world, role):
    failures = role_matrix.failures(client, matrix_world, matrix=MATRIX, roles=ROLES, role=role, kinds=KINDS)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_every_programmes_url_is_in_the_matrix():
    from vrhub.programmes import urls

    names = {p.name for p in urls.urlpatterns}
    covered = {n.split("__")[0] for n in URLS}
    assert names - covered == set(), "a new programmes URL needs a row in a tests/programmes/matrix_*.py module"
