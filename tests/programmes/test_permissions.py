"""Every programmes URL against every role: Havering's and the VRU's budgets and programmes, as seen by Havering,
Lambeth, the VRU, MOPAC, another VRU, another local policing body and the public.

Each part declares its URLs in a ``tests/programmes/matrix_*.py`` module: ``URLS = {name: (method, url, kind)}``
with ``url(world)`` building the address (``world`` is the ``programmes_world`` fixture), optional
``POST_DATA = {name: data or data(world)}`` and ``DESTRUCTIVE`` (names run last). ``kind`` is one of KINDS.
A URL name of ``vrhub.programmes.urls`` is covered when a matrix row has that name, or that name followed by
``__`` and anything (``budget_detail__vru`` covers ``budget_detail``).
"""

import importlib
import pkgutil

import pytest

import tests.programmes
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
    "create": lambda role: (
        {200, 302} if role in EDIT | VRU_EDIT | {"other_borough_editor", "other_vru_admin"} else {403}
    ),
    # /programmes/ and lists: every signed-in person sees what is open to them (perhaps nothing).
    "front": lambda role: {200},
    "public": lambda role: {200},
}


def _matrix_modules():
    for info in pkgutil.iter_modules(tests.programmes.__path__):
        if info.name.startswith("matrix_"):
            yield importlib.import_module(f"tests.programmes.{info.name}")


URLS: dict = {}
POST_DATA: dict = {}
DESTRUCTIVE: set = set()
for _module in _matrix_modules():
    assert not set(_module.URLS) & set(URLS), f"{_module.__name__} repeats a URL name"
    URLS.update(_module.URLS)
    POST_DATA.update(getattr(_module, "POST_DATA", {}))
    DESTRUCTIVE |= set(getattr(_module, "DESTRUCTIVE", set()))


@pytest.fixture
def matrix_world(programmes_world, london):
    other_vru = Organisation.objects.create(kind=Organisation.Kind.VRU, code="VRU-X", name="Other VRU")
    Organisation.objects.create(kind=Organisation.Kind.POLICING_BODY, code="PCC-X", name="Other PCC", vru=other_vru)
    return programmes_world


def expected(kind: str, role: str) -> set[int]:
    if role == "anonymous":
        return {200} if kind == "public" else {302}
    return KINDS[kind](role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_programmes_url_role_matrix(client, matrix_world, role):
    if not URLS:
        pytest.skip("no programmes URL yet")
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


def test_every_programmes_url_is_in_the_matrix():
    from vrhub.programmes import urls

    names = {p.name for p in urls.urlpatterns}
    covered = {n.split("__")[0] for n in URLS}
    assert names - covered == set(), "a new programmes URL needs a row in a tests/programmes/matrix_*.py module"
