"""Every Duty URL against every role: Havering's records, as seen by Havering, Lambeth, the VRU, MOPAC, the West
Midlands' people (its VRU, Birmingham, its BCU and its PCC: ``role_matrix.WM_ROLES``) and the public.

Each part of the Duty declares its URLs in a ``tests/duty/matrix_*.py`` module: ``URLS = {name: (method, url,
kind)}`` with ``url(world)`` building the address of Havering's record, optional ``POST_DATA = {name: data or
data(world)}`` and ``DESTRUCTIVE`` (names run last). ``kind`` is one of KINDS below.
"""

import pytest
from django.urls import get_resolver

import tests.duty
from tests import role_matrix

ROLES = role_matrix.ROLES
SEE = {
    "vru_admin",
    "vru_reviewer",
    "borough_editor",
    "borough_viewer",
    "chief_executive",
    "bcu_commander",
    "policing_body",
}
MONITOR = {"vru_admin", "vru_reviewer", "policing_body", "wm_vru_admin", "wm_vru_reviewer", "wm_policing_body"}
MONITOR_LONDON = {"vru_admin", "vru_reviewer", "policing_body"}
EDIT = {"borough_editor"}

KINDS = {
    # Havering's page: those who see Havering's records 200; nobody else can tell it exists.
    "view": lambda role: {200} if role in SEE else {404},
    # A change to Havering's records: its editors succeed (a page, or a redirect after a POST); those who
    # only look are refused; nobody else can tell it exists.
    "edit": lambda role: {200, 302} if role in EDIT else ({403} if role in SEE else {404}),
    # A file download (a generated pack) or a job started from Havering's page: as "view", with redirects.
    "prepare": lambda role: {200, 302} if role in SEE else {404},
    # An s.17 information request: only the local policing body asks.
    "request": lambda role: {200, 302} if role == "policing_body" else ({403} if role in SEE else {404}),
    # The monitoring view: VRU staff and local policing bodies (each sees its own VRU's areas only).
    "monitor": lambda role: {200} if role in MONITOR else {403},
    # /duty/: a borough goes to its area, a monitor to the monitoring view; a BCU commander of several areas
    # chooses one (Birmingham's BCU covers one area: its commander goes to it).
    "front": lambda role: {200} if role in {"bcu_commander", "other_bcu_commander"} else {302},
    "public": lambda role: {200},
}


MATRIX = role_matrix.collect(tests.duty)
URLS = MATRIX.urls
POST_DATA = MATRIX.post_data


@pytest.fixture
def matrix_world(duty_world, london):
    role_matrix.other_vru_and_policing_body()
    return duty_world


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_duty_url_role_matrix(client, matrix_world, role):
    failures = role_matrix.failures(client, matrix_world, matrix=MATRIX, roles=ROLES, role=role, kinds=KINDS)
    assert not failures, f"{role}:\n" + "\n".join(failures)


def test_every_duty_url_is_in_the_matrix():
    from vrhub.duty import urls

    names = {p.name for p in urls.urlpatterns}
    covered = {n.removesuffix("_post") for n in URLS} | set(URLS)
    assert names - covered == set(), "a new Duty URL needs a row in a tests/duty/matrix_*.py module"
    assert get_resolver().reverse_dict  # the URL configuration loads
