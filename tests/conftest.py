from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests.demo_snapshot import demo_data
from tests.factories import UserFactory
from vrhub.accounts.models import User
from vrhub.organisations.models import Organisation
from vrhub.organisations.services import london_load, west_midlands_load
from vrhub.plans.services import plan_create, template_create_from_content
from vrhub.plans.templates import london_template


def _file_state(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


SHARED_EVIDENCE_STORE = Path(django_settings.EVIDENCE_DUCKDB)  # the run's store (vrhub/settings/test.py)


@pytest.fixture(autouse=True)
def _shared_evidence_store_untouched():
    """A test that writes the evidence store gives itself its own (settings.EVIDENCE_DUCKDB = tmp_path / ...).

    Writing the run's shared store left later tests, in whatever order xdist gave them, reading a store
    without the schema they expect; this names the test that did it instead."""
    before = _file_state(SHARED_EVIDENCE_STORE)
    yield
    if _file_state(SHARED_EVIDENCE_STORE) != before:
        pytest.fail(
            f"this test changed the run's shared evidence store {SHARED_EVIDENCE_STORE}: "
            "give it its own store with settings.EVIDENCE_DUCKDB = str(tmp_path / 'evidence.duckdb')"
        )


@pytest.fixture
def london(db):
    """The London VRU, its partners, BCUs and 32 boroughs."""
    return london_load()


@pytest.fixture
def west_midlands(db):
    """A second VRU: the West Midlands VRP, its PCC, West Midlands Police, its LPAs and seven CSPs."""
    return west_midlands_load()


@pytest.fixture
def template_2021(london):
    return template_create_from_content(
        vru=london, year=2021, title="2021 template", themes=london_template().themes_2021, published=True
    )


@pytest.fixture
def demo(db):
    """The full demo data set (organisations, templates, users, 32 synthetic plans): built by demo_load once
    per run, copied in afterwards (tests/demo_snapshot.py)."""
    return demo_data()


@pytest.fixture
def havering(london):
    return Organisation.objects.get(code="E09000016")


@pytest.fixture
def editor(havering):
    return UserFactory(username="hav.editor", organisation=havering, role=User.Role.BOROUGH_EDITOR)


@pytest.fixture
def plan(template_2021, editor, havering):
    return plan_create(area=havering, template=template_2021, user=editor).plan
