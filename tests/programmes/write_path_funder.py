"""Write-path scenarios for the funder profile (collected by tests/core/test_write_path.py)."""

from tests.core.scenario import Scenario
from vrhub.programmes.models import FunderProfile
from vrhub.programmes.services import funder

PROFILE = {"org_identifier": "GB-GOR-PB123", "funder_name": "London VRU", "grant_prefix": "360G-londonvru"}


def _change(w):
    FunderProfile.objects.create(vru=w.london, org_identifier="GB-GOR-PB1", funder_name="Old", grant_prefix="360G-old")
    return lambda: funder.funder_profile_save(vru=w.london, user=w.vru_admin, data=PROFILE)


SCENARIOS = {
    # A change of an existing profile (a first save is checked in test_open_data_funder.py).
    "programmes.funder.funder_profile_save": Scenario(_change, actor="vru_admin"),
}
