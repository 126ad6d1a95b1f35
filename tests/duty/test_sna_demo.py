"""The demo data shows needs assessments at different stages, every text labelled synthetic."""

import pytest

from vrhub.duty.models import NeedsAssessment
from vrhub.duty.selectors.readiness import area_readiness
from vrhub.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_assessments_at_three_stages(demo):
    assert demo["needs_assessments"] == 3
    stages = {}
    for code in ("E09000016", "E09000022", "E09000008"):
        area = Organisation.objects.get(code=code)
        assessment = NeedsAssessment.objects.get(partnership__area=area)
        assert assessment.partnership.synthetic
        written = [s for s in assessment.sections.all() if s.text.strip()]
        assert all("Synthetic demo text" in s.text for s in written)
        readiness = area_readiness(area=area)
        stages[code] = (assessment.state, len(written), readiness.sections_complete)
    assert stages == {"E09000016": ("agreed", 8, 8), "E09000022": ("draft", 5, 5), "E09000008": ("draft", 0, 0)}
